import { usageError } from './usage-errors.js';
import type { PortBinding } from '../api/create-body.js';
import { isGoIp } from './go-ip.js';
import { goQuote } from './go-quote.js';

/** docker's convertToStandardNotation: `published=8081,target=81,protocol=udp` → `8081:81/udp`. */
function toStandardNotation(spec: string): string {
  if (!spec.includes('=')) return spec;
  const params: Record<string, string> = { protocol: 'tcp' };
  for (const param of spec.split(',')) {
    const eq = param.indexOf('=');
    if (eq <= 0) throw usageError(`invalid publish opts format (should be name=value but got '${param}')`);
    params[param.slice(0, eq)] = param.slice(eq + 1);
  }
  return `${params.published ?? ''}:${params.target ?? ''}/${params.protocol ?? ''}`;
}

/** nat.SplitProtoPort: '80/udp' → ['udp', '80']; no proto → tcp. */
function splitProtoPort(raw: string): [string, string] {
  const parts = raw.split('/');
  const first = parts[0] ?? '';
  if (raw.length === 0 || first.length === 0) return ['', ''];
  if (parts.length === 1) return ['tcp', raw];
  const second = parts[1] ?? '';
  if (second.length === 0) return ['tcp', first];
  return [second, first];
}

function parseUint16(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n > 65535 ? undefined : n;
}

/** nat.ParsePortRange: '80' or '8000-8001'. */
function parsePortRange(text: string): [number, number] | undefined {
  if (text === '') return undefined;
  if (!text.includes('-')) {
    const p = parseUint16(text);
    return p === undefined ? undefined : [p, p];
  }
  const parts = text.split('-');
  const start = parseUint16(parts[0] ?? '');
  const end = parseUint16(parts[1] ?? '');
  if (start === undefined || end === undefined || end < start) return undefined;
  return [start, end];
}

/** nat's splitParts: [ip:][hostPort:]containerPort, the IP keeping any extra colons. */
function splitParts(raw: string): [string, string, string] {
  const parts = raw.split(':');
  const n = parts.length;
  const container = parts[n - 1] ?? '';
  if (n === 1) return ['', '', container];
  if (n === 2) return ['', parts[0] ?? '', container];
  if (n === 3) return [parts[0] ?? '', parts[1] ?? '', container];
  return [parts.slice(0, n - 2).join(':'), parts[n - 2] ?? '', container];
}

interface PortMapping {
  port: string;
  binding: PortBinding;
}

/** nat.ParsePortSpec for one -p value. */
function parsePortSpec(raw: string): PortMapping[] {
  const [rawIp, hostPort, containerPart] = splitParts(raw);
  let ip = rawIp;
  const [proto, containerPort] = splitProtoPort(containerPart);
  if (ip.startsWith('[')) {
    const close = ip.indexOf(']');
    if (close !== ip.length - 1) throw usageError(`invalid IP address ${ip}: address ${ip}:: missing ']' in address`);
    ip = ip.slice(1, -1);
  }
  if (ip !== '' && !isGoIp(ip)) throw usageError(`invalid IP address: ${ip}`);
  if (containerPort === '') throw usageError(`no port specified: ${raw}<empty>`);
  const cRange = parsePortRange(containerPort);
  if (cRange === undefined) throw usageError(`invalid containerPort: ${containerPort}`);
  const [start, end] = cRange;
  let hStart = 0;
  let hEnd = 0;
  if (hostPort.length > 0) {
    const hRange = parsePortRange(hostPort);
    if (hRange === undefined) throw usageError(`invalid hostPort: ${hostPort}`);
    [hStart, hEnd] = hRange;
  }
  if (hostPort !== '' && end - start !== hEnd - hStart && end !== start) {
    throw usageError(`invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}`);
  }
  const lowerProto = proto.toLowerCase();
  if (!['tcp', 'udp', 'sctp'].includes(lowerProto)) throw usageError(`invalid proto: ${proto}`);
  const out: PortMapping[] = [];
  for (let i = 0; i <= end - start; i++) {
    let hp = hostPort;
    if (hostPort.length > 0) hp = String(hStart + i);
    if (start === end && hStart !== hEnd) hp = `${hp}-${hEnd}`;
    out.push({ port: `${start + i}/${lowerProto}`, binding: { HostIp: ip, HostPort: hp } });
  }
  return out;
}

/** One host binding of a container port, as the model keeps it (src/model/run-spec.ts PublishedPort). */
export interface PortPublication {
  /** `80/tcp`. */
  port: string;
  hostIp: string;
  hostPort: string;
  /**
   * The long form's `host-ip`, which docker 28 ignores (it sends no address): kept so that a preset
   * that binds unnamed addresses to one interface honours the address the user wrote.
   */
  requestedIp?: string;
}

/** One -p value (docker's convertToStandardNotation + nat.ParsePortSpec), ranges expanded. */
export function parsePublish(value: string): PortPublication[] {
  const requested = value.includes('=') ? longFormHostIp(value) : undefined;
  return parsePortSpec(toStandardNotation(value)).map((m) => ({
    port: m.port,
    hostIp: m.binding.HostIp,
    hostPort: m.binding.HostPort,
    ...(requested === undefined ? {} : { requestedIp: requested }),
  }));
}

function longFormHostIp(value: string): string | undefined {
  for (const field of value.split(',')) {
    const eq = field.indexOf('=');
    if (eq > 0 && field.slice(0, eq).trim().toLowerCase() === 'host-ip') {
      const ip = field.slice(eq + 1).trim();
      return ip === '' ? undefined : ip.replace(/^\[(.*)\]$/, '$1');
    }
  }
  return undefined;
}

/** One --expose value: the ports it exposes (`8000-8001/udp` → two). */
export function parseExpose(e: string): string[] {
  if (e.includes(':')) throw usageError(`invalid port format for --expose: ${e}`);
  const [proto, port] = splitProtoPort(e);
  const range = parsePortRange(port);
  if (range === undefined) {
    throw usageError(`invalid range format for --expose: ${e}, error: ${exposeRangeReason(port)}`);
  }
  const out: string[] = [];
  for (let p = range[0]; p <= range[1]; p++) out.push(`${p}/${proto}`);
  return out;
}

function exposeRangeReason(port: string): string {
  if (port === '') return 'empty string specified for ports';
  const parts = port.split('-');
  for (const p of parts.slice(0, 2)) {
    if (!/^\d+$/.test(p)) return `strconv.ParseUint: parsing ${goQuote(p)}: invalid syntax`;
    if (Number(p) > 65535) return `strconv.ParseUint: parsing ${goQuote(p)}: value out of range`;
  }
  return `invalid range specified for port: ${port}`;
}
