import { engineRunDirs, hostPathKey, matchRunDir } from '../engine-sockets.js';
import { exposedHostPaths, type HostMount } from '../host-mounts.js';
import {
  benignTable,
  cleanPath,
  engineSockets,
  expandHome,
  matchEngineSocket,
  matchSensitive,
  pathCandidates,
  sensitiveTable,
} from '../host-paths.js';
import { originOf, type Check, type Hit, type RuleContext } from './context.js';

/** How the source is named in a detail: as written, and what it resolved to when that differs. */
function where(m: HostMount, home: string, matched: string): string {
  const written = cleanPath(expandHome(m.source, home));
  return `${m.lead ?? ''}${written === matched ? written : `${written} (resolves to ${matched})`}`;
}

const hostMounts: Check = (ctx) => {
  const hits: Hit[] = [];
  if (ctx.spec.useApiSocket) {
    const mount = ctx.spec.mounts.find((m) => m.via === 'mount' && m.apiSocket === true);
    const socket = mount?.via === 'mount' ? (mount.mount.Source ?? 'the engine socket') : 'the engine socket';
    hits.push({
      rule: 'SD103',
      detail: `--use-api-socket mounts ${socket} at /var/run/docker.sock`,
      origin: originOf(ctx, 'useApiSocket'),
      item: '/var/run/docker.sock',
    });
  }
  const exposed = exposedHostPaths(ctx);
  hits.push(...exposed.hits);
  const { mounts } = exposed;
  if (mounts.length === 0) return hits;

  const sockets = engineSockets(ctx.host);
  const runDirs = engineRunDirs(ctx.host);
  const sensitive = sensitiveTable(ctx.host);
  const benign = benignTable(ctx.host);
  for (const m of mounts) {
    const candidates = pathCandidates(m.source, ctx.host);
    const socket = engineSocketHit(ctx, m, candidates, sockets, runDirs);
    if (socket !== undefined) hits.push(socket);
    hits.push(...unsafePathHits(ctx, m));
    const found = matchSensitive(candidates, m.readOnly, sensitive, benign);
    if (found !== undefined) {
      const at = where(m, ctx.host.home, found.path);
      const { entry, relation } = found;
      const what =
        relation === 'is'
          ? `holds ${entry.reason}`
          : `${relation === 'in' ? 'lies in' : 'contains'} ${entry.path}, which holds ${entry.reason}`;
      hits.push({
        rule: m.readOnly ? 'SD121' : 'SD120',
        detail: `${at} ${what} (${m.shown})`,
        origin: m.origin,
        item: m.target,
        ...(m.readOnly
          ? {}
          : { fix: 'Mount only the folder the program needs; add :ro (or readonly) when it only reads.' }),
      });
    }
    if (m.propagation === 'shared' || m.propagation === 'rshared') {
      hits.push({
        rule: 'SD122',
        detail: `${m.source} is mounted with ${m.propagation} propagation (${m.shown})`,
        origin: m.origin,
        item: m.target,
      });
    }
  }
  return hits;
};

/**
 * SD102: the mount reaches an engine socket: by path, by what the file is (device and inode), through
 * an engine's run folder, or by its name.
 */
function engineSocketHit(
  ctx: RuleContext,
  m: HostMount,
  candidates: readonly string[],
  sockets: ReturnType<typeof engineSockets>,
  runDirs: ReturnType<typeof engineRunDirs>,
): Hit | undefined {
  const ro = m.readOnly ? ' (read-only does not stop a connection)' : '';
  const hit = (what: string, at: string): Hit => ({
    rule: 'SD102',
    detail: `${at} ${what}${ro} (${m.shown})`,
    origin: m.origin,
    item: m.target,
  });
  const socket = matchEngineSocket(candidates, sockets);
  if (socket !== undefined && !socket.byName) {
    const what = socket.direct
      ? `is the ${socket.engine} socket`
      : `contains the ${socket.engine} socket ${socket.socket}`;
    return hit(what, where(m, ctx.host.home, socket.path));
  }
  const fact = ctx.facts?.host?.paths[hostPathKey(m.source, ctx.host)];
  const same = fact?.engineSocket;
  if (same !== undefined) {
    const what =
      same.found === fact?.real
        ? `is the ${same.engine} socket ${same.socket} under another name (the same file: device and inode)`
        : `contains ${same.found}, which is the ${same.engine} socket ${same.socket} under another name (the same file)`;
    return hit(what, where(m, ctx.host.home, fact?.real ?? m.source));
  }
  const run = matchRunDir(candidates, runDirs);
  if (run !== undefined) {
    const what =
      run.relation === 'in'
        ? `lies in ${run.dir}, where ${run.engine} keeps its sockets`
        : `contains ${run.dir}, where ${run.engine} keeps its sockets`;
    return hit(what, where(m, ctx.host.home, candidates[candidates.length - 1] ?? m.source));
  }
  if (socket !== undefined) return hit('is named like a container engine socket', where(m, ctx.host.home, socket.path));
  return undefined;
}

/**
 * SD139 and SD135 for one host path: a part of it another user could replace before the engine
 * mounts it, or a folder whose sockets could not all be checked.
 */
function unsafePathHits(ctx: RuleContext, m: HostMount): Hit[] {
  const fact = ctx.facts?.host?.paths[hostPathKey(m.source, ctx.host)];
  if (fact === undefined) return [];
  const hits: Hit[] = [];
  if (fact.replaceable !== undefined) {
    hits.push({
      rule: 'SD139',
      detail: `${m.lead ?? ''}${m.source}: ${fact.replaceable.path} could be replaced by another user before the engine mounts it (${fact.replaceable.why}) (${m.shown})`,
      origin: m.origin,
      item: m.target,
    });
  }
  if (fact.unsearched !== undefined) {
    hits.push({
      rule: 'SD135',
      detail: `${m.lead ?? ''}${m.source} holds too many files to look through for hard links to an engine socket (stopped in ${fact.unsearched}) (${m.shown})`,
      origin: m.origin,
      item: m.target,
    });
  }
  return hits;
}

const readOnlyRoot: Check = (ctx) =>
  ctx.spec.readOnly ? [] : [{ rule: 'SD119', detail: 'ReadonlyRootfs is false', origin: originOf(ctx, 'readOnly') }];

/** SD102, SD103, SD119–SD122, and through volumes and --volumes-from SD134–SD137, SD139. */
export const filesystemChecks: readonly Check[] = [hostMounts, readOnlyRoot];
