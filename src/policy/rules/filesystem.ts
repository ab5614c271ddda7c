import { viewMount, type MountView } from '../../model/mounts.js';
import type { FindingOrigin } from '../types.js';
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

/** A host path the container gets, however it was asked for. */
interface HostMount {
  /** The host path as the engine gets it (may still hold `..` or symlinks). */
  source: string;
  /** The container path (the mount's item key). */
  target: string;
  readOnly: boolean;
  /** Bind propagation, lower case; '' when not given. */
  propagation: string;
  /** The setting as the user would recognise it. */
  shown: string;
  origin: FindingOrigin;
  /** Put before the source in details ("the volume's device "). */
  lead?: string;
}

/** The local driver's `o=bind` with a `device` path: a named volume that is a host path. */
function localBindDevice(view: MountView): { device: string; o: string[] } | undefined {
  const device = view.driverOptions.device;
  const o = (view.driverOptions.o ?? '')
    .toLowerCase()
    .split(',')
    .map((part) => part.trim());
  if ((view.driver !== '' && view.driver !== 'local') || device === undefined || device === '') return undefined;
  return o.includes('bind') || o.includes('rbind') ? { device, o } : undefined;
}

const PROPAGATIONS = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);

/** Every mount whose source is a host path: binds, and volumes that bind a host path through the local driver. */
function hostMountsOf(ctx: RuleContext): HostMount[] {
  const out: HostMount[] = [];
  for (const m of ctx.spec.mounts) {
    const view = viewMount(m);
    if (view.apiSocket) continue; // reported by SD103 alone
    const origin = originOf(ctx, 'mounts', m.target.replace(/\/+$/, '') || '/');
    if (view.type === 'bind' && view.source !== '') {
      out.push({
        source: view.source,
        target: view.target,
        readOnly: view.readOnly,
        propagation: view.propagation,
        shown: view.shown,
        origin: origin === 'default' ? 'user' : origin,
      });
      continue;
    }
    const local = view.type === 'volume' ? localBindDevice(view) : undefined;
    if (local !== undefined) {
      out.push({
        source: local.device,
        target: view.target,
        readOnly: view.readOnly || local.o.includes('ro'),
        propagation: local.o.find((p) => PROPAGATIONS.has(p)) ?? '',
        shown: `--mount type=volume,target=${view.target},volume-opt=device=${local.device},volume-opt=o=${local.o.join(',')}`,
        origin: origin === 'default' ? 'user' : origin,
        lead: "the volume's device ",
      });
    }
  }
  return out;
}

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
  const mounts = hostMountsOf(ctx);
  if (mounts.length === 0) return hits;

  const sockets = engineSockets(ctx.host);
  const sensitive = sensitiveTable(ctx.host);
  const benign = benignTable(ctx.host);
  for (const m of mounts) {
    const candidates = pathCandidates(m.source, ctx.host);
    const socket = matchEngineSocket(candidates, sockets);
    if (socket !== undefined) {
      const at = where(m, ctx.host.home, socket.path);
      const what = socket.byName
        ? 'is named like a container engine socket'
        : socket.direct
          ? `is the ${socket.engine} socket`
          : `contains the ${socket.engine} socket ${socket.socket}`;
      const ro = m.readOnly ? ' (read-only does not stop a connection)' : '';
      hits.push({ rule: 'SD102', detail: `${at} ${what}${ro} (${m.shown})`, origin: m.origin, item: m.target });
    }
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

const readOnlyRoot: Check = (ctx) =>
  ctx.spec.readOnly ? [] : [{ rule: 'SD119', detail: 'ReadonlyRootfs is false', origin: originOf(ctx, 'readOnly') }];

/** SD102, SD103, SD119, SD120, SD121, SD122. */
export const filesystemChecks: readonly Check[] = [hostMounts, readOnlyRoot];
