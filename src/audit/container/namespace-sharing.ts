import type { ContainerInspect } from '../../api/inspect.js';
import type { NamespaceKind } from '../host/read-process.js';
import { containerName } from './container-name.js';

/** The HostConfig field that sets each namespace, and whether docker lets one container join another's. */
const MODE_FIELD: Readonly<Record<NamespaceKind, 'PidMode' | 'IpcMode' | 'UTSMode' | 'NetworkMode'>> = {
  pid: 'PidMode',
  ipc: 'IpcMode',
  uts: 'UTSMode',
  net: 'NetworkMode',
};

export interface SharingInput {
  inspect: ContainerInspect;
  /** /proc/PID/ns links of the container's process, when read. */
  namespaces?: Partial<Record<NamespaceKind, string>>;
}

/** Another container in one of this container's namespaces, and how that is known. */
export interface NamespaceShare {
  kind: NamespaceKind;
  /** Names of the containers that share it. */
  with: string[];
  /** "joined": their settings name this container (container:ID); "observed": only /proc shows it. */
  how: 'joined' | 'observed';
}

const nameOf = containerName;
const modeOf = (c: ContainerInspect, kind: NamespaceKind): string => (c.HostConfig?.[MODE_FIELD[kind]] ?? '').trim();

/**
 * For each container, the other containers that live in its namespaces without it having asked
 * to join theirs: those that joined it (--pid/--ipc/--network container:ID), and, when the
 * processes were read, any other container whose /proc/PID/ns link is the same. The host's
 * namespaces (`hostLinks`, and those of containers set to "host") are left out: sharing the
 * host's is a rule of its own (SD104–SD107). A container that joined another is left out too:
 * its own settings already say so (SD110).
 */
export function namespaceSharing(
  containers: readonly SharingInput[],
  hostLinks: ReadonlySet<string> = new Set(),
): Map<string, NamespaceShare[]> {
  const byId = new Map(containers.map((c) => [c.inspect.Id, c]));
  const byName = new Map(containers.map((c) => [nameOf(c.inspect), c]));
  const resolve = (ref: string) =>
    byId.get(ref) ?? byName.get(ref.replace(/^\//, '')) ?? containers.find((c) => c.inspect.Id.startsWith(ref));
  const out = new Map<string, NamespaceShare[]>();
  for (const kind of ['pid', 'ipc', 'uts', 'net'] as const) {
    const host = new Set(hostLinks);
    for (const c of containers) {
      const link = c.namespaces?.[kind];
      if (modeOf(c.inspect, kind).toLowerCase() === 'host' && link !== undefined) host.add(link);
    }
    const joinedBy = new Map<string, Set<string>>();
    for (const c of containers) {
      const mode = modeOf(c.inspect, kind);
      if (!mode.toLowerCase().startsWith('container:')) continue;
      const donor = resolve(mode.slice('container:'.length));
      if (donor === undefined || donor === c) continue;
      const set = joinedBy.get(donor.inspect.Id) ?? new Set<string>();
      set.add(c.inspect.Id);
      joinedBy.set(donor.inspect.Id, set);
    }
    const byLink = new Map<string, string[]>();
    for (const c of containers) {
      const link = c.namespaces?.[kind];
      if (link === undefined || host.has(link)) continue;
      byLink.set(link, [...(byLink.get(link) ?? []), c.inspect.Id]);
    }
    for (const c of containers) {
      if (modeOf(c.inspect, kind).toLowerCase().startsWith('container:')) continue;
      const joined = joinedBy.get(c.inspect.Id) ?? new Set<string>();
      const link = c.namespaces?.[kind];
      const same = link === undefined ? [] : (byLink.get(link) ?? []).filter((id) => id !== c.inspect.Id);
      const observed = same.filter((id) => !joined.has(id));
      const shares = out.get(c.inspect.Id) ?? [];
      const names = (ids: Iterable<string>) =>
        [...ids]
          .map((id) => byId.get(id))
          .flatMap((o) => (o === undefined ? [] : [nameOf(o.inspect)]))
          .sort();
      if (joined.size > 0) shares.push({ kind, with: names(joined), how: 'joined' });
      if (observed.length > 0) shares.push({ kind, with: names(observed), how: 'observed' });
      if (shares.length > 0) out.set(c.inspect.Id, shares);
    }
  }
  return out;
}
