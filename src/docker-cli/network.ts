import { usageError } from './usage-errors.js';
import { zeroEndpointSettings } from './baseline.js';
import { readCsvRecord } from './csv.js';
import { ValueError } from './value-error.js';
import { isGoMac } from './go-ip.js';

/** One --network value (docker's opts.NetworkAttachmentOpts). */
export interface NetworkAttachment {
  target: string;
  aliases: string[];
  ipv4: string;
  ipv6: string;
  macAddress: string;
  linkLocalIps: string[];
  driverOpts: Record<string, string> | undefined;
  gwPriority: number;
  links?: string[];
}

/** The container-wide network flags docker applies to the first network (applyContainerOptions). */
export interface ContainerNetworkOptions {
  aliases: readonly string[];
  links: readonly string[];
  ipv4: string;
  ipv6: string;
  macAddress: string;
  linkLocalIps: readonly string[];
}

const LONG_SYNTAX = /\w+=\w+/;

/** docker's NetworkOpt.Set: a plain network name, or the csv form `name=NET,alias=A,ip=…`. */
export function parseNetworkValue(value: string): NetworkAttachment {
  const n: NetworkAttachment = {
    target: '',
    aliases: [],
    ipv4: '',
    ipv6: '',
    macAddress: '',
    linkLocalIps: [],
    driverOpts: undefined,
    gwPriority: 0,
  };
  if (!LONG_SYNTAX.test(value)) {
    n.target = value;
    return n;
  }
  for (const field of readCsvRecord(value)) {
    // docker lower-cases the whole field, value included.
    const lower = field.toLowerCase();
    const eq = lower.indexOf('=');
    if (eq <= 0) throw new ValueError(`invalid field ${field}`);
    const key = lower.slice(0, eq).trim();
    const val = lower.slice(eq + 1).trim();
    switch (key) {
      case 'name':
        n.target = val;
        break;
      case 'alias':
        n.aliases.push(val);
        break;
      case 'ip':
        n.ipv4 = val;
        break;
      case 'ip6':
        n.ipv6 = val;
        break;
      case 'mac-address':
        n.macAddress = val;
        break;
      case 'link-local-ip':
        n.linkLocalIps.push(val);
        break;
      case 'driver-opt': {
        const deq = val.indexOf('=');
        if (deq <= 0) throw new ValueError('invalid key value pair format in driver options');
        n.driverOpts ??= {};
        n.driverOpts[val.slice(0, deq).trim()] = val.slice(deq + 1).trim();
        break;
      }
      case 'gw-priority':
        if (!/^[+-]?\d+$/.test(val)) throw new ValueError(`invalid gw-priority (${val}): invalid syntax`);
        n.gwPriority = Number(val);
        break;
      default:
        throw new ValueError(`invalid field key ${key}`);
    }
  }
  if (n.target === '') throw new ValueError('network name/id is not specified');
  return n;
}

/** container.NetworkMode.IsUserDefined. */
export function isUserDefinedNetwork(mode: string): boolean {
  return !['default', 'bridge', 'host', 'none'].includes(mode) && !mode.startsWith('container:');
}

export interface NetworkResult {
  networkMode: string;
  endpoints: Record<string, Record<string, unknown>>;
}

function endpointFor(n: NetworkAttachment): Record<string, unknown> {
  if (n.target.trim() === '') throw usageError('no name set for network');
  if (!isUserDefinedNetwork(n.target)) {
    if (n.aliases.length > 0) throw usageError('network-scoped aliases are only supported for user-defined networks');
    if ((n.links ?? []).length > 0) throw usageError('links are only supported for user-defined networks');
  }
  const ep = zeroEndpointSettings();
  if (n.aliases.length > 0) ep.Aliases = [...n.aliases];
  if (n.driverOpts !== undefined) ep.DriverOpts = n.driverOpts;
  if ((n.links ?? []).length > 0) ep.Links = [...(n.links ?? [])];
  if (n.ipv4 !== '' || n.ipv6 !== '' || n.linkLocalIps.length > 0) {
    const ipam: Record<string, unknown> = {};
    if (n.ipv4 !== '') ipam.IPv4Address = n.ipv4;
    if (n.ipv6 !== '') ipam.IPv6Address = n.ipv6;
    if (n.linkLocalIps.length > 0) ipam.LinkLocalIPs = [...n.linkLocalIps];
    ep.IPAMConfig = ipam;
  }
  if (n.macAddress !== '') {
    if (!isGoMac(n.macAddress.trim())) throw usageError(`${n.macAddress} is not a valid mac address`);
    ep.MacAddress = n.macAddress;
  }
  ep.GwPriority = n.gwPriority;
  return ep;
}

function isZeroEndpoint(n: NetworkAttachment): boolean {
  return (
    n.aliases.length === 0 &&
    n.ipv4 === '' &&
    n.ipv6 === '' &&
    n.macAddress === '' &&
    n.linkLocalIps.length === 0 &&
    n.driverOpts === undefined &&
    (n.links ?? []).length === 0 &&
    n.gwPriority === 0
  );
}

/** applyContainerOptions: the container-wide flags land on the first network, conflicts refused. */
function applyContainerOptions(n: NetworkAttachment, o: ContainerNetworkOptions): NetworkAttachment {
  if (n.aliases.length > 0 && o.aliases.length > 0) {
    throw usageError('conflicting options: cannot specify both --network-alias and per-network alias');
  }
  if (n.ipv4 !== '' && o.ipv4 !== '')
    throw usageError('conflicting options: cannot specify both --ip and per-network IPv4 address');
  if (n.ipv6 !== '' && o.ipv6 !== '')
    throw usageError('conflicting options: cannot specify both --ip6 and per-network IPv6 address');
  if (n.macAddress !== '' && o.macAddress !== '') {
    throw usageError('conflicting options: cannot specify both --mac-address and per-network MAC address');
  }
  if (n.linkLocalIps.length > 0 && o.linkLocalIps.length > 0) {
    throw usageError(
      'conflicting options: cannot specify both --link-local-ip and per-network link-local IP addresses',
    );
  }
  const out: NetworkAttachment = { ...n };
  if (o.aliases.length > 0) out.aliases = [...o.aliases];
  // On a user-defined network --link is an endpoint option; on the default bridge a legacy link.
  if (isUserDefinedNetwork(n.target) && o.links.length > 0) out.links = [...o.links];
  if (o.ipv4 !== '') out.ipv4 = o.ipv4;
  if (o.ipv6 !== '') out.ipv6 = o.ipv6;
  if (o.macAddress !== '') out.macAddress = o.macAddress;
  if (o.linkLocalIps.length > 0) out.linkLocalIps = [...o.linkLocalIps];
  return out;
}

/**
 * docker's parseNetworkOpts: NetworkMode is the first network (or "default"); the container-wide
 * flags apply to the first network; a lone network without options sends no endpoint settings.
 */
export function buildNetworks(networks: readonly NetworkAttachment[], options: ContainerNetworkOptions): NetworkResult {
  const endpoints: Record<string, Record<string, unknown>> = {};
  if (networks.length === 0) {
    endpoints.default = endpointFor(applyContainerOptions({ ...blank(), target: 'default' }, options));
    return { networkMode: 'default', endpoints };
  }
  let userDefined = false;
  let other = false;
  // A loop rather than forEach, so the compiler sees the flags set before they are read below.
  for (const [i, raw] of networks.entries()) {
    if (isUserDefinedNetwork(raw.target)) userDefined = true;
    else other = true;
    const n = i === 0 ? applyContainerOptions(raw, options) : raw;
    const ep = endpointFor(n);
    if (Object.hasOwn(endpoints, n.target)) throw usageError(`network "${n.target}" is specified multiple times`);
    if (i === 0 && networks.length === 1 && isZeroEndpoint(n)) continue;
    endpoints[n.target] = ep;
  }
  if (userDefined && other) {
    throw usageError('conflicting options: cannot attach both user-defined and non-user-defined network-modes');
  }
  return { networkMode: networks[0]?.target ?? 'default', endpoints };
}

/** The moby client refuses endpoint MAC addresses below API 1.44 ("specify mac-address per network"). */
export function checkEndpointMacGate(endpoints: Record<string, Record<string, unknown>>, apiVersion: string): void {
  const hasMac = Object.values(endpoints).some((ep) => typeof ep.MacAddress === 'string' && ep.MacAddress !== '');
  if (hasMac && versionLess(apiVersion, '1.44')) {
    throw usageError(
      `"specify mac-address per network" requires API version 1.44, but the Docker daemon API version is ${apiVersion}`,
    );
  }
}

function blank(): NetworkAttachment {
  return {
    target: '',
    aliases: [],
    ipv4: '',
    ipv6: '',
    macAddress: '',
    linkLocalIps: [],
    driverOpts: undefined,
    gwPriority: 0,
  };
}

/** "1.41" < "1.44" as docker's versions.LessThan compares. */
export function versionLess(a: string, b: string): boolean {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}
