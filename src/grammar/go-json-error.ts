import { goQuote } from './go-quote.js';

/** Go's quoteChar for encoding/json syntax errors. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  return `'${goQuote(c).slice(1, -1)}'`;
}

class Syntax extends Error {}

/** Go's decoder refuses documents nested deeper than this ("exceeded max depth"). */
const GO_MAX_DEPTH = 10_000;

/**
 * The message of the *json.SyntaxError Go's encoding/json reports for `text`, or undefined when the
 * text is valid JSON. Covers the scanner's messages: "invalid character 'x' looking for beginning of
 * value", "... after object key", "unexpected end of JSON input", and so on.
 *
 * Valid JSON is the common case (every run reads its seccomp profile), so it is recognised by
 * JavaScript's own parser, natively: JSON.parse accepts exactly the grammar Go's scanner does. The
 * scanner below, character by character, words Go's message for the rest, and takes any document
 * with more brackets than Go's depth limit.
 */
export function goJsonSyntaxError(text: string): string | undefined {
  if (validNatively(text)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- Go scans runes: code points are wanted
  const chars = [...text];
  let i = 0;
  const peek = (): string | undefined => chars[i];
  const fail = (c: string | undefined, context: string): never => {
    throw new Syntax(c === undefined ? 'unexpected end of JSON input' : `invalid character ${quoteChar(c)} ${context}`);
  };
  const ws = (): void => {
    while (i < chars.length && ' \t\n\r'.includes(chars[i] ?? '')) i++;
  };
  const digits = (): number => {
    const start = i;
    while (/[0-9]/.test(peek() ?? '')) i++;
    return i - start;
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      const c = peek();
      if (c === undefined) return fail(c, '');
      i++;
      if (c === '"') return;
      if (c === '\\') {
        const e = peek();
        if (e === undefined) fail(e, '');
        i++;
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            const h = peek();
            if (h === undefined) fail(h, '');
            if (!/[0-9a-fA-F]/.test(h ?? '')) fail(h, 'in \\u hexadecimal character escape');
            i++;
          }
        } else if (!'"\\/bfnrt'.includes(e ?? '')) fail(e, 'in string escape code');
        continue;
      }
      if ((c.codePointAt(0) ?? 0) < 0x20) fail(c, 'in string literal');
    }
  };
  const literal = (word: string): void => {
    for (let k = 0; k < word.length; k++) {
      const c = peek();
      if (c === undefined) fail(c, '');
      if (c !== word[k]) fail(c, `in literal ${word} (expecting ${quoteChar(word[k] ?? '')})`);
      i++;
    }
  };
  const number = (): void => {
    if (peek() === '-') {
      i++;
      if (!/[0-9]/.test(peek() ?? '')) fail(peek(), 'in numeric literal');
    }
    if (peek() === '0') i++;
    else digits();
    if (peek() === '.') {
      i++;
      if (digits() === 0) fail(peek(), 'after decimal point in numeric literal');
    }
    if (peek() === 'e' || peek() === 'E') {
      i++;
      if (peek() === '+' || peek() === '-') i++;
      if (digits() === 0) fail(peek(), 'in exponent of numeric literal');
    }
  };
  const value = (): void => {
    ws();
    const c = peek();
    if (c === '{') {
      i++;
      ws();
      if (peek() === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (peek() !== '"') fail(peek(), 'looking for beginning of object key string');
        string();
        ws();
        if (peek() !== ':') fail(peek(), 'after object key');
        i++;
        value();
        ws();
        const n = peek();
        if (n === ',') {
          i++;
          continue;
        }
        if (n === '}') {
          i++;
          return;
        }
        fail(n, 'after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (peek() === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        const n = peek();
        if (n === ',') {
          i++;
          continue;
        }
        if (n === ']') {
          i++;
          return;
        }
        fail(n, 'after array element');
      }
    }
    if (c === '"') {
      string();
      return;
    }
    if (c === 't') {
      literal('true');
      return;
    }
    if (c === 'f') {
      literal('false');
      return;
    }
    if (c === 'n') {
      literal('null');
      return;
    }
    if (c === '-' || /[0-9]/.test(c ?? '')) {
      number();
      return;
    }
    fail(c, 'looking for beginning of value');
  };
  try {
    value();
    ws();
    if (i < chars.length) fail(peek(), 'after top-level value');
    return undefined;
  } catch (e) {
    if (e instanceof Syntax) return e.message;
    throw e;
  }
}

function validNatively(text: string): boolean {
  if ((text.match(/[[{]/g)?.length ?? 0) > GO_MAX_DEPTH) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
