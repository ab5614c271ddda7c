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
