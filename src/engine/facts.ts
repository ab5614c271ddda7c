/**
 * Read-only facts the policy needs from the engine before anything is pulled or created for a
 * run: the named volumes it mounts (driver and options), the containers it joins or copies
 * volumes from (their namespaces and mounts, followed through their own joins), the image's
 * account files, and the group of the engine's socket. Plain data: the rules read it, never the
 * engine (src/policy/facts.ts says which facts a run needs).
 */
import { statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { posix } from 'node:path';
import { parseNetworkValue } from '../grammar/network.js';
import { emptySpec, type RunSpec } from '../model/run-spec.js';
import { toRunRequest } from '../model/to-create-body.js';
import type { ContainerInspect, Engine } from './engine-api.js';
import { firstTarEntry } from './tar-entry.js';

export interface VolumeFacts {
  name: string;
  driver: string;
  options: Record<string, string>;
}

export interface ContainerMountFacts {
  /** bind, volume, tmpfs, npipe… */
  type: string;
  /** A bind's host path; a volume's folder on the host. */
  source: string;
  /** A volume's name ('' for binds). */
  name: string;
  driver: string;
  destination: string;
  rw: boolean;
  propagation: string;
}

export interface ContainerFacts {
  id: string;
  name: string;
  pidMode: string;
  ipcMode: string;
  networkMode: string;
  privileged: boolean;
  mounts: ContainerMountFacts[];
}

export interface EngineObjects {
  /** By name; null: no such volume (the engine creates it at the run). */
  volumes: Record<string, VolumeFacts | null>;
  /** By the reference the run (or a joined container) uses; null: no such container. */
  containers: Record<string, ContainerFacts | null>;
  /** References that could not be read, with the engine's answer. */
  unreadable: Record<string, string>;
  /** The group owning the engine's unix socket, when the engine is local. */
  socketGid?: number;
}

/** The label on the never-started container that reads the image's account files. */
export const FACTS_LABEL = 'io.safedock.facts';

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** What inspect says of a container beyond ContainerInspect's fields: its namespaces and mounts' details. */
interface JoinedInspect {
  HostConfig?: { PidMode?: string; IpcMode?: string; NetworkMode?: string; Privileged?: boolean } | null;
  Mounts?: Array<{ Driver?: string; Propagation?: string }> | null;
}

export async function inspectVolume(engine: Engine, name: string): Promise<VolumeFacts | null> {
  const v = await engine.inspectVolume(name);
  if (v === undefined) return null;
  return { name: v.Name, driver: v.Driver, options: { ...(v.Options ?? {}) } };
}

export async function inspectContainerFacts(engine: Engine, ref: string): Promise<ContainerFacts | null> {
  const c = await engine.inspectContainer(ref);
  if (c === undefined) return null;
  const more = c as ContainerInspect & JoinedInspect;
  const hc = more.HostConfig ?? {};
  return {
    id: c.Id,
    name: (c.Name ?? ref).replace(/^\//, ''),
    pidMode: hc.PidMode ?? '',
    ipcMode: hc.IpcMode ?? '',
    networkMode: hc.NetworkMode ?? '',
    privileged: hc.Privileged === true,
    mounts: (c.Mounts ?? []).map((m, i) => ({
      type: (m.Type ?? '').toLowerCase(),
      source: m.Source ?? '',
      name: m.Name ?? '',
      driver: more.Mounts?.[i]?.Driver ?? '',
      destination: m.Destination ?? '',
      rw: m.RW !== false,
      propagation: (more.Mounts?.[i]?.Propagation ?? '').toLowerCase(),
    })),
  };
}

/** The container a namespace mode or --volumes-from value names (`container:NAME`, `NAME:ro`). */
export const joinedContainer = (mode: string): string | undefined => /^container:(.+)$/i.exec(mode.trim())?.[1];

/**
 * How many containers deep joins are followed. The engine lets a container join one that joins
 * another; a chain longer than this is judged unreadable by the policy (fail closed), never passed.
 */
export const JOIN_DEPTH = 5;

/**
 * The facts for the volumes and containers a run names; containers are followed through the
 * containers they join and the volumes they mount, JOIN_DEPTH levels deep.
 */
export async function gatherEngineObjects(
  engine: Engine,
  wanted: { volumes: readonly string[]; containers: readonly string[] },
): Promise<EngineObjects> {
  const facts: EngineObjects = { volumes: {}, containers: {}, unreadable: {} };
  let containers = [...new Set(wanted.containers)];
  const volumes = new Set(wanted.volumes);
  for (let depth = 0; depth < JOIN_DEPTH && containers.length > 0; depth++) {
    const next: string[] = [];
    await Promise.all(
      containers.map(async (ref) => {
        if (ref in facts.containers || ref in facts.unreadable) return;
        try {
          const c = await inspectContainerFacts(engine, ref);
          facts.containers[ref] = c;
          if (c === null) return;
          for (const mode of [c.pidMode, c.ipcMode, c.networkMode]) {
            const joined = joinedContainer(mode);
            if (joined !== undefined) next.push(joined);
          }
          for (const m of c.mounts) if (m.type === 'volume' && m.name !== '') volumes.add(m.name);
        } catch (err) {
          facts.unreadable[`container ${ref}`] = message(err);
        }
      }),
    );
    containers = next;
  }
  await Promise.all(
    [...volumes].map(async (name) => {
      try {
        facts.volumes[name] = await inspectVolume(engine, name);
      } catch (err) {
        facts.unreadable[`volume ${name}`] = message(err);
      }
    }),
  );
  const socket = engine.facts.socketPath;
  if (socket !== undefined) {
    try {
      facts.socketGid = statSync(socket).gid;
    } catch {
      // An engine reached through a socket safedock cannot stat: no group to compare.
    }
  }
  return facts;
}

/** The image's /etc/passwd and /etc/group (undefined: the image has none). */
export interface AccountFiles {
  passwd: string | undefined;
  group: string | undefined;
}

/** Files larger than this are not account files (runc itself refuses lines over 64 KiB). */
const MAX_FILE = 4 * 1024 * 1024;

/**
 * Reads the image's account files without running it: a container is created, never started,
 * its files read through the archive endpoint, and removed. Symbolic links are followed inside
 * the image, as the engine does when it resolves the user.
 */
export async function readImageAccounts(engine: Engine, image: string): Promise<AccountFiles> {
  const spec: RunSpec = {
    ...emptySpec(image),
    // Never started: a command is given only because the engine refuses an image without one.
    command: ['/nonexistent/safedock-reads-accounts'],
    labels: { [FACTS_LABEL]: 'accounts' },
    networks: [parseNetworkValue('none')],
  };
  const { id } = await engine.create(toRunRequest(spec, { apiVersion: engine.apiVersion }));
  try {
    return await readContainerAccounts(engine, id);
  } finally {
    await engine.remove(id).catch(() => undefined);
  }
}

/**
 * A container's /etc/passwd and /etc/group, read through the archive endpoint with links followed
 * inside it: the policy reads an image's this way, and learn the files of a container that ran.
 */
export async function readContainerAccounts(engine: Engine, id: string): Promise<AccountFiles> {
  return {
    passwd: await readContainerFile(engine, id, '/etc/passwd'),
    group: await readContainerFile(engine, id, '/etc/group'),
  };
}

/** A file of a container's file system, following links inside it; undefined when missing. */
async function readContainerFile(engine: Engine, id: string, path: string): Promise<string | undefined> {
  let at = path;
  for (let hop = 0; hop < 16; hop++) {
    const stream = await engine.archive(id, at);
    if (stream === undefined) return undefined;
    const entry = firstTarEntry(await collect(stream));
    if (entry === undefined) throw new Error(`the engine sent an unreadable archive for ${at}`);
    if (entry.type === '2') {
      at = posix.resolve(posix.dirname(at), entry.linkName);
      continue;
    }
    if (entry.type !== '0' && entry.type !== '7') throw new Error(`${at} in the image is not a file`);
    return entry.body.toString('utf8');
  }
  throw new Error(`${path} in the image is a chain of more than 16 links`);
}

function collect(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    stream.on('data', (c: Buffer) => {
      total += c.length;
      if (total > MAX_FILE + 1024 * 1024) {
        stream.destroy();
        reject(new Error('the file is too large to be an account file'));
        return;
      }
      chunks.push(c);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
