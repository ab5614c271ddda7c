import { goJsonSyntaxError } from './go-json-error.js';

/** A string token (escapes kept whole), or a run of JSON's insignificant whitespace. */
const TOKEN = /"[^"\\]*(?:\\[^][^"\\]*)*"|[ \t\n\r]+/g;

/** Go's decoder refuses documents nested deeper than this ("exceeded max depth"). */
const GO_MAX_DEPTH = 10_000;

/**
 * Go's json.Compact: drop insignificant whitespace, keep everything else (string escapes, number
 * spelling, key order, duplicate keys) byte for byte. Throws Go's syntax error text when the text is not valid JSON.
 *
 * Every run compacts its seccomp profile, so valid JSON takes the fast way: JavaScript's own
 * parser says it is valid (JSON.parse and Go's scanner accept the same grammar), and one regular
 * expression drops the whitespace between tokens. Anything else, and any document with more
 * brackets than Go's depth limit, goes through the scanner that words Go's errors.
 */
export function jsonCompact(text: string): string {
  if (validFast(text)) return text.replace(TOKEN, (token) => (token.startsWith('"') ? token : ''));
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

function validFast(text: string): boolean {
  if ((text.match(/[[{]/g)?.length ?? 0) > GO_MAX_DEPTH) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
