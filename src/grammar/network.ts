import { readCsvRecord } from './csv.js';
import { ValueError } from './value-error.js';

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

/** An attachment with nothing set but what the caller fills in. */
export function blankAttachment(): NetworkAttachment {
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

/** docker's NetworkOpt.Set: a plain network name, or the csv form `name=NET,alias=A,ip=…`. */
export function parseNetworkValue(value: string): NetworkAttachment {
  const n = blankAttachment();
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
