/**
 * Every host path a run gives its container, however it is asked for: a bind (-v, --mount), a
 * volume whose options bind or overlay host paths (given with --mount volume-opt, or an existing
 * named volume created with --opt), and the mounts --volumes-from copies from another container.
 * Volumes that mount a device, a kernel file system, a network share or a driver plugin are
 * reported here too; what cannot be read (unknown options, volumes and containers the engine could
 * not be asked about) is reported as unreadable, never passed over. Pure: it reads the model and
 * the gathered facts.
 */
import type { ContainerFacts, VolumeFacts } from '../engine/facts.js';
import { viewMount, type MountView } from '../model/mounts.js';
import { volumesFromContainer, volumesFromReadOnly, type RunFacts } from './facts.js';
import { readVolume, type VolumeReading } from './volume-options.js';
import { originOf, q, type Hit, type RuleContext } from './rules/context.js';
import type { FindingOrigin } from './types.js';

/** A host path the container gets. */
export interface HostMount {
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
  /**
   * Set for --secret NAME=FILE: one regular file, read-only, named as a secret on purpose (the
   * fix SD121 itself recommends); not judged as a sensitive path, still judged for replacement.
   */
  secret?: string;
}

export interface ExposedHostPaths {
  mounts: HostMount[];
  /** Findings about volumes and joined mounts that are not host paths (SD134–SD137) or cannot be read (SD135). */
  hits: Hit[];
}

/** Mount types that never carry a host path. */
const NOT_HOST = new Set(['tmpfs', 'image']);

/** What a volume mount really is: the existing volume's options when it exists, else those it will be created with. */
function volumeReadings(
  view: MountView,
  volumeDriver: string,
  facts: RunFacts | undefined,
): { reading: VolumeReading; existing: boolean }[] | 'unknown' {
  const given = readVolume(view.driver || volumeDriver, view.driverOptions);
  if (view.source === '') return [{ reading: given, existing: false }];
  const known = facts?.engine?.volumes[view.source];
  if (known === undefined) return facts?.engine === undefined ? [{ reading: given, existing: false }] : 'unknown';
  if (known === null) return [{ reading: given, existing: false }];
  // The engine keeps an existing volume's options; options given now are judged as well, should it be re-created.
  return [
    { reading: readVolume(known.driver, known.options), existing: true },
    { reading: given, existing: false },
  ];
}

export function exposedHostPaths(ctx: Pick<RuleContext, 'spec' | 'provenance' | 'facts'>): ExposedHostPaths {
  const out: ExposedHostPaths = { mounts: [], hits: [] };
  const { spec, facts } = ctx;
  for (const m of spec.mounts) {
    const view = viewMount(m);
    if (view.apiSocket) continue; // reported by SD103 alone
    const target = view.target.replace(/\/+$/, '') || '/';
    const given = originOf(ctx, 'mounts', target);
    const origin = given === 'default' ? 'user' : given;
    if (view.type === 'bind') {
      if (view.source === '') {
        // The engine refuses a bind without a source; the policy does not count on it (fail closed).
        out.hits.push({
          rule: 'SD135',
          detail: `a bind mount at ${view.target} without a host path (${view.shown})`,
          origin,
          item: view.target,
        });
        continue;
      }
      out.mounts.push({
        source: view.source,
        target: view.target,
        readOnly: view.readOnly,
        propagation: view.propagation,
        shown: view.shown,
        origin,
        ...(view.secret === undefined ? {} : { secret: view.secret }),
      });
      continue;
    }
    if (NOT_HOST.has(view.type)) continue;
    if (view.type !== 'volume') {
      out.hits.push({
        rule: 'SD135',
        detail: `a mount of type ${q(view.type)} at ${view.target}: safedock cannot tell what it gives the container (${view.shown})`,
        origin,
        item: view.target,
      });
      continue;
    }
    const readings = volumeReadings(view, spec.volumeDriver, facts);
    const name = view.source === '' ? 'an anonymous volume' : `volume ${view.source}`;
    if (readings === 'unknown') {
      out.hits.push({
        rule: 'SD135',
        detail: `${name} at ${view.target} could not be inspected${unreadableWhy(facts, `volume ${view.source}`)}: its driver and options decide what it mounts (${view.shown})`,
        origin,
        item: view.target,
      });
      continue;
    }
    for (const { reading, existing } of readings) {
      const where = existing ? `${name} (as it exists on the engine)` : name;
      addVolume(out, reading, {
        where,
        target: view.target,
        readOnly: view.readOnly,
        origin,
        shown: view.shown,
      });
    }
  }
  for (const from of spec.volumesFrom) addVolumesFrom(out, ctx, from);
  // --volume-driver also applies to the image's VOLUME paths, which no mount of the run names.
  const driver = spec.volumeDriver;
  if (driver !== '' && driver !== 'local' && !out.hits.some((h) => h.rule === 'SD136'))
    out.hits.push({
      rule: 'SD136',
      detail: `--volume-driver ${driver}: the image's VOLUME paths and every volume without a driver of its own use the plugin`,
      origin: originOf(ctx, 'volumeDriver'),
      item: 'volume-driver',
    });
  return out;
}

function unreadableWhy(facts: RunFacts | undefined, key: string): string {
  const why = facts?.engine?.unreadable[key];
  return why === undefined ? '' : ` (${why})`;
}

interface VolumeUse {
  where: string;
  target: string;
  readOnly: boolean;
  origin: FindingOrigin;
  shown: string;
}

function addVolume(out: ExposedHostPaths, reading: VolumeReading, use: VolumeUse): void {
  const { where, target, origin } = use;
  switch (reading.kind) {
    case 'plain':
    case 'tmpfs':
      return;
    case 'host-paths':
      for (const p of reading.paths) {
        out.mounts.push({
          source: p.path,
          target,
          readOnly: use.readOnly || p.readOnly,
          propagation: reading.propagation,
          shown: `${use.shown}${reading.shown === '' || use.shown.includes(reading.shown) ? '' : `; ${reading.shown}`}`,
          origin,
          lead: `${where}'s ${p.via} `,
        });
      }
      return;
    case 'device':
      out.hits.push({
        rule: 'SD134',
        detail: `${where} at ${target} mounts the host's block device ${reading.device}${reading.fsType ? ` (${reading.fsType})` : ''}: the host's disk, with every file on it (${reading.shown})`,
        origin,
        item: target,
      });
      return;
    case 'kernel':
      out.hits.push({
        rule: 'SD134',
        detail: `${where} at ${target} mounts a ${reading.fsType} file system, which the engine mounts in the host's namespaces: ${KERNEL_WHAT[reading.fsType] ?? 'a kernel interface of the host'} (${reading.shown})`,
        origin,
        item: target,
      });
      return;
    case 'network':
      out.hits.push({
        rule: 'SD137',
        detail: `${where} at ${target} mounts a ${reading.fsType} share, connected from the engine host (${reading.shown})`,
        origin,
        item: target,
      });
      return;
    case 'plugin':
      out.hits.push({
        rule: 'SD136',
        detail: `${where} at ${target} uses the volume driver ${q(reading.driver)}: what it mounts is up to that plugin`,
        origin,
        item: target,
      });
      return;
    case 'unreadable':
      out.hits.push({
        rule: 'SD135',
        detail: `${where} at ${target}: ${reading.why} (${reading.shown})`,
        origin,
        item: target,
      });
      return;
  }
}

const KERNEL_WHAT: Readonly<Record<string, string>> = {
  proc: "the host's process tree and kernel settings (core_pattern runs a program as root on the host)",
  sysfs: "the host's kernel and device settings",
  devtmpfs: "the host's device nodes (its disks)",
  cgroup: "the host's cgroups (release_agent runs a program as root on the host)",
  cgroup2: "the host's cgroups",
  debugfs: "the kernel's debug interface",
  bpf: 'pinned BPF programs and maps',
};

function addVolumesFrom(out: ExposedHostPaths, ctx: Pick<RuleContext, 'provenance' | 'facts'>, from: string): void {
  const name = volumesFromContainer(from);
  const origin = originOf(ctx, 'volumesFrom');
  const engine = ctx.facts?.engine;
  if (engine === undefined) return; // an early judgement: the container is looked at once the engine is asked
  const container: ContainerFacts | null | undefined = engine.containers[name];
  if (container === undefined || container === null) {
    out.hits.push({
      rule: 'SD135',
      detail: `--volumes-from ${from}: ${container === null ? `there is no container ${q(name)}` : `the container could not be inspected${unreadableWhy(ctx.facts, `container ${name}`)}`}, so what it shares cannot be judged`,
      origin,
      item: `volumes-from:${name}`,
    });
    return;
  }
  const readOnly = volumesFromReadOnly(from);
  const where = `container ${container.name}'s`;
  for (const m of container.mounts) {
    const shown = `--volumes-from ${from}`;
    if (m.type === 'bind') {
      out.mounts.push({
        source: m.source,
        target: m.destination,
        readOnly: readOnly || !m.rw,
        propagation: m.propagation,
        shown,
        origin,
        lead: `${where} mount `,
      });
    } else if (m.type === 'volume') {
      const volume: VolumeFacts | null | undefined = engine.volumes[m.name];
      if (volume === undefined || volume === null) {
        out.hits.push({
          rule: 'SD135',
          detail: `${shown}: volume ${m.name} at ${m.destination} could not be inspected${unreadableWhy(ctx.facts, `volume ${m.name}`)}`,
          origin,
          item: m.destination,
        });
        continue;
      }
      addVolume(out, readVolume(volume.driver, volume.options), {
        where: `${where} volume ${m.name}`,
        target: m.destination,
        readOnly: readOnly || !m.rw,
        origin,
        shown,
      });
    } else if (m.type !== 'tmpfs') {
      out.hits.push({
        rule: 'SD135',
        detail: `${shown}: a mount of type ${q(m.type)} at ${m.destination} that safedock cannot judge`,
        origin,
        item: m.destination,
      });
    }
  }
}
