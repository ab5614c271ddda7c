/**
 * JSON as Go's encoding/json decodes it into a struct, which differs from JSON.parse where it
 * matters for security: object keys match struct fields without regard to case (also through the
 * Kelvin sign and the long s, which Unicode folds to k and s), every occurrence of a key is applied
 * in order so the last one wins, and `null` leaves a string or number field as it was. Readers of
 * settings the engine decodes (seccomp profiles) walk this tree instead of JSON.parse's object.
 */
import { goJsonSyntaxError } from './go-json-error.js';

/** A JSON value with its objects' members in document order, duplicates kept. */
export type GoJson =
  | { kind: 'object'; members: [key: string, value: GoJson][] }
  | { kind: 'array'; items: GoJson[] }
  | { kind: 'string'; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' };

// Tokens of a text already known to be valid JSON, matched where the reader stands (sticky): the
// regular expressions scan natively what a loop over characters would do in JavaScript.
const WHITESPACE = /[ \t\n\r]*/y;
const STRING = /"[^"\\]*(?:\\[^][^"\\]*)*"/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The token of `re` at `at` in `text` ('' when there is none). */
function tokenAt(re: RegExp, text: string, at: number): string {
  re.lastIndex = at;
  return re.exec(text)?.[0] ?? '';
}

/** The tree of a JSON text, or the Go syntax error's message when the text is not JSON. */
export function parseGoJson(text: string): GoJson | { error: string } {
  const syntax = goJsonSyntaxError(text);
  if (syntax !== undefined) return { error: syntax };
  let i = 0;
  const ws = (): void => {
    i += tokenAt(WHITESPACE, text, i).length;
  };
  const stringToken = (): string => {
    const token = tokenAt(STRING, text, i);
    i += token.length;
    // The text is valid JSON: the token decodes (escapes included) exactly as Go decodes it.
    return JSON.parse(token) as string;
  };
  const value = (): GoJson => {
    ws();
    const c = text.charAt(i);
    if (c === '{') {
      i++;
      const members: [string, GoJson][] = [];
      ws();
      if (text.charAt(i) === '}') {
        i++;
        return { kind: 'object', members };
      }
      for (;;) {
        ws();
        const key = stringToken();
        ws();
        i++; // ':'
        members.push([key, value()]);
        ws();
        if (text.charAt(i++) === '}') return { kind: 'object', members };
      }
    }
    if (c === '[') {
      i++;
      const items: GoJson[] = [];
      ws();
      if (text.charAt(i) === ']') {
        i++;
        return { kind: 'array', items };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text.charAt(i++) === ']') return { kind: 'array', items };
      }
    }
    if (c === '"') return { kind: 'string', value: stringToken() };
    for (const [word, node] of [
      ['true', { kind: 'bool', value: true }],
      ['false', { kind: 'bool', value: false }],
      ['null', { kind: 'null' }],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return node;
      }
    }
    const number = tokenAt(NUMBER, text, i);
    i += number.length;
    return { kind: 'number', text: number };
  };
  return value();
}

/**
 * A key folded the way encoding/json compares it with a field name: ASCII letters without case,
 * U+017F (ſ) as s and U+212A (Kelvin sign) as k, the only non-ASCII runes that fold to ASCII.
 */
export function goFoldKey(key: string): string {
  return key.replace(/[A-Z\u017f\u212a]/g, (c) => (c === '\u017f' ? 's' : c === '\u212a' ? 'k' : c.toLowerCase()));
}

/**
 * An object's members as Go assigns them to the struct fields named in `fields`: each key goes to
 * the field it folds to, later keys overwrite earlier ones, and `null` keeps a scalar field as it
 * was (for a list or an object field it resets it: Go sets a slice or pointer to nil). Keys that
 * match no field are ignored, as Go ignores them.
 */
export function goStructFields<F extends string>(
  node: Extract<GoJson, { kind: 'object' }>,
  fields: readonly F[],
  nullResets: readonly F[] = [],
): Partial<Record<F, GoJson>> {
  const byFold = new Map(fields.map((f) => [goFoldKey(f), f]));
  const out: Partial<Record<F, GoJson>> = {};
  for (const [key, value] of node.members) {
    const field = byFold.get(goFoldKey(key));
    if (field === undefined) continue;
    if (value.kind === 'null' && !nullResets.includes(field)) continue;
    out[field] = value;
  }
  return out;
}
