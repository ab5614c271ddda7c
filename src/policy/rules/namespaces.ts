import type { RuleId } from '../types.js';
import { originOf, q, type Check, type Hit } from './context.js';

interface NamespaceField {
  /** The HostConfig field, as details name it. */
  field: 'PidMode' | 'IpcMode' | 'NetworkMode' | 'UTSMode' | 'UsernsMode' | 'CgroupnsMode';
  flag: string;
  /** The rule for sharing the host's namespace. */
  host: RuleId;
  /** Whether `container:NAME` is possible for this namespace (SD110). */
  joins: boolean;
  /** The model field. */
  spec: 'pid' | 'ipc' | 'networks' | 'uts' | 'userns' | 'cgroupns';
}

const NAMESPACES: readonly NamespaceField[] = [
  { field: 'PidMode', flag: 'pid', host: 'SD104', joins: true, spec: 'pid' },
  { field: 'IpcMode', flag: 'ipc', host: 'SD105', joins: true, spec: 'ipc' },
  { field: 'NetworkMode', flag: 'network', host: 'SD106', joins: true, spec: 'networks' },
  { field: 'UTSMode', flag: 'uts', host: 'SD107', joins: false, spec: 'uts' },
  { field: 'UsernsMode', flag: 'userns', host: 'SD108', joins: false, spec: 'userns' },
  { field: 'CgroupnsMode', flag: 'cgroupns', host: 'SD109', joins: false, spec: 'cgroupns' },
];

/** SD104–SD110: the host's namespaces, or another container's. */
const namespaces: Check = (ctx) => {
  const { spec } = ctx;
  const hits: Hit[] = [];
  for (const ns of NAMESPACES) {
    const raw = ns.spec === 'networks' ? (spec.networks[0]?.target ?? '') : spec[ns.spec];
    const mode = raw.trim().toLowerCase();
    const origin = originOf(ctx, ns.spec);
    if (mode === 'host')
      hits.push({ rule: ns.host, detail: `${ns.field} is "host" (--${ns.flag} host)`, origin, item: ns.flag });
    else if (ns.joins && mode.startsWith('container:'))
      hits.push({ rule: 'SD110', detail: `${ns.field} is ${q(raw)} (--${ns.flag} ${raw})`, origin, item: ns.flag });
  }
  return hits;
};

export const namespaceChecks: readonly Check[] = [namespaces];
