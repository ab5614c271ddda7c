/**
 * `safedock compose harden`: each service of a Compose file mapped into the run model
 * (from-compose.ts), the preset merged under it as under your flags in `run`, judged by the same
 * rules, and the preset's part written as an override file (preset-part.ts, the compose table),
 * so that `docker-compose -f FILE -f OVERRIDE up` runs every service hardened while the service's
 * own settings win.
 */
import { relative } from 'node:path';
import type { ImageFacts } from '../engine/engine.js';
import { mergeLayers } from '../model/merge.js';
import type { Provenance } from '../model/provenance.js';
import type { RunSpec } from '../model/run-spec.js';
import { acceptsFromMap, type Acceptance } from '../policy/accept.js';
import type { Decision } from '../policy/decide.js';
import { judgePlan } from '../policy/judge.js';
import { LABEL_PRESET, runLabels } from '../policy/labels.js';
import type { ModeSource, PolicyMode } from '../policy/mode.js';
import type { Finding } from '../policy/types.js';
import type { ProjectConfig } from '../presets/project-config.js';
import type { Preset } from '../presets/types.js';
import { imageTailoring, presetLayer } from '../run/pipeline.js';
import { COMPOSE, emptyComposeOut, type ComposeMap, type ComposeOut } from './compose.js';
import { serviceLayer } from './from-compose.js';
import type { Loss } from './loss.js';
import { planProfile, type ProfileFile } from './profile.js';
import { presetPart } from './preset-part.js';
import { walk } from './walk.js';

/**
 * Findings said in the words of a Compose file. A service that names no network joins the
 * project's default network, where every service of the project reaches the others' ports; the
 * override adds no network (the strict preset's own is made by run), so the fix is a network the
 * file declares.
 */
function composeWords(f: Finding): Finding {
  if (f.rule !== 'SD155') return f;
  const unnamed = f.detail.startsWith('no network is named');
  return {
    ...f,
    ...(unnamed ? { title: "the project's default network used" } : {}),
    detail: unnamed
      ? "no network is named, so the service joins the project's default network, where every service of the project reaches the others' ports"
      : f.detail,
    fix: 'Give the service a network of its own in the compose file: name it under the service\'s `networks:` and declare it under the top-level `networks:` (with `driver_opts: {com.docker.network.bridge.enable_icc: "false"}`, as the strict preset\'s network, its containers cannot reach each other).',
  };
}

/** The label that names a service's preset (the `x-safedock: {preset: …}` key says the same), as run stamps it. */
export const PRESET_LABEL = LABEL_PRESET;

export interface HardenContext {
  file: string;
  dir: string;
  /** Where the override goes: the profile is written beside it, named relative to the project folder. */
  overrideDir: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  mode: PolicyMode;
  /** Where the mode came from (--policy, SAFEDOCK_POLICY or the default), for the warned label. */
  modeFrom: ModeSource;
  flagAccepts: readonly Acceptance[];
  project: ProjectConfig | undefined;
  /** The file's top-level secrets, by name → file. */
  secrets: Record<string, string>;
  /** The file's top-level volumes. */
  volumes?: Record<string, unknown>;
}

export interface HardenedService {
  name: string;
  preset: Preset;
  spec: RunSpec;
  provenance: Provenance;
  decision: Decision;
  /** The keys the override adds under the service. */
  override: ComposeMap;
  top: Pick<ComposeOut, 'volumes' | 'secrets' | 'networks'>;
  profile: ProfileFile | undefined;
  losses: Loss[];
  notes: string[];
  /** What in the service safedock cannot judge: the service is refused (fail closed), never passed. */
  unjudged: string[];
}

/** Keys that bring in settings or files safedock does not follow, with why. */
const NOT_FOLLOWED: Readonly<Record<string, string>> = {
  extends: 'takes settings from another service or file, which safedock does not follow',
  configs: 'mounts host files that safedock does not judge',
};

/** The preset a service names for itself (`x-safedock.preset`, or the io.safedock.preset label). */
export function servicePreset(service: Record<string, unknown>): string | undefined {
  const x = service['x-safedock'];
  if (x !== null && typeof x === 'object' && typeof (x as Record<string, unknown>).preset === 'string') {
    return (x as Record<string, string>).preset;
  }
  const labels = service.labels;
  if (Array.isArray(labels)) {
    const entry = labels.map(String).find((l) => l.startsWith(`${PRESET_LABEL}=`));
    return entry?.slice(PRESET_LABEL.length + 1);
  }
  if (labels !== null && typeof labels === 'object') {
    const value = (labels as Record<string, unknown>)[PRESET_LABEL];
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

/** A service's own acceptances (`x-safedock: {accept: {SD101: why}}`). */
function serviceAccepts(service: Record<string, unknown>, ctx: HardenContext): Acceptance[] {
  const x = service['x-safedock'];
  const accept = x !== null && typeof x === 'object' ? (x as Record<string, unknown>).accept : undefined;
  if (accept === null || typeof accept !== 'object') return [];
  return acceptsFromMap(accept as Record<string, string>, { kind: 'project', file: ctx.file });
}

export function hardenService(
  name: string,
  service: Record<string, unknown>,
  preset: Preset,
  image: ImageFacts | undefined,
  ctx: HardenContext,
): HardenedService {
  const notes: string[] = [];
  const { layer, unknown } = serviceLayer(service, {
    file: ctx.file,
    dir: ctx.dir,
    service: name,
    secrets: ctx.secrets,
    volumes: ctx.volumes ?? {},
    env: ctx.env,
  });
  const unjudged = [
    ...Object.keys(NOT_FOLLOWED)
      .filter((key) => service[key] !== undefined)
      .map((key) => `services.${name}.${key} ${NOT_FOLLOWED[key] ?? ''}`),
    ...unknown.map((key) => `services.${name}.${key} is not a key safedock reads, so what it does cannot be judged`),
  ];
  const base = presetLayer(preset, { env: ctx.env, cwd: ctx.cwd });
  // The image's account files are not read here: a named image user is taken for what its name says.
  const tailoring = imageTailoring(preset, layer, image, notes, undefined);
  const merged = mergeLayers([base, tailoring, layer]);
  const address = preset.ports?.defaultAddress;
  for (const p of merged.spec.ports) {
    if (address !== undefined && p.hostIp === '' && p.hostPort !== '') {
      notes.push(
        `services.${name}: the port ${p.hostPort}:${p.port} is published on every interface; write ${String(address.value)}:${p.hostPort}:${p.port} in ${ctx.file} (an override cannot take an address away)`,
      );
    }
  }
  const decision = judgePlan(
    { spec: merged.spec, provenance: merged.provenance, image, preset },
    {
      mode: ctx.mode,
      modeFrom: ctx.modeFrom,
      flagAccepts: [...ctx.flagAccepts, ...serviceAccepts(service, ctx)],
      project: ctx.project,
      env: ctx.env,
      cwd: ctx.cwd,
      reword: composeWords,
    },
  );
  const part = presetPart(merged.spec, merged.provenance);
  // The preset and the accepted risks are stamped as run stamps them, unless the service carries them already.
  const stamped = Object.fromEntries(
    Object.entries(runLabels(decision.accepted, preset.name)).filter(([k, v]) => merged.spec.labels[k] !== v),
  );
  part.labels = { ...part.labels, ...stamped };
  const profile = planProfile(part);
  const profileRef = profile === undefined ? undefined : `./${relative(ctx.dir, `${ctx.overrideDir}/${profile.name}`)}`;
  const out = emptyComposeOut(profileRef);
  const walked = walk(COMPOSE, part, out, { profilePath: () => profileRef, hideSecrets: true });
  return {
    name,
    preset,
    spec: merged.spec,
    provenance: merged.provenance,
    decision,
    override: out.service,
    top: out,
    profile,
    losses: walked.losses,
    notes: [...notes, ...walked.notes, ...out.notes],
    unjudged,
  };
}
