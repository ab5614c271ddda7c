/**
 * Passwords in a volume's driver options (a cifs share's `o=username=…,password=…`) are never
 * written into an exported document: it is read, shared and committed like any deployment file.
 * Each one is left to a variable the deploying side sets (docker-compose from its environment or
 * .env, the shell for a `docker run` line), as credentials in `-e` are.
 *
 * While a document is built, the variable stands as a mark no value can hold (a NUL character
 * cannot be in an argument or an environment value); the renderer writes the mark in its own
 * syntax (`${NAME}` for Compose, `"$NAME"` for the shell) once every literal dollar is escaped.
 */
import { isSecretOptionName, replaceOptionSecrets } from '../grammar/mount-secrets.js';

const MARK = '\u0000VAR:';
const MARK_END = '\u0000';
const MARKED = new RegExp(`${MARK}([A-Z0-9_]+)${MARK_END}`, 'g');

/** A password left to a variable, for the export's notes. */
export interface HiddenPassword {
  variable: string;
  volume: string;
  option: string;
  /** The password's own key inside the option (`password` in o=…,password=…). */
  key: string;
}

/** The variable a volume option's password is taken from: SHARE_PASSWORD for `share`'s password=. */
export function passwordVariable(volume: string, key: string): string {
  const name = `${volume}_${key}`
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[0-9]/.test(name) ? `V_${name}` : name;
}

/**
 * The driver options with every password replaced by the mark of its variable. `volume` names the
 * volume in the variable (its name, or its target for an anonymous one); `taken` holds the
 * passwords the document already left to variables: two volumes whose names differ only in
 * punctuation (db-a, db_a) get variables of their own (DB_A_PASSWORD, DB_A_PASSWORD_2).
 */
export function hideVolumePasswords(
  options: Readonly<Record<string, string>>,
  volume: string,
  taken: readonly HiddenPassword[] = [],
): { options: Record<string, string>; hidden: HiddenPassword[] } {
  const hidden: HiddenPassword[] = [];
  const mark = (option: string, key: string): string => {
    const known = [...taken, ...hidden];
    // The same volume mounted twice names the same password: one variable.
    const same = known.find((h) => h.volume === volume && h.option === option && h.key === key);
    if (same !== undefined) return `${MARK}${same.variable}${MARK_END}`;
    const base = passwordVariable(volume, key);
    const used = new Set(known.map((h) => h.variable));
    let variable = base;
    for (let n = 2; used.has(variable); n++) variable = `${base}_${n}`;
    hidden.push({ variable, volume, option, key });
    return `${MARK}${variable}${MARK_END}`;
  };
  const out = Object.fromEntries(
    Object.entries(options).map(([option, value]) => [
      option,
      isSecretOptionName(option) ? mark(option, option) : replaceOptionSecrets(value, (key) => mark(option, key)),
    ]),
  );
  return { options: out, hidden };
}

/** Whether the text holds the mark of a variable. */
export function holdsVariable(text: string): boolean {
  return text.includes(MARK);
}

/** The text with each variable's mark written by `write` (given the variable's name). */
export function writeVariables(text: string, write: (variable: string) => string): string {
  return text.replace(MARKED, (_, name: string) => write(name));
}

/**
 * The note an export prints for each password it left to a variable: `whoReads` says who sets it;
 * `quotedField` says the value lands in a quoted field of docker's --mount syntax (a docker run line).
 */
export function hiddenPasswordNote(
  h: HiddenPassword,
  whoReads: (variable: string) => string,
  quotedField = false,
): string {
  // Inside o=… a comma would end the password (cifs writes one twice); a field doubles its quotes.
  const inOption = h.option !== h.key;
  const twice = [...(inOption ? ['a comma'] : []), ...(quotedField ? ['a double quote'] : [])];
  const how =
    twice.length === 0
      ? ''
      : ` (${twice.join(' or ')} in it written twice, as ${inOption ? 'the option' : ''}${inOption && quotedField ? ' and ' : ''}${quotedField ? "docker's --mount" : ''} read${inOption && quotedField ? '' : 's'} it)`;
  return `the password in option ${h.option} of volume ${h.volume} is not written: ${whoReads(h.variable)}${how}`;
}
