/**
 * Credentials in environment entries, by name and by value. Nothing here ever returns or prints a
 * value: a hit names the variable and says why it looks like a credential.
 */

export interface EnvSecret {
  name: string;
  /** Why it looks like a credential, e.g. "its name says it holds a password". */
  because: string;
}

/** Values whose shape gives them away, whatever the variable is called. */
const VALUE_PATTERNS: readonly [RegExp, string][] = [
  [/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/, 'a PEM private key'],
  [/\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/, 'an AWS access key id'],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}/, 'a GitHub token'],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/, 'a GitHub token'],
  [/\bglpat-[A-Za-z0-9_-]{20,}/, 'a GitLab token'],
  [/\bxox[abprse]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]+/, 'a Slack webhook URL'],
  [/\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/, 'a Stripe key'],
  [/\bAIza[0-9A-Za-z_-]{35}/, 'a Google API key'],
  [/\bnpm_[A-Za-z0-9]{36}\b/, 'an npm token'],
  [/\bhf_[A-Za-z0-9]{30,}/, 'a Hugging Face token'],
  [/\bsk-(?:proj-|ant-[a-z0-9]+-)?[A-Za-z0-9_-]{32,}/, 'an API secret key'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/, 'a JSON web token'],
  // scheme://user:password@host, the password non-empty (user may be empty: redis://:pw@host).
  [/\b[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/, 'a URL with a password in it'],
  // Connection strings: Server=…;Password=… (ADO.NET, ODBC) or host=… password=… (libpq).
  [/(?:^|[;\s])(?:password|pwd)\s*=\s*[^;\s]/i, 'a connection string with a password in it'],
];

/** Words that make a variable a credential (matched as whole words of the name). */
const CREDENTIAL_WORDS: Readonly<Record<string, string>> = {
  PASSWORD: 'a password',
  PASSWD: 'a password',
  PASS: 'a password',
  PWD: 'a password',
  PASSPHRASE: 'a passphrase',
  SECRET: 'a secret',
  SECRETS: 'secrets',
  TOKEN: 'a token',
  TOKENS: 'tokens',
  BEARER: 'a bearer token',
  APIKEY: 'an API key',
  CREDENTIAL: 'a credential',
  CREDENTIALS: 'credentials',
  CREDS: 'credentials',
  SALT: 'a secret salt',
};

/** Long words also caught at the end of a run-together word (DBPASSWORD, GHTOKEN); never AUTHOR or TOKENIZERS. */
const SUFFIX_WORDS = ['PASSWORD', 'PASSWD', 'PASSPHRASE', 'SECRET', 'TOKEN', 'APIKEY', 'CREDENTIALS'];

/** KEY is a credential only after one of these (API_KEY, PRIVATE_KEY); SORT_KEY or PRIMARY_KEY are not. */
const KEY_KINDS = new Set([
  'API',
  'ACCESS',
  'PRIVATE',
  'SECRET',
  'SIGNING',
  'SIGN',
  'ENCRYPTION',
  'ENC',
  'CRYPT',
  'CRYPTO',
  'MASTER',
  'LICENSE',
  'SSH',
  'HMAC',
  'JWT',
  'SESSION',
  'CLIENT',
  'ACCOUNT',
  'SERVICE',
  'DEPLOY',
  'AUTH',
  'NONCE',
  'SHARED',
  'ADMIN',
  'ROOT',
  'APP',
  'WEBHOOK',
  'STORAGE',
]);

/** AUTH alone is ambiguous (AUTH_TYPE, AUTH=ldap): it counts only with a value that is more than a plain word. */
const WEAK_WORDS: Readonly<Record<string, string>> = { AUTH: 'authentication data' };

/**
 * Words that may follow the credential word while the variable still holds the credential itself
 * (DB_PASSWORD_B64, SECRET_KEY_BASE). Any other word after it makes the variable describe the
 * credential (POSTGRES_PASSWORD_FILE, TOKEN_TTL, SECRET_NAME, PASSWORD_MIN_LENGTH).
 */
const STILL_THE_SECRET = new Set([
  '',
  'KEY',
  'VALUE',
  'STRING',
  'STR',
  'B64',
  'BASE64',
  'HEX',
  'RAW',
  'PLAIN',
  'PLAINTEXT',
  'TEXT',
  'DATA',
  'CONTENT',
  'JSON',
  'BASE',
  'HASH',
  'ENCODED',
]);

/** Ordinary variables: never a credential by name (their values are still checked). */
export const ORDINARY_NAMES = new Set([
  'PATH',
  'HOME',
  'PWD',
  'OLDPWD',
  'USER',
  'LOGNAME',
  'SHELL',
  'SHLVL',
  'TERM',
  'COLORTERM',
  'LANG',
  'LANGUAGE',
  'TZ',
  'HOSTNAME',
  'NODE_ENV',
  'RAILS_ENV',
  'APP_ENV',
  'DEBUG',
  'PORT',
  'HOST',
  'EDITOR',
  'PAGER',
  'DISPLAY',
  'NODE_OPTIONS',
  'PYTHONPATH',
  'PYTHONUNBUFFERED',
  'JAVA_HOME',
  'JAVA_OPTS',
  'GOPATH',
  'SSH_AUTH_SOCK',
  'GPG_TTY',
]);

/** Values that cannot be a credential: empty, a switch, a path to a file, a reference to another variable. */
const NOT_A_SECRET = [
  /^$/,
  /^(?:true|false|yes|no|on|off|y|n|0|1|enabled?|disabled?|none|null)$/i,
  /^(?:\/|\.{1,2}\/|~\/)\S*$/,
  /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/,
];

/** A plain word (letters only): enough for AUTH=ldap to pass. */
const PLAIN_WORD = /^[A-Za-z][A-Za-z_-]{0,31}$/;

/** The name's words, upper case: dbPassword2 → [DB, PASSWORD2]. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.toUpperCase());
}

/** A word without trailing digits (PASSWORD2 → PASSWORD), unless it is all digits. */
const stem = (word: string): string => word.replace(/(?<=[A-Z])\d+$/, '');

/** Words after the credential word that keep the variable the credential itself: B64, 2, V2. */
const stillTheSecret = (word: string): boolean =>
  STILL_THE_SECRET.has(word) || STILL_THE_SECRET.has(stem(word)) || /^V?\d+$/.test(word);

interface NameHit {
  what: string;
  weak: boolean;
}

function credentialWord(raw: string): string | undefined {
  const word = stem(raw);
  const exact = CREDENTIAL_WORDS[word];
  if (exact !== undefined) return exact;
  const suffix = SUFFIX_WORDS.find((s) => word.length > s.length && word.endsWith(s));
  return suffix === undefined ? undefined : CREDENTIAL_WORDS[suffix];
}

const withArticle = (noun: string): string => `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;

/** What the name says the variable holds, when it names a credential. */
export function credentialName(name: string): NameHit | undefined {
  if (ORDINARY_NAMES.has(name.toUpperCase()) || /^(?:LC|XDG)_/i.test(name)) return undefined;
  const words = nameWords(name);
  let last = -1;
  let hit: NameHit | undefined;
  words.forEach((word, i) => {
    const before = stem(words[i - 1] ?? '');
    const strong =
      credentialWord(word) ??
      (stem(word) === 'KEY' && KEY_KINDS.has(before)
        ? withArticle(`${before === 'API' ? 'API' : before.toLowerCase()} key`)
        : undefined);
    if (strong !== undefined) {
      [last, hit] = [i, { what: strong, weak: false }];
    } else if (WEAK_WORDS[stem(word)] !== undefined && (hit === undefined || hit.weak)) {
      [last, hit] = [i, { what: WEAK_WORDS[stem(word)] ?? '', weak: true }];
    }
  });
  if (hit === undefined) return undefined;
  return words.slice(last + 1).every(stillTheSecret) ? hit : undefined;
}

/** What the value looks like, when its shape is a known credential format. */
export function credentialValue(value: string): string | undefined {
  for (const [pattern, what] of VALUE_PATTERNS) if (pattern.test(value)) return what;
  return undefined;
}

/**
 * One environment entry (`NAME=VALUE`; a bare `NAME` has no value and is never a secret):
 * the credential it seems to hold, or undefined.
 */
export function envSecret(entry: string): EnvSecret | undefined {
  const eq = entry.indexOf('=');
  if (eq <= 0) return undefined;
  const name = entry.slice(0, eq);
  const value = entry.slice(eq + 1);
  const shape = credentialValue(value);
  if (shape !== undefined) return { name, because: `its value looks like ${shape}` };
  const named = credentialName(name);
  if (named === undefined || NOT_A_SECRET.some((re) => re.test(value.trim()))) return undefined;
  if (named.weak && PLAIN_WORD.test(value)) return undefined;
  return { name, because: `its name says it holds ${named.what}` };
}
