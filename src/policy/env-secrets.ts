/**
 * Credentials in environment entries, by name and by value. Nothing here ever returns or prints a
 * value: a hit names the variable and says why it looks like a credential.
 */

export interface EnvSecret {
  name: string;
  /** Why it looks like a credential, e.g. "its name says it holds a password". */
  because: string;
}

/**
 * Values whose shape gives them away, whatever the variable is called. Every pattern starts only
 * where a run of the characters it scans begins (a lookbehind), so a value is scanned once per run,
 * not once per character: 64 KB of `a.a.a…` or `eyJ-eyJ-…` cost one pass (scripts/bench/env-secrets.mts).
 */
const VALUE_PATTERNS: readonly [RegExp, string][] = [
  [/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/, 'a PEM private key'],
  [/(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])/, 'an AWS access key id'],
  [/(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{30}/, 'a GitHub token'],
  [/(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{20}/, 'a GitHub token'],
  [/(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20}/, 'a GitLab token'],
  [/(?<![A-Za-z0-9-])xox[abprse]-[A-Za-z0-9-]{10}/, 'a Slack token'],
  [/https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9]/, 'a Slack webhook URL'],
  [/https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d+\/[\w-]/, 'a Discord webhook URL'],
  [/https:\/\/[\w-]+\.webhook\.office\.com\/webhookb2\//, 'a Microsoft Teams webhook URL'],
  [/(?<![A-Za-z0-9_])[sr]k_(?:live|test)_[A-Za-z0-9]{16}/, 'a Stripe key'],
  [/(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}/, 'a Google API key'],
  [/(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/, 'an npm token'],
  [/(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{30}/, 'a Hugging Face token'],
  [/(?<![A-Za-z0-9_-])sk-(?:proj-|ant-[a-z0-9]{1,16}-)?[A-Za-z0-9_-]{32}/, 'an API secret key'],
  [/(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8}[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{8}/, 'a JSON web token'],
  // A registry login as docker's config.json and DOCKER_AUTH_CONFIG hold it.
  [/"(?:auth|identitytoken)"\s*:\s*"[A-Za-z0-9+/=_-]{4}/, 'a registry login (docker config.json auth)'],
  // Connection strings: Server=…;Password=… (ADO.NET, ODBC), host=… password=… (libpq), Azure's keys.
  [
    /(?:^|[;\s])(?:password|pwd|accountkey|sharedaccesskey|sharedaccesssignature)\s*=\s*[^;\s]/i,
    'a connection string with a password in it',
  ],
];

/** An HTTP Authorization scheme and what follows it (the credential is judged in code). */
const AUTHORIZATION = /(?<![A-Za-z])(?:Bearer|Basic|Token|Digest)\s+([A-Za-z0-9+/=._~-]{8,})/g;

/**
 * An HTTP Authorization value (`Bearer eyJ…`, `Basic dXNlcjpwYXNz`): a scheme followed by a
 * credential that is more than a plain word (digits or symbols, or upper and lower case mixed
 * after its first letter), so that "Basic authentication" is not one.
 */
export function authorizationValue(value: string): boolean {
  for (const m of value.matchAll(AUTHORIZATION)) {
    const token = m[1] ?? '';
    if (/[0-9=._~+/-]/.test(token) || (/[A-Z]/.test(token.slice(1)) && /[a-z]/.test(token))) return true;
  }
  return false;
}

/**
 * scheme://user:password@host, the password non-empty (user may be empty: redis://:pw@host),
 * found in one pass: each `://` is looked at once, its scheme read backwards and its user part
 * forwards, and the forward read stops at the next `/`, which every later `://` contains.
 */
export function urlWithPassword(value: string): boolean {
  for (let at = value.indexOf('://'); at >= 0; at = value.indexOf('://', at + 3)) {
    // The scheme: a letter, then letters, digits, + . - (read backwards from the colon).
    let start = at;
    while (start > 0 && /[A-Za-z0-9+.-]/.test(value.charAt(start - 1))) start--;
    while (start < at && !/[A-Za-z]/.test(value.charAt(start))) start++;
    if (start === at) continue;
    let colon = -1;
    for (let i = at + 3; i < value.length; i++) {
      const c = value.charAt(i);
      if (c === '/' || /\s/.test(c)) break;
      if (c === '@') {
        if (colon >= 0 && i > colon + 1) return true;
        break;
      }
      if (c === ':' && colon < 0) colon = i;
    }
  }
  return false;
}

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
  PW: 'a password',
  PRIVATEKEY: 'a private key',
  SECRETKEY: 'a secret key',
  MNEMONIC: 'a wallet seed phrase',
  SEED: 'a wallet seed phrase',
  AUTHORIZATION: 'an HTTP Authorization credential',
};

/** Whole names that hold a credential although none of their words says so. */
const CREDENTIAL_NAMES: Readonly<Record<string, string>> = {
  DOCKER_AUTH_CONFIG: "registry logins (docker's config.json)",
};

/** Long words also caught at the end of a run-together word (DBPASSWORD, GHTOKEN); never AUTHOR or TOKENIZERS. */
const SUFFIX_WORDS = [
  'PASSWORD',
  'PASSWD',
  'PASSPHRASE',
  'SECRET',
  'TOKEN',
  'APIKEY',
  'CREDENTIALS',
  'PRIVATEKEY',
  'SECRETKEY',
];

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
  'CERT',
  'CERTIFICATE',
  'TLS',
  'SSL',
  'ENCRYPT',
  'DECRYPT',
  'DECRYPTION',
  'CIPHER',
  'AES',
  'RSA',
  'PGP',
  'GPG',
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

/**
 * Words before the credential word that make the variable a setting about it, not the credential:
 * a count or bound (MAX_TOKENS), or a switch (ALLOW_EMPTY_PASSWORD, RANDOM_ROOT_PASSWORD).
 */
const ABOUT_THE_SECRET = new Set([
  'MAX',
  'MIN',
  'NUM',
  'COUNT',
  'ALLOW',
  'EMPTY',
  'RANDOM',
  'GENERATE',
  'REQUIRE',
  'REQUIRED',
  'DISABLE',
  'DISABLED',
  'ENABLE',
  'ENABLED',
  'SKIP',
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
  const whole = CREDENTIAL_NAMES[name.toUpperCase()];
  if (whole !== undefined) return { what: whole, weak: false };
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
  // MAX_TOKENS, MYSQL_ALLOW_EMPTY_PASSWORD, MYSQL_RANDOM_ROOT_PASSWORD: a setting about the credential.
  if (words.slice(0, last).some((w) => ABOUT_THE_SECRET.has(stem(w)))) return undefined;
  return words.slice(last + 1).every(stillTheSecret) ? hit : undefined;
}

/** What the value looks like, when its shape is a known credential format. */
export function credentialValue(value: string): string | undefined {
  for (const [pattern, what] of VALUE_PATTERNS) if (pattern.test(value)) return what;
  if (authorizationValue(value)) return 'an HTTP Authorization credential';
  return urlWithPassword(value) ? 'a URL with a password in it' : undefined;
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
