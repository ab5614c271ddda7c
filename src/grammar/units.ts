/**
 * Number and size parsing with the exact rules (and error texts) of the Go functions docker uses:
 * go-units RAMInBytes, big.Rat for --cpus, strconv.ParseInt/ParseUint.
 */
import { ValueError } from './value-error.js';

import { goQuote as GO_QUOTE } from './go-quote.js';

const BINARY: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** Go's strconv.ParseFloat for the decimal forms (hex floats are not accepted here). */
function parseGoFloat(text: string): number {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    const n = Number(text);
    if (!Number.isFinite(n)) throw new ValueError(`strconv.ParseFloat: parsing ${GO_QUOTE(text)}: value out of range`);
    return n;
  }
  if (/^[+-]?(inf|infinity|nan)$/i.test(text)) return Number(text.replace(/inf(inity)?/i, 'Infinity'));
  throw new ValueError(`strconv.ParseFloat: parsing ${GO_QUOTE(text)}: invalid syntax`);
}

/**
 * go-units RAMInBytes: a size with binary multipliers (k, m, g, t, p; case-insensitive; optional
 * "b" or "ib"), decimals allowed, truncated to an integer. `512m` → 536870912.
 */
export function ramInBytes(text: string): number {
  let sep = -1;
  for (let i = text.length - 1; i >= 0; i--) {
    if ('0123456789. '.includes(text.charAt(i))) {
      sep = i;
      break;
    }
  }
  if (sep === -1) throw new ValueError(`invalid size: '${text}'`);
  let num: string;
  let sfx: string;
  if (text.charAt(sep) !== ' ') {
    num = text.slice(0, sep + 1);
    sfx = text.slice(sep + 1);
  } else {
    num = text.slice(0, sep);
    sfx = text.slice(sep + 1);
  }
  let size = parseGoFloat(num);
  if (size < 0) throw new ValueError(`invalid size: '${text}'`);
  if (sfx.length === 0) return Math.trunc(size);
  const bad = (): never => {
    throw new ValueError(`invalid suffix: '${sfx}'`);
  };
  if (sfx.length > 3) bad();
  sfx = sfx.toLowerCase();
  if (sfx.startsWith('b')) {
    if (sfx.length > 1) bad();
    return Math.trunc(size);
  }
  const mul = BINARY[sfx.charAt(0)];
  if (mul === undefined) return bad();
  size *= mul;
  if (sfx.length === 2 && sfx.charAt(1) !== 'b') bad();
  if (sfx.length === 3 && sfx.slice(1) !== 'ib') bad();
  return Math.trunc(size);
}

type Radix = 2 | 8 | 10 | 16;
const DIGITS: Record<Radix, RegExp> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ };

/**
 * Split an unsigned integer literal into base and digits the way Go does for base 0 (prefixes
 * 0x 0b 0o and a leading 0 for octal; underscores between digits). Undefined when malformed.
 */
function goIntLiteral(text: string, base: 0 | 10, leadingZeroOctal: boolean): bigint | undefined {
  let radix: Radix = 10;
  let digits = text;
  let prefixed = false;
  if (base === 0) {
    const p = text.slice(0, 2).toLowerCase();
    if (p === '0x') [radix, digits, prefixed] = [16, text.slice(2), true];
    else if (p === '0b') [radix, digits, prefixed] = [2, text.slice(2), true];
    else if (p === '0o') [radix, digits, prefixed] = [8, text.slice(2), true];
    else if (leadingZeroOctal && text.length > 1 && text.startsWith('0'))
      [radix, digits, prefixed] = [8, text.slice(1), true];
    if (digits.includes('_')) {
      // Go: underscores only between digits, or between the prefix and a digit.
      const ok = new RegExp(`^${prefixed ? '_?' : ''}[^_]+(_[^_]+)*$`).test(digits);
      if (!ok) return undefined;
      digits = digits.replace(/_/g, '');
    }
  }
  if (digits.length === 0 || !DIGITS[radix].test(digits)) return undefined;
  let v = 0n;
  for (const ch of digits.toLowerCase()) v = v * BigInt(radix) + BigInt(parseInt(ch, 16));
  return v;
}

/** strconv.ParseInt(text, base, 64) with Go's error text. */
export function goParseInt(text: string, base: 0 | 10 = 0): number {
  let body = text;
  let negative = false;
  if (body.startsWith('+') || body.startsWith('-')) {
    negative = body.startsWith('-');
    body = body.slice(1);
  }
  const v = goIntLiteral(body, base, true);
  if (v === undefined) throw new ValueError(`strconv.ParseInt: parsing ${GO_QUOTE(text)}: invalid syntax`);
  const signed = negative ? -v : v;
  if (signed > 2n ** 63n - 1n || signed < -(2n ** 63n)) {
    throw new ValueError(`strconv.ParseInt: parsing ${GO_QUOTE(text)}: value out of range`);
  }
  return Number(signed);
}

/** strconv.ParseUint(text, base, bits) with Go's error text (no sign allowed). */
export function goParseUint(text: string, base: 0 | 8 | 10, bits: number): number {
  let v: bigint | undefined;
  if (base === 8) v = /^[0-7]+$/.test(text) ? BigInt(`0o${text}`) : undefined;
  else v = goIntLiteral(text, base, true);
  if (v === undefined) throw new ValueError(`strconv.ParseUint: parsing ${GO_QUOTE(text)}: invalid syntax`);
  if (v > 2n ** BigInt(bits) - 1n)
    throw new ValueError(`strconv.ParseUint: parsing ${GO_QUOTE(text)}: value out of range`);
  return Number(v);
}

/** A decimal number as an exact fraction, per big.Rat.SetString. */
function parseRational(text: string): { num: bigint; den: bigint } | undefined {
  const slash = text.indexOf('/');
  if (slash >= 0) {
    let numText = text.slice(0, slash);
    let negative = false;
    if (numText.startsWith('+') || numText.startsWith('-')) {
      negative = numText.startsWith('-');
      numText = numText.slice(1);
    }
    const num = goIntLiteral(numText, 0, true);
    const den = goIntLiteral(text.slice(slash + 1), 0, true);
    if (num === undefined || den === undefined || den === 0n) return undefined;
    return { num: negative ? -num : num, den };
  }
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (m !== null) {
    const [, sign = '', int = '', frac = '', exp] = m;
    if (int.length === 0 && frac.length === 0) return undefined;
    let num = BigInt(`${int}${frac}` || '0');
    let den = 10n ** BigInt(frac.length);
    const e = exp === undefined ? 0 : Number(exp);
    if (Math.abs(e) > 10000) return undefined;
    if (e >= 0) num *= 10n ** BigInt(e);
    else den *= 10n ** BigInt(-e);
    return { num: sign === '-' ? -num : num, den };
  }
  // Integers with a base prefix (0x10, 0b11, 0o7).
  const pm = /^([+-]?)(0[xXbBoO].*)$/.exec(text);
  if (pm !== null) {
    const v = goIntLiteral(pm[2] ?? '', 0, false);
    if (v === undefined) return undefined;
    return { num: pm[1] === '-' ? -v : v, den: 1n };
  }
  return undefined;
}

/** docker's --cpus (opts.NanoCPUs): a rational number of CPUs times 1e9, which must be whole. */
export function parseNanoCpus(text: string): number {
  const r = parseRational(text);
  if (r === undefined) throw new ValueError(`failed to parse ${text} as a rational number`);
  const scaled = r.num * 1_000_000_000n;
  if (scaled % r.den !== 0n) throw new ValueError('value is too precise');
  return Number(scaled / r.den);
}

const DURATION_UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5
  μs: 1_000n, // U+03BC
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const MAX_DURATION = 2n ** 63n - 1n;

/** Go's time.ParseDuration, in nanoseconds, with its error texts (pflag's duration flags). */
export function goParseDuration(text: string): number {
  const invalid = (): never => {
    throw new ValueError(`time: invalid duration ${GO_QUOTE(text)}`);
  };
  let s = text;
  let negative = false;
  if (s !== '' && (s.charAt(0) === '-' || s.charAt(0) === '+')) {
    negative = s.charAt(0) === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') invalid();
  let total = 0n;
  while (s !== '') {
    if (!(s.charAt(0) === '.' || (s.charAt(0) >= '0' && s.charAt(0) <= '9'))) invalid();
    const m = /^(\d*)(?:\.(\d*))?/.exec(s);
    const intPart = m?.[1] ?? '';
    const fracPart = m?.[2];
    if (intPart === '' && (fracPart === undefined || fracPart === '')) invalid();
    s = s.slice(m?.[0].length ?? 0);
    let i = 0;
    while (i < s.length && s.charAt(i) !== '.' && !(s.charAt(i) >= '0' && s.charAt(i) <= '9')) i++;
    const unitText = s.slice(0, i);
    s = s.slice(i);
    if (unitText === '') throw new ValueError(`time: missing unit in duration ${GO_QUOTE(text)}`);
    const unit = DURATION_UNITS[unitText];
    if (unit === undefined)
      throw new ValueError(`time: unknown unit ${GO_QUOTE(unitText)} in duration ${GO_QUOTE(text)}`);
    const v = BigInt(intPart === '' ? '0' : intPart);
    if (v > MAX_DURATION / unit) invalid();
    let part = v * unit;
    if (fracPart !== undefined && fracPart !== '') {
      part += (BigInt(fracPart) * unit) / 10n ** BigInt(fracPart.length);
    }
    total += part;
    if (total > MAX_DURATION) invalid();
  }
  return Number(negative ? -total : total);
}
