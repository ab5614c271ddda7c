import type { RuleId } from '../types.js';
import { originOf, q, type Check, type Hit } from './context.js';

interface NamespaceField {
  field: 'PidMode' | 'IpcMode' | 'NetworkMode' | 'UTSMode' | 'UsernsMode' | 'CgroupnsMode';
  flag: string;
  /** The rule for sharing the host's namespace. */
  host: RuleId;
  /** Whether `container:NAME` is possible for this namespace (SD110). */
  joins: boolean;
}

const NAMESPACES: readonly NamespaceField[] = [
  { field: 'PidMode', flag: 'pid', host: 'SD104', joins: true },
  { field: 'IpcMode', flag: 'ipc', host: 'SD105', joins: true },
  { field: 'NetworkMode', flag: 'network', host: 'SD106', joins: true },
  { field: 'UTSMode', flag: 'uts', host: 'SD107', joins: false },
  { field: 'UsernsMode', flag: 'userns', host: 'SD108', joins: false },
  { field: 'CgroupnsMode', flag: 'cgroupns', host: 'SD109', joins: false },
];

/** SD104–SD110: the host's namespaces, or another container's. */
const namespaces: Check = ({ hc, options }) => {
  const hits: Hit[] = [];
  for (const ns of NAMESPACES) {
    const raw = hc[ns.field];
    if (typeof raw !== 'string') continue;
    const mode = raw.trim().toLowerCase();
    const origin = originOf(options, ns.flag);
    if (mode === 'host') hits.push({ rule: ns.host, detail: `${ns.field} is "host" (--${ns.flag} host)`, origin });
    else if (ns.joins && mode.startsWith('container:'))
      hits.push({ rule: 'SD110', detail: `${ns.field} is ${q(raw)} (--${ns.flag} ${raw})`, origin });
  }
  return hits;
};

export const namespaceChecks: readonly Check[] = [namespaces];
