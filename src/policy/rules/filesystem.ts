import { engineRunDirs, hostPathKey, matchRunDir } from '../engine-sockets.js';
import { cleanTarget } from '../../model/mounts.js';
import { logSockets } from '../log-sockets.js';
import { exposedHostPaths, type HostMount } from '../host-mounts.js';
import { isPersonalHome } from '../host-user.js';
import {
  benignTable,
  cleanPath,
  engineSockets,
  expandHome,
  harmlessDevice,
  isWithin,
  matchEngineSocket,
  matchSensitive,
  pathCandidates,
  sensitiveTable,
} from '../host-paths.js';
import { cannotWrite } from '../write-access.js';
import { originOf, type Check, type Hit, type RuleContext } from './context.js';

/** A host mount's item in finding keys: the host path as written, made absolute, and the path inside. */
const mountItem = (ctx: RuleContext, m: HostMount): string =>
  `${cleanPath(expandHome(m.source, ctx.host.home), ctx.host.cwd)}:${cleanTarget(m.target)}`;

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
    });
  }
  const exposed = exposedHostPaths(ctx);
  hits.push(...exposed.hits);
  const { mounts } = exposed;
  const logs = logSockets(ctx.spec, originOf(ctx, 'logOpts'));
  if (mounts.length === 0 && logs.length === 0) return hits;

  const sockets = engineSockets(ctx.host);
  const runDirs = engineRunDirs(ctx.host);
  // A log address is not a mount: only whether it is an engine socket matters (/dev/log is the
  // ordinary syslog address).
  for (const m of logs) {
    const socket = engineSocketHit(ctx, m, pathCandidates(m.source, ctx.host), sockets, runDirs);
    if (socket !== undefined)
      hits.push({
        ...socket,
        detail: `${socket.detail}: the engine writes every line the container prints to it`,
        item: m.target,
      });
  }
  const sensitive = sensitiveTable(ctx.host);
  const benign = benignTable(ctx.host);
  for (const m of mounts) {
    const candidates = pathCandidates(m.source, ctx.host);
    const item = mountItem(ctx, m);
    hits.push(...unsafePathHits(ctx, m));
    // A secret is one regular file (a socket or folder is refused when --secret is read), read-only,
    // named as a secret on purpose: one of your own files (~/.npmrc, ~/.aws/credentials) is what
    // --secret is for. Anything else (/etc/shadow, another user's key) is judged as any mount is.
    if (m.secret !== undefined && ownFile(ctx, candidates)) continue;
    const socket = engineSocketHit(ctx, m, candidates, sockets, runDirs);
    if (socket !== undefined) hits.push(socket);
    const real = candidates.at(-1) ?? m.source;
    const st = ctx.host.stat?.(real);
    // /dev/null and its like: the devices cgroup, not the path, decides what a device node gives.
    const device = harmlessDevice(candidates);
    const exposes = device === undefined || (st !== undefined && st.kind !== 'char-device');
    // A read-write file the container's user cannot write is as good as read-only (write-access.ts).
    const unwritable = !m.readOnly && st !== undefined ? cannotWrite(ctx.spec, ctx.image, st) : undefined;
    const readOnly = m.readOnly || unwritable !== undefined;
    const found = exposes ? matchSensitive(candidates, readOnly, sensitive, benign) : undefined;
    if (found !== undefined) {
      const at = where(m, ctx.host.home, found.path);
      const { entry, relation } = found;
      const what =
        relation === 'is'
          ? `holds ${entry.reason}`
          : `${relation === 'in' ? 'lies in' : 'contains'} ${entry.path}, which holds ${entry.reason}`;
      const written = unwritable === undefined ? '' : `; mounted read-write, but ${unwritable}`;
      hits.push({
        rule: readOnly ? 'SD121' : 'SD120',
        detail: `${at} ${what}${written} (${m.shown})`,
        origin: m.origin,
        item,
        ...(readOnly
          ? {}
          : { fix: 'Mount only the folder the program needs; add :ro (or readonly) when it only reads.' }),
      });
    }
    if (m.propagation === 'shared' || m.propagation === 'rshared') {
      hits.push({
        rule: 'SD122',
        detail: `${m.source} is mounted with ${m.propagation} propagation (${m.shown})`,
        origin: m.origin,
        item,
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
    item: mountItem(ctx, m),
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
      item: mountItem(ctx, m),
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

/** Whether a host path resolves into the invoking user's own home folder (src/policy/host-user.ts). */
function ownFile(ctx: RuleContext, candidates: readonly string[]): boolean {
  if (!isPersonalHome(ctx.host.home, ctx.host.uid ?? -1)) return false;
  const real = candidates.at(-1);
  return real !== undefined && isWithin(real, cleanPath(ctx.host.home));
}

const readOnlyRoot: Check = (ctx) =>
  ctx.spec.readOnly ? [] : [{ rule: 'SD119', detail: 'ReadonlyRootfs is false', origin: originOf(ctx, 'readOnly') }];

/** SD102, SD103, SD119–SD122, and through volumes and --volumes-from SD134–SD137, SD139. */
export const filesystemChecks: readonly Check[] = [hostMounts, readOnlyRoot];
