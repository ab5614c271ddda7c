import { JOIN_DEPTH, joinedContainer, type ContainerFacts } from '../../engine/facts.js';
import type { RuleId } from '../types.js';
import { originOf, q, type Check, type Hit, type RuleContext } from './context.js';

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

/**
 * SD104–SD110: the host's namespaces, or another container's. Every --network entry counts, not
 * only the first: engines from API 1.44 take several at create, and `--network bridge --network
 * host` would otherwise hide the host's network behind the first entry.
 */
const namespaces: Check = (ctx) => {
  const { spec } = ctx;
  const hits: Hit[] = [];
  for (const ns of NAMESPACES) {
    const modes = ns.spec === 'networks' ? spec.networks.map((n) => n.target) : [spec[ns.spec]];
    const origin = originOf(ctx, ns.spec);
    const host = modes.find((raw) => raw.trim().toLowerCase() === 'host');
    if (host !== undefined) {
      const among = modes.length > 1 ? ` among ${modes.length} networks` : '';
      hits.push({ rule: ns.host, detail: `${ns.field} is "host" (--${ns.flag} host${among})`, origin });
    }
    if (!ns.joins) continue;
    for (const raw of modes) {
      if (!raw.trim().toLowerCase().startsWith('container:')) continue;
      hits.push({ rule: 'SD110', detail: `${ns.field} is ${q(raw)} (--${ns.flag} ${raw})`, origin, item: ns.flag });
      const through = throughContainer(ctx, ns, raw);
      if (through !== undefined) hits.push({ ...through, origin });
    }
  }
  return hits;
};

/** The container's mode for this namespace, as inspect reports it. */
const modeOf = (c: ContainerFacts, ns: NamespaceField): string =>
  ns.spec === 'pid' ? c.pidMode : ns.spec === 'ipc' ? c.ipcMode : c.networkMode;

/**
 * Joining a container that shares the host's namespace is sharing the host's: the host rule fires
 * "through container X", following containers that join others in turn. A container the engine
 * could not be asked about is refused (fail closed), once the engine facts were gathered.
 */
function throughContainer(ctx: RuleContext, ns: NamespaceField, raw: string): Omit<Hit, 'origin'> | undefined {
  const engine = ctx.facts?.engine;
  if (engine === undefined) return undefined;
  const chain: string[] = [];
  const seen = new Set<string>();
  let ref = joinedContainer(raw);
  while (ref !== undefined) {
    // A loop of joins reaches no host namespace: every container in it was judged.
    if (seen.has(ref)) return undefined;
    seen.add(ref);
    if (chain.length >= JOIN_DEPTH)
      return {
        rule: 'SD135',
        detail: `${ns.field} is ${q(raw)}: container ${chain.at(-1) ?? ''} joins container ${q(ref)}, more than ${JOIN_DEPTH} containers deep, so whether the chain ends in the host's namespace cannot be judged`,
        item: ns.flag,
      };
    const c = engine.containers[ref];
    if (c === undefined || c === null) {
      const why = engine.unreadable[`container ${ref}`];
      return {
        rule: 'SD135',
        detail: `${ns.field} is ${q(raw)}: ${c === null ? `there is no container ${q(ref)}` : `container ${q(ref)} could not be inspected${why === undefined ? '' : ` (${why})`}`}, so whether it shares the host's namespace cannot be judged`,
        item: ns.flag,
      };
    }
    chain.push(c.name);
    const mode = modeOf(c, ns).trim().toLowerCase();
    if (mode === 'host') {
      const via = chain.map((n) => `container ${n}`).join(', which joins ');
      return {
        rule: ns.host,
        detail: `${ns.field} is ${q(raw)}: through ${via}, which runs with ${ns.field} "host" (--${ns.flag} host)`,
      };
    }
    ref = joinedContainer(modeOf(c, ns));
  }
  return undefined;
}

export const namespaceChecks: readonly Check[] = [namespaces];
