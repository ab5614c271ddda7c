import { parseVolumeSpec } from '../../docker-cli/volumes.js';
import { readCsvRecord } from '../../docker-cli/csv.js';
import type { Mount } from '../../docker-cli/run-request.js';
import type { MergedOption } from '../../merge/provenance.js';
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
import { lastValue, originOf, type Check, type Hit, type RuleContext } from './context.js';

/** A host path the container gets, however it was asked for. */
interface HostMount {
  /** The host path as the engine gets it (may still hold `..` or symlinks). */
  source: string;
  readOnly: boolean;
  /** Bind propagation, lower case; '' when not given. */
  propagation: string;
  /** The setting as the user would recognise it. */
  shown: string;
  origin: FindingOrigin;
  /** The engine socket --use-api-socket adds (reported by SD103 alone). */
  apiSocket: boolean;
  /** Put before the source in details ("the volume's device "). */
  lead?: string;
}

const PROPAGATIONS = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);
const API_SOCKET_TARGET = '/var/run/docker.sock';

/** The origin of the option that made a mount: the one with the same target, else the flag's last. */
function mountOrigin(options: readonly MergedOption[], flag: 'volume' | 'mount', target: string): FindingOrigin {
  const byTarget = originOf(options, flag, (v) => optionTarget(flag, v) === target);
  if (byTarget !== 'default') return byTarget;
  const last = originOf(options, flag);
  return last === 'default' ? 'user' : last;
}

function optionTarget(flag: 'volume' | 'mount', value: string): string | undefined {
  try {
    if (flag === 'volume') return parseVolumeSpec(value).target;
    const field = readCsvRecord(value).find((f) => /^(target|dst|destination)=/i.test(f));
    return field?.slice(field.indexOf('=') + 1);
  } catch {
    return undefined;
  }
}

/** -v entries with a host path (named volumes and anonymous volumes are not host paths). */
function bindMounts(ctx: RuleContext): HostMount[] {
  const out: HostMount[] = [];
  for (const bind of ctx.hc.Binds ?? []) {
    let spec: ReturnType<typeof parseVolumeSpec>;
    try {
      spec = parseVolumeSpec(bind);
    } catch {
      continue; // the engine refuses it
    }
    if (spec.type !== 'bind') continue;
    const rest = bind.slice(spec.source.length + 1 + spec.target.length);
    const modes = rest.startsWith(':') ? rest.slice(1).toLowerCase().split(',') : [];
    out.push({
      source: spec.source,
      readOnly: modes.includes('ro') || modes.includes('readonly'),
      propagation: modes.find((m) => PROPAGATIONS.has(m)) ?? '',
      shown: `-v ${bind}`,
      origin: mountOrigin(ctx.options, 'volume', spec.target),
      apiSocket: false,
    });
  }
  return out;
}

/** The local driver's `o=bind` with a `device` path: a named volume that is a host path. */
function localBindDevice(m: Mount): { device: string; o: string[] } | undefined {
  const config = m.VolumeOptions?.DriverConfig as { Name?: string; Options?: Record<string, string> } | undefined;
  const driver = config?.Name ?? '';
  const device = config?.Options?.device;
  const o = (config?.Options?.o ?? '')
    .toLowerCase()
    .split(',')
    .map((s) => s.trim());
  if ((driver !== '' && driver !== 'local') || device === undefined || device === '') return undefined;
  return o.includes('bind') || o.includes('rbind') ? { device, o } : undefined;
}

/** --mount entries of type bind, and volumes that bind a host path through the local driver. */
function mountMounts(ctx: RuleContext): HostMount[] {
  const mounts = ctx.hc.Mounts ?? [];
  const apiSocketAt =
    lastValue(ctx.options, 'use-api-socket') === 'true'
      ? mounts.map((m) => m.Target).lastIndexOf(API_SOCKET_TARGET)
      : -1;
  const out: HostMount[] = [];
  mounts.forEach((m, i) => {
    const type = m.Type.toLowerCase();
    const origin = mountOrigin(ctx.options, 'mount', m.Target);
    if (type === 'bind' && m.Source !== undefined && m.Source !== '') {
      const bind = (m.BindOptions ?? {}) as { Propagation?: unknown; ReadOnlyNonRecursive?: unknown };
      // readonly with bind-recursive=writable leaves the mounts below the source writable.
      const readOnly = m.ReadOnly === true && bind.ReadOnlyNonRecursive !== true;
      out.push({
        source: m.Source,
        readOnly,
        propagation: typeof bind.Propagation === 'string' ? bind.Propagation.toLowerCase() : '',
        shown: `--mount type=bind,source=${m.Source},target=${m.Target}${m.ReadOnly === true ? ',readonly' : ''}`,
        origin,
        apiSocket: i === apiSocketAt,
      });
      return;
    }
    const local = type === 'volume' ? localBindDevice(m) : undefined;
    if (local !== undefined) {
      out.push({
        source: local.device,
        readOnly: m.ReadOnly === true || local.o.includes('ro'),
        propagation: local.o.find((p) => PROPAGATIONS.has(p)) ?? '',
        shown: `--mount type=volume,target=${m.Target},volume-opt=device=${local.device},volume-opt=o=${local.o.join(',')}`,
        origin,
        apiSocket: false,
        lead: "the volume's device ",
      });
    }
  });
  return out;
}

/** How the source is named in a detail: as written, and what it resolved to when that differs. */
function where(m: HostMount, home: string, matched: string): string {
  const written = cleanPath(expandHome(m.source, home));
  return `${m.lead ?? ''}${written === matched ? written : `${written} (resolves to ${matched})`}`;
}

const hostMounts: Check = (ctx) => {
  const hits: Hit[] = [];
  if (lastValue(ctx.options, 'use-api-socket') === 'true') {
    const socket =
      (ctx.hc.Mounts ?? []).filter((m) => m.Target === API_SOCKET_TARGET).at(-1)?.Source ?? 'the engine socket';
    hits.push({
      rule: 'SD103',
      detail: `--use-api-socket mounts ${socket} at ${API_SOCKET_TARGET}`,
      origin: originOf(ctx.options, 'use-api-socket'),
    });
  }
  const mounts = [...bindMounts(ctx), ...mountMounts(ctx)].filter((m) => !m.apiSocket);
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
      hits.push({ rule: 'SD102', detail: `${at} ${what}${ro} (${m.shown})`, origin: m.origin });
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
      });
    }
  }
  return hits;
};

const readOnlyRoot: Check = ({ hc, options }) =>
  hc.ReadonlyRootfs
    ? []
    : [{ rule: 'SD119', detail: 'ReadonlyRootfs is false', origin: originOf(options, 'read-only') }];

/** SD102, SD103, SD119, SD120, SD121, SD122. */
export const filesystemChecks: readonly Check[] = [hostMounts, readOnlyRoot];
