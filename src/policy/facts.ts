/**
 * The facts the rules read besides the run model, as plain data gathered at the edges: from the
 * engine (volumes, joined containers, the image's account files, the socket's group) and from this
 * host (what each host path the run mounts really is). Rules never do I/O; a fact they need that
 * is missing is judged by the stage: an early judgement (before the engine or the image was asked)
 * stays silent about it, the full judgement refuses (fail closed).
 */
import type { EngineFacts } from '../engine/engine-api.js';
import { joinedContainer, type EngineObjects } from '../engine/facts.js';
import { viewMount } from '../model/mounts.js';
import type { RunSpec } from '../model/run-spec.js';
import type { ImageAccounts } from './image-accounts.js';

export type { EngineObjects } from '../engine/facts.js';

/** What one host path the run mounts is, on this host. */
export interface HostPathFacts {
  /** Canonical: symlinks resolved as the kernel resolves them; a missing tail kept as written. */
  real: string;
  kind: 'socket' | 'directory' | 'file' | 'other' | 'missing';
  /** The engine socket it is (by device and inode), or that lies below it (hard links, bind mounts). */
  engineSocket?: { engine: string; socket: string; found: string };
  /** A folder below which engine sockets could not all be looked for (too many entries). */
  unsearched?: string;
  /** The first part of the path another user could replace before the engine mounts it. */
  replaceable?: { path: string; why: string };
}

/** The user running safedock, from the passwd database (never from HOME). */
export interface Invoker {
  uid: number;
  gid: number;
  home: string;
}

export interface HostFacts {
  invoker: Invoker;
  /** By the path as the run names it (absolute, ~ expanded, not cleaned). */
  paths: Record<string, HostPathFacts>;
  /** Groups that own a container engine's socket on this host. */
  socketGroups: Array<{ gid: number; socket: string }>;
  /** The host's shadow group: a container process with it reads host password hashes through any mount. */
  shadowGid?: number;
}

export interface RunFacts {
  /** early: before the engine and the image were asked; full: everything a run needs was gathered. */
  stage: 'early' | 'full';
  host?: HostFacts;
  engine?: EngineObjects;
  /** The image's account files, when the run's user needs them; a string says why they could not be read. */
  accounts?: ImageAccounts | string;
  /** What the engine can enforce: a rootless engine on cgroup v1 applies no limits (SD170). */
  engineLimits?: Pick<EngineFacts, 'rootless' | 'cgroupVersion' | 'cgroupDriver'>;
}

/** The volumes and containers a run names (which the engine must be asked about). */
export function engineObjectsWanted(spec: RunSpec): { volumes: string[]; containers: string[] } {
  const volumes = new Set<string>();
  for (const m of spec.mounts) {
    const view = viewMount(m);
    if (view.type === 'volume' && view.source !== '') volumes.add(view.source);
  }
  const containers = new Set<string>();
  for (const from of spec.volumesFrom) containers.add(volumesFromContainer(from));
  const modes = [spec.pid, spec.ipc, spec.networks[0]?.target ?? ''];
  for (const mode of modes) {
    const joined = joinedContainer(mode);
    if (joined !== undefined) containers.add(joined);
  }
  return { volumes: [...volumes], containers: [...containers] };
}

/** `--volumes-from NAME[:ro|:rw]`: the container's name. */
export function volumesFromContainer(value: string): string {
  const colon = value.lastIndexOf(':');
  const mode = colon < 0 ? '' : value.slice(colon + 1);
  return mode === 'ro' || mode === 'rw' ? value.slice(0, colon) : value;
}

/** `--volumes-from NAME:ro` makes every mount read-only; the default keeps each mount's own mode. */
export function volumesFromReadOnly(value: string): boolean {
  return value.endsWith(':ro');
}
