/**
 * Passwords in mount options: a cifs volume takes its password in the `o=` option
 * (`o=username=bob,password=…`), ceph its key as `secret=`. The engine keeps them (docker volume
 * inspect shows them to anyone with engine access); safedock never prints them: plans, findings
 * and --json show the option's name with the value masked.
 */
// The key: password, cifs's password2, passwd, pass, secret, token (any digits after). The value
// ends at a single comma (cifs writes a comma in a password as two), a quote or a space; a colon
// just before a space is kept, as the engine's error goes on ("data: …,password=…: no such device").
const SECRET_OPTION =
  /(^|[\s,"'=])((?:password|passwd|pass|secret|token)\d*)=((?:,,|[^,"'\s])*?)(:?)(?=,(?!,)|["'\s]|$)/gi;

export const MASKED = '********';

/** The text with the value of every password-like mount option masked. */
export function maskMountSecrets(text: string): string {
  return text.replace(SECRET_OPTION, (_, before: string, key: string, value: string, colon: string) =>
    value === '' ? `${before}${key}=${colon}` : `${before}${key}=${MASKED}${colon}`,
  );
}
