/**
 * Passwords in mount options: a cifs volume takes its password in the `o=` option
 * (`o=username=bob,password=…`), ceph its key as `secret=`. The engine keeps them (docker volume
 * inspect shows them to anyone with engine access); safedock never prints them: plans, findings
 * and --json show the option's name with the value masked.
 *
 * A password may hold any character but a lone comma (cifs writes a comma in a password as two):
 * spaces, quotes, colons. So its value runs to the next single comma, or to the end of what holds
 * it, which depends on where the text comes from (one function each below). Masking too much is
 * the safe way to be wrong.
 */

// The key: any option name holding password, passwd, secret, token or apikey (cifs's password and
// password2, ceph's secret, smbpassword, secretkey…), or pass itself, as a whole option name (after
// the start, a comma, a quote, a space or the `=` of `o=`).
const NAME = String.raw`(?:[\w.-]*(?:password|passwd|secret|token|apikey|api_key|api-key)[\w.-]*|pass\d*)`;
const KEY = String.raw`(^|[\s,"'=])(${NAME})=`;
const SECRET_NAME = new RegExp(`^${NAME}$`, 'i');

/** Whether an option of this name holds a password (a driver option named so is masked whole). */
export function isSecretOptionName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** In an option string (`username=bob,password=…`): to the next single comma or the end. */
const IN_OPTIONS = new RegExp(`${KEY}((?:,,|[^,])*)`, 'gi');
/**
 * In docker's --mount syntax as typed (CSV: `"volume-opt=o=…,password=…",dst=/x`): also to the end
 * of a quoted field, whose own quotes are doubled.
 */
const IN_MOUNT_FLAG = new RegExp(`${KEY}((?:,,|""|[^,"])*)`, 'gi');
/**
 * In an engine's message: to the end of the message (a password may hold a line break; the engine
 * quotes it as it is).
 */
const IN_MESSAGE = new RegExp(`${KEY}((?:,,|[^,])*)`, 'gi');

/**
 * The tail the engine adds to the mount data it quotes in an error (`…,password=…: no such
 * device`): a colon, a space and the system's words for the failure, ending the message.
 */
const ERROR_TAIL = /: [a-z][a-z ]*\n?$/;

export const MASKED = '********';

/** A URL's password (`https://user:PASSWORD@host`), as log drivers' addresses may carry one. */
const URL_PASSWORD = /(:\/\/[^/@:\s]*:)[^/@\s]*@/g;

/**
 * A --log-opt `KEY=VALUE` as shown anywhere but the engine: a value whose key names a secret
 * (splunk-token, a password) masked whole, a password in an address masked.
 */
export function maskLogOption(option: string): string {
  const eq = option.indexOf('=');
  if (eq < 0) return option;
  const key = option.slice(0, eq);
  if (isSecretOptionName(key)) return `${key}=${MASKED}`;
  return option.replace(URL_PASSWORD, `$1${MASKED}@`);
}

const mask = (before: string, key: string, value: string): string =>
  value === '' ? `${before}${key}=` : `${before}${key}=${MASKED}`;

/** A mount's option string (a volume's `o=` value, a driver option) with its passwords masked. */
export function maskOptionSecrets(options: string): string {
  return options.replace(IN_OPTIONS, (_, before: string, key: string, value: string) => mask(before, key, value));
}

/** An option string with each non-empty password replaced by what `replace` gives for its key. */
export function replaceOptionSecrets(options: string, replace: (key: string) => string): string {
  return options.replace(IN_OPTIONS, (_, before: string, key: string, value: string) =>
    value === '' ? `${before}${key}=` : `${before}${key}=${replace(key)}`,
  );
}

/** A --mount value as typed (or a line naming one) with its passwords masked. */
export function maskMountSecrets(text: string): string {
  return text.replace(IN_MOUNT_FLAG, (_, before: string, key: string, value: string) => mask(before, key, value));
}

/**
 * An engine's error message with the mount passwords it quotes masked. Where a value runs to the
 * end of the message, the engine's reason for the failure is kept (a password ending in `: words`
 * would show those words there; the engine always adds its reason after the mount data).
 */
export function maskEngineMessage(text: string): string {
  return text.replace(
    IN_MESSAGE,
    (match: string, before: string, key: string, value: string, at: number, whole: string) => {
      const tail = at + match.length === whole.length ? ERROR_TAIL.exec(value) : null;
      const secret = tail === null ? value : value.slice(0, tail.index);
      return `${mask(before, key, secret)}${tail?.[0] ?? ''}`;
    },
  );
}
