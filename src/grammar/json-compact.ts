import { goJsonSyntaxError } from './go-json-error.js';

/** A string token (escapes kept whole), or a run of JSON's insignificant whitespace. */
const TOKEN = /"[^"\\]*(?:\\[^][^"\\]*)*"|[ \t\n\r]+/g;

/**
 * Go's json.Compact: drop insignificant whitespace, keep everything else (string escapes, number
 * spelling, key order, duplicate keys) byte for byte. Throws Go's syntax error text when the text is not valid JSON.
 * In valid JSON every token outside a string is whitespace or a value's own characters, so one
 * regular expression that keeps strings whole and drops whitespace runs does it, natively.
 */
export function jsonCompact(text: string): string {
  const syntax = goJsonSyntaxError(text);
  if (syntax !== undefined) throw new Error(syntax);
  return text.replace(TOKEN, (token) => (token.startsWith('"') ? token : ''));
}
