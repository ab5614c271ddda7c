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

/**
 * The tree of a JSON text, or the Go syntax error's message when the text is not JSON.
 *
 * One function without helpers: a seccomp profile has a few thousand tokens, and V8 hands small
 * functions called that often to its optimising compiler, a cost a run would pay for one read.
 */
export function parseGoJson(text: string): GoJson | { error: string } {
  const syntax = goJsonSyntaxError(text);
  if (syntax !== undefined) return { error: syntax };
  type Open = Extract<GoJson, { kind: 'object' | 'array' }>;
  // Open containers, innermost last; an object's `key` is the name read for the value to come.
  const stack: { node: Open; key: string | undefined }[] = [];
  let i = 0;
  for (;;) {
    WHITESPACE.lastIndex = i;
    WHITESPACE.exec(text);
    i = WHITESPACE.lastIndex;
    const c = text.charAt(i);
    let value: GoJson;
    if (c === ',' || c === ':') {
      i++;
      continue;
    } else if (c === '{' || c === '[') {
      i++;
      stack.push({ node: c === '{' ? { kind: 'object', members: [] } : { kind: 'array', items: [] }, key: undefined });
      continue;
    } else if (c === '}' || c === ']') {
      i++;
      const closed = stack.pop();
      if (closed === undefined) throw new Error('parseGoJson: unbalanced text that passed the syntax check');
      value = closed.node;
    } else if (c === '"') {
      STRING.lastIndex = i;
      const token = STRING.exec(text)?.[0] ?? '';
      i += token.length;
      // The text is valid JSON: the token decodes (escapes included) exactly as Go decodes it.
      const decoded = JSON.parse(token) as string;
      const top = stack.at(-1);
      if (top?.node.kind === 'object' && top.key === undefined) {
        top.key = decoded;
        continue;
      }
      value = { kind: 'string', value: decoded };
    } else if (text.startsWith('true', i)) {
      i += 4;
      value = { kind: 'bool', value: true };
    } else if (text.startsWith('false', i)) {
      i += 5;
      value = { kind: 'bool', value: false };
    } else if (text.startsWith('null', i)) {
      i += 4;
      value = { kind: 'null' };
    } else {
      NUMBER.lastIndex = i;
      const number = NUMBER.exec(text)?.[0] ?? '';
      i += number.length;
      value = { kind: 'number', text: number };
    }
    const parent = stack.at(-1);
    if (parent === undefined) return value;
    if (parent.node.kind === 'array') {
      parent.node.items.push(value);
    } else {
      parent.node.members.push([parent.key ?? '', value]);
      parent.key = undefined;
    }
  }
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
