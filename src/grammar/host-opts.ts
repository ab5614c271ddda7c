/**
 * docker's opts validators for the name-resolution and link flags: --add-host, --dns, --dns-search,
 * --link, --sysctl (opts/hosts.go, opts/opts.go at docker/cli v28.2.2).
 */
import { ValueError } from './value-error.js';
import { canonicalIp } from './go-ip.js';
import { goQuote } from './go-quote.js';

/** opts.ValidateExtraHost: `host:ip` or `host=ip` → `host:ip`; `[v6]` unbracketed; host-gateway kept. */
export function validateExtraHost(val: string): string {
  let cut = val.indexOf('=');
  if (cut < 0) cut = val.indexOf(':');
  const k = cut < 0 ? val : val.slice(0, cut);
  let v = cut < 0 ? '' : val.slice(cut + 1);
  if (cut < 0 || k === '' || k.includes(':')) throw new ValueError(`bad format for add-host: ${goQuote(val)}`);
  if (v !== 'host-gateway') {
    if (v.length > 2 && v.startsWith('[') && v.endsWith(']')) v = v.slice(1, -1);
    if (canonicalIp(v) === undefined) throw new ValueError(`invalid IP address in add-host: ${goQuote(v)}`);
  }
  return `${k}:${v}`;
}

/** opts.ValidateIPAddress: the address in Go's canonical form. */
export function validateIpAddress(val: string): string {
  const ip = canonicalIp(val);
  if (ip === undefined) throw new ValueError(`IP address is not correctly formatted: ${val}`);
  return ip;
}

const DOMAIN =
  /^(:?(:?[a-zA-Z0-9]|(:?[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))(:?\.(:?[a-zA-Z0-9]|(:?[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])))*)\.?[\t\n\f\r ]*$/;

/** opts.ValidateDNSSearch: "." or a domain (trailing dot dropped). */
export function validateDnsSearch(raw: string): string {
  const val = raw.replace(/^ +| +$/g, '');
  if (val === '.') return val;
  if (!/[a-zA-Z]/.test(val)) throw new ValueError(`${val} is not a valid domain`);
  const m = DOMAIN.exec(val);
  if (m !== null && Buffer.byteLength(m[1] ?? '') < 255) return m[1] ?? '';
  throw new ValueError(`${val} is not a valid domain`);
}

/** opts.ValidateLink: `name[:alias]`, at most one colon. */
export function validateLink(val: string): string {
  if (val === '') throw new ValueError('empty string specified for links');
  if (val.split(':').length > 2) throw new ValueError(`bad format for links: ${val}`);
  return val;
}

const SYSCTLS = new Set([
  'kernel.msgmax',
  'kernel.msgmnb',
  'kernel.msgmni',
  'kernel.sem',
  'kernel.shmall',
  'kernel.shmmax',
  'kernel.shmmni',
  'kernel.shm_rmid_forced',
]);

/** opts.ValidateSysctl: the client's allow-list of namespaced sysctls. */
export function validateSysctl(val: string): string {
  const eq = val.indexOf('=');
  const k = eq < 0 ? '' : val.slice(0, eq);
  if (k !== '' && (SYSCTLS.has(k) || k.startsWith('net.') || k.startsWith('fs.mqueue.'))) return val;
  throw new ValueError(`sysctl '${val}' is not allowed`);
}
