import { readFile, readlink } from 'node:fs/promises';
import type { EngineReader } from '../../engine/engine-reader.js';
import type { ContainerInspect } from '../../api/inspect.js';
import type { RuleId } from '../../policy/types.js';
import { NAMESPACE_KINDS, readProcess, type ProcessView } from '../host/read-process.js';
import type { Unchecked } from '../types.js';
import { configuredUid } from './effective.js';
import { selectContainers } from './select.js';

export interface GatheredContainer {
  inspect: ContainerInspect;
  process?: ProcessView;
  passwd?: string;
}

export interface Gathered {
  containers: GatheredContainer[];
  unchecked: Unchecked[];
  notes: string[];
  /** The host's own namespaces (this process's), which containers set to "host" share. */
  hostNamespaces: Set<string>;
}

export interface GatherOptions {
  all: boolean;
  names: readonly string[];
  /** Called as inspections finish: done out of total. */
  onProgress?: (done: number, total: number) => void;
  proc?: string;
}

/** The rules that need a container's process. */
const EFFECTIVE_RULES: RuleId[] = ['SD305', 'SD306', 'SD307', 'SD308'];

/**
 * One list call, the inspections in parallel, then, on a local engine, each running container's
 * process from the host's /proc (checked to be the container's through its cgroup).
 */
export async function gatherContainers(reader: EngineReader, options: GatherOptions): Promise<Gathered> {
  const proc = options.proc ?? '/proc';
  const listed = await reader.listContainers(options.all || options.names.length > 0);
  const ids = options.names.length > 0 ? selectContainers(listed, options.names) : listed.map((c) => c.Id);
  const inspected = await reader.inspectContainers(ids, (done) => options.onProgress?.(done, ids.length));
  const notes: string[] = [];
  const gone = inspected.filter((i) => i === undefined).length;
  if (gone > 0) notes.push(`${gone} container${gone === 1 ? ' was' : 's were'} removed while the audit ran`);
  const containers: GatheredContainer[] = inspected.flatMap((inspect) => (inspect ? [{ inspect }] : []));
  const unchecked: Unchecked[] = [];
  const hostNamespaces = new Set<string>();

  const running = containers.filter((c) => c.inspect.State?.Running === true && (c.inspect.State.Pid ?? 0) > 0);
  if (reader.target.kind !== 'unix') {
    if (running.length > 0)
      unchecked.push({
        rules: EFFECTIVE_RULES,
        reason: `the engine at ${reader.target.display} is on another host: its containers' processes cannot be read from here`,
      });
    return { containers, unchecked, notes, hostNamespaces };
  }
  for (const ns of NAMESPACE_KINDS) {
    const link = await readlink(`${proc}/self/ns/${ns}`).catch(() => undefined);
    if (link !== undefined) hostNamespaces.add(link);
  }
  const failures: string[] = [];
  await Promise.all(
    running.map(async (c) => {
      const pid = c.inspect.State?.Pid ?? 0;
      try {
        const view = await readProcess(pid, proc);
        if (!view.cgroup.includes(c.inspect.Id)) {
          failures.push(
            `process ${pid} is not the container's here (safedock runs in another PID namespace than the engine)`,
          );
          return;
        }
        c.process = view;
        const user = c.inspect.Config?.User ?? '';
        if (configuredUid(user, undefined) === undefined) {
          const passwd = await readFile(`${proc}/${pid}/root/etc/passwd`, 'utf8').catch(() => undefined);
          if (passwd !== undefined) c.passwd = passwd;
        }
      } catch (err) {
        failures.push((err as Error).message);
      }
    }),
  );
  if (failures.length > 0) {
    const n = failures.length;
    unchecked.push({
      rules: EFFECTIVE_RULES,
      reason: `the process${n === 1 ? '' : 'es'} of ${n} running container${n === 1 ? '' : 's'} could not be read from this host's /proc (first: ${failures[0] ?? ''})`,
    });
  }
  return { containers, unchecked, notes, hostNamespaces };
}
