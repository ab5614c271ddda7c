import { goJsonSyntaxError } from './go-json-error.js';

/**
 * Go's json.Compact: drop insignificant whitespace, keep everything else (string escapes, number
 * spelling, key order, duplicate keys) byte for byte. Throws Go's syntax error text when the text is not valid JSON.
 */
export function jsonCompact(text: string): string {
  const syntax = goJsonSyntaxError(text);
  if (syntax !== undefined) throw new Error(syntax);
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (inString) {
      out += c;
      if (c === '\\') {
        out += text.charAt(i + 1);
        i++;
      } else if (c === '"') {
        inString = false;
      }
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (c === '"') inString = true;
    out += c;
  }
  return out;
}
