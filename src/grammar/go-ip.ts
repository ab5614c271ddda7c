import { isIPv4, isIPv6 } from 'node:net';

/** Go's net.ParseIP accepts it: dotted IPv4 (no leading zeros) or IPv6 without a zone. */
export function isGoIp(text: string): boolean {
  if (text.includes('%')) return false;
  if (isIPv4(text)) return !/(^|\.)0\d/.test(text);
  if (isIPv6(text)) {
    const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
    return v4 === null || !/(^|\.)0\d/.test(v4[1] ?? '');
  }
  return false;
}

/** Go's strings.TrimSpace (Unicode white space, not U+FEFF). */
export function goTrimSpace(text: string): string {
  return text
    .replace(/^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/, '')
    .replace(/[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/, '');
}

function v4Bytes(text: string): number[] {
  return text.split('.').map((x) => Number(x));
}

/** The 16 bytes of an address isGoIp accepted. */
function ipBytes(text: string): number[] {
  if (isIPv4(text)) return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4Bytes(text)];
  let body = text;
  let tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  if (v4 !== null) {
    tail = v4Bytes(v4[1] ?? '');
    body = body.slice(0, body.length - (v4[1] ?? '').length);
    if (body.endsWith(':') && !body.endsWith('::')) body = body.slice(0, -1);
  }
  const groupsOf = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const want = 8 - tail.length / 2;
  let groups: number[];
  const dbl = body.indexOf('::');
  if (dbl >= 0) {
    const head = groupsOf(body.slice(0, dbl));
    const rest = groupsOf(body.slice(dbl + 2));
    groups = [...head, ...new Array<number>(want - head.length - rest.length).fill(0), ...rest];
  } else {
    groups = groupsOf(body);
  }
  const bytes: number[] = [];
  for (const g of groups) bytes.push(g >> 8, g & 0xff);
  return [...bytes, ...tail];
}

/** Go's net.IP.String() of a parsed address: IPv4 (and v4-mapped) dotted, IPv6 per RFC 5952. */
export function goIpString(text: string): string {
  const b = ipBytes(text);
  if (b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return b.slice(12).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] ?? 0) << 8) | (b[i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number[]): string => g.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

/** docker's opts.ValidateIPAddress: the address in Go's canonical form, or undefined. */
export function canonicalIp(text: string): string | undefined {
  const t = goTrimSpace(text);
  return isGoIp(t) ? goIpString(t) : undefined;
}

/** Go's net.ParseMAC accepts it (6, 8 or 20 octets; `:`/`-` pairs or `.` quads). */
export function isGoMac(text: string): boolean {
  const s = text;
  if (s.length < 14) return false;
  const okN = (n: number): boolean => n === 6 || n === 8 || n === 20;
  const isHex = (c: string): boolean => /^[0-9a-fA-F]$/.test(c);
  if (s.charAt(2) === ':' || s.charAt(2) === '-') {
    if ((s.length + 1) % 3 !== 0) return false;
    const n = (s.length + 1) / 3;
    if (!okN(n)) return false;
    const sep = s.charAt(2);
    for (let i = 0, x = 0; i < n; i++, x += 3) {
      if (!isHex(s.charAt(x)) || !isHex(s.charAt(x + 1))) return false;
      if (i < n - 1 && s.charAt(x + 2) !== sep) return false;
    }
    return true;
  }
  if (s.charAt(4) === '.') {
    if ((s.length + 1) % 5 !== 0) return false;
    const n = (2 * (s.length + 1)) / 5;
    if (!okN(n)) return false;
    for (let i = 0, x = 0; i < n; i += 2, x += 5) {
      for (let k = 0; k < 4; k++) if (!isHex(s.charAt(x + k))) return false;
      if (i < n - 2 && s.charAt(x + 4) !== '.') return false;
    }
    return true;
  }
  return false;
}
