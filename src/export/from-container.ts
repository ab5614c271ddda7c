/**
 * A running container as the layer of settings someone chose for it: fromInspect reads everything
 * the engine reports, and this keeps only what differs from what the engine or the image would give
 * anyway (the engine's defaults, the image's env, command, user, labels, volumes), so that the
 * preset can go under it as it goes under your flags.
 */
import type { ContainerInspect } from '../api/inspect.js';
import type { ImageConfig } from '../engine/engine.js';
import { fromInspect } from '../model/from-inspect.js';
import { mergeLayers } from '../model/merge.js';
import { provenanceKey, type Provenance, type SpecLayer } from '../model/provenance.js';
import { emptySpec, type RunSpec, type SpecField } from '../model/run-spec.js';
import { isReservedLabel } from '../policy/labels.js';
import { isSet } from './set-fields.js';
import { withShippedFile } from './shipped-profiles.js';

const DEFAULT_SHM = 64 * 1024 * 1024;
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The engine's and the image's values taken out of an inspected container. */
function chosenOnly(spec: RunSpec, inspect: ContainerInspect, image: ImageConfig): RunSpec {
  const zero = emptySpec(spec.image);
  const out: RunSpec = { ...spec };
  if (['private', 'shareable'].includes(out.ipc)) out.ipc = '';
  // The engine picks the cgroup namespace by the host's cgroup version.
  if (['private', 'host'].includes(out.cgroupns)) out.cgroupns = '';
  if (out.shmSize === DEFAULT_SHM) out.shmSize = 0;
  if (out.runtime === 'runc') out.runtime = '';
  if (out.logDriver === 'json-file' && Object.keys(out.logOpts).length === 0) out.logDriver = '';
  if (out.maskedPaths !== null && out.maskedPaths.length > 0) out.maskedPaths = null;
  if (out.readonlyPaths !== null && out.readonlyPaths.length > 0) out.readonlyPaths = null;
  const shortId = inspect.Id.slice(0, 12);
  if (out.hostname === shortId) out.hostname = '';
  // Joined to the host's or another container's network, the container has that one's name: the
  // engine refuses a hostname given with such a mode.
  const mode = out.networks[0]?.target ?? '';
  if (mode === 'host' || mode.startsWith('container:')) {
    out.hostname = '';
    out.domainname = '';
  }
  // On a network of its own the engine names the container by its short id and its hostname too.
  out.networks = out.networks.map((n) => ({
    ...n,
    aliases: n.aliases.filter((a) => a !== shortId && a !== spec.hostname),
  }));
  // Twice the memory is what the engine gives a container with a memory limit and no swap limit.
  if (out.memory > 0 && out.memorySwap === 2 * out.memory) out.memorySwap = 0;
  const imageEnv = new Set(image.Env ?? []);
  out.env = out.env.filter((e) => !imageEnv.has(e));
  // safedock's record of an earlier run (its preset, the risks accepted then) is no choice of the
  // container's: copied, it would pass for acceptances nobody made for this export. The export
  // stamps its own, from its own judgement.
  out.labels = Object.fromEntries(
    Object.entries(out.labels).filter(([k, v]) => image.Labels?.[k] !== v && !isReservedLabel(k)),
  );
  out.securityOpt = out.securityOpt.map(withShippedFile);
  if (same(out.command, image.Cmd)) out.command = null;
  if (same(out.entrypoint, image.Entrypoint)) out.entrypoint = null;
  if (out.workdir === (image.WorkingDir ?? '')) out.workdir = '';
  if (out.user === (image.User ?? '')) out.user = '';
  if (out.stopSignal === (image.StopSignal ?? '')) out.stopSignal = '';
  if (same(out.healthcheck, image.Healthcheck)) out.healthcheck = undefined;
  const imagePorts = new Set(Object.keys(image.ExposedPorts ?? {}));
  out.expose = out.expose.filter((p) => !imagePorts.has(p));
  const imageVolumes = new Set(Object.keys(image.Volumes ?? {}));
  out.mounts = out.mounts.filter((m) => !(m.via === 'volume' && m.kind === 'anonymous' && imageVolumes.has(m.target)));
  // How the container was attached is the starting client's business.
  out.detach = zero.detach;
  out.attach = zero.attach;
  return out;
}

/** The container's chosen settings as a layer, every one from the container. */
export function containerLayer(inspect: ContainerInspect, image: ImageConfig): SpecLayer {
  const read = fromInspect(inspect);
  const spec = chosenOnly(read.spec, inspect, image);
  const layer: Partial<RunSpec> = { image: spec.image };
  const provenance: Provenance = new Map();
  for (const field of Object.keys(spec) as SpecField[]) {
    if (field !== 'image' && !isSet(spec, field)) continue;
    (layer as Record<string, unknown>)[field] = spec[field];
    for (const [key, origin] of read.provenance) {
      if (key === field || key.startsWith(`${provenanceKey(field)}:`)) provenance.set(key, origin);
    }
  }
  return { spec: layer, provenance };
}

/** Your flags over the container's settings, as one layer (the fields either gives). */
export function overContainer(container: SpecLayer, user: SpecLayer): SpecLayer {
  const merged = mergeLayers([container, user]);
  const spec: Partial<RunSpec> = {};
  for (const field of new Set([...Object.keys(container.spec), ...Object.keys(user.spec)]) as Set<SpecField>) {
    // Your layer names no image of its own here, and no command unless you gave one.
    if (field === 'image' || (field === 'command' && user.spec.command === null)) {
      (spec as Record<string, unknown>)[field] = container.spec[field] ?? merged.spec[field];
      continue;
    }
    (spec as Record<string, unknown>)[field] = merged.spec[field];
  }
  return { spec, provenance: merged.provenance };
}
