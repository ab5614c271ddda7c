/**
 * One run, in four stages that `run`, `explain`, `--dry-run`, `--pick` (and learn, export) share:
 *
 *   prepare(argv, env)           your flags converted once, the preset and the policy chosen; no engine
 *   plan(prepared, image facts)  preset ⊕ image tailoring ⊕ your flags → the run model, with provenance
 *   judge(plan)                  the policy's findings and verdict                  (src/policy/judge.ts)
 *   finalize(plan, decision)     accepted-risk labels, pull policy, API checks → the create request
 *
 * Only prepare reads files (preset files, env files, profiles); plan, judge and finalize are pure.
 * The engine and the terminal stay outside, in the commands (src/cli/run-main.ts).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunRequest } from '../api/create-body.js';
import type { ParsedRun } from '../docker-cli/parsed-run.js';
import { parseSecrets, secretOptions, secretNotes, type SecretMount } from '../docker-cli/secrets.js';
import {
  checkFlagSupport,
  toSpec,
  type SourcedOption,
  type SpecContext,
  type SpecLayer,
} from '../docker-cli/to-spec.js';
import type { ImageFacts } from '../engine/engine.js';
import { parseNetworkValue } from '../grammar/network.js';
import { SafedockError } from '../errors.js';
import { ConfigFileError } from '../presets/errors.js';
import { packageRoot } from '../package-root.js';
import { mergeLayers, type Override } from '../model/merge.js';
import { provenanceKey, type Origin, type Provenance, type Source } from '../model/provenance.js';
import type { RunSpec } from '../model/run-spec.js';
import { toRunRequest } from '../model/to-create-body.js';
import { acceptsFromFlags, type Acceptance } from '../policy/accept.js';
import type { Decision } from '../policy/decide.js';
import { isReservedLabel, runLabels, warnedLabels } from '../policy/labels.js';
import type { ImageAccounts } from '../policy/image-accounts.js';
import { resolveModeFrom, type ModeSource, type PolicyMode } from '../policy/mode.js';
import { anchorProfilePath } from '../presets/profile-path.js';
import type { ProjectConfig } from '../presets/project-config.js';
import { openCatalog, selectFrom } from '../presets/select.js';
import { serviceOptions } from './service-ports.js';
import type { Preset, SettingValue } from '../presets/types.js';
import { validateSeccompProfile } from '../seccomp/validate.js';
import { publishOn } from './publish-address.js';
import { imageRunsAsRoot, transientTmpfs, volumeNotes } from './image-tailoring.js';
import { bindPublishAll, publishesPorts } from './publish-all.js';

/** Where a run is: the caller's environment and folder. */
export interface RunContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The engine's unix socket, for --use-api-socket. */
  engineSocket?: string | undefined;
  /** The engine's kind once it answered: Podman has no bridge option that keeps containers apart. */
  engineKind?: 'docker' | 'podman' | undefined;
}

/** Everything decided from the arguments and the folder alone, before any request. */
export interface Prepared {
  parsed: ParsedRun;
  /** Your flags (with --secret as the mounts that carry them), converted once. */
  user: SpecLayer;
  secrets: SecretMount[];
  preset: Preset;
  project: ProjectConfig | undefined;
  mode: PolicyMode;
  modeFrom: ModeSource;
  flagAccepts: Acceptance[];
  /** What choosing the preset found worth saying: ignored untrusted files, presets that replace a built-in. */
  notes?: string[];
  /** Those of the notes that quiet never silences (RunSelection.alerts). */
  alerts?: string[];
}

/**
 * Your flags as one layer of the model: docker's conversion, with docker's errors, once. `before`
 * are options of yours from elsewhere (a --service's ports), taken before the flags you typed.
 */
export function convertUserFlags(
  parsed: ParsedRun,
  ctx: RunContext,
  before: readonly SourcedOption[] = [],
): { user: SpecLayer; secrets: SecretMount[] } {
  const secrets = parseSecrets(parsed.own.secret, ctx.cwd);
  const options: SourcedOption[] = [
    ...before,
    ...[...parsed.options, ...secretOptions(secrets)].map((o) => ({ ...o, source: { kind: 'user' as const } })),
  ];
  const user = toSpec(options, { image: parsed.image ?? '', command: parsed.command }, specContext(ctx));
  // The mounts that carry secrets are marked, so that readers tell them from other mounts.
  for (const s of secrets) {
    const m = user.spec.mounts?.find((mount) => mount.via === 'mount' && mount.target === s.target);
    if (m?.via === 'mount') m.secret = s.name;
  }
  return { user, secrets };
}

function specContext(ctx: RunContext): SpecContext {
  return {
    env: ctx.env,
    cwd: ctx.cwd,
    engineSocket: ctx.engineSocket ?? defaultEngineSocket(ctx.env),
    engineHost: ctx.env.DOCKER_HOST?.trim() || 'unix:///var/run/docker.sock',
  };
}

/** The socket --use-api-socket mounts when no engine was resolved: DOCKER_HOST's, or docker's default. */
function defaultEngineSocket(env: NodeJS.ProcessEnv): string | undefined {
  const host = env.DOCKER_HOST?.trim() || 'unix:///var/run/docker.sock';
  return host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
}

/**
 * prepare: parse is done; convert your flags, choose the preset (or let `choose` pick it with your
 * converted flags in hand) and the policy mode.
 */
export async function prepare(
  parsed: ParsedRun,
  ctx: RunContext & { mayAsk: boolean },
  choose?: (user: SpecLayer) => Promise<string>,
): Promise<Prepared> {
  const catalog = await openCatalog({ cwd: ctx.cwd, env: ctx.env });
  const { user, secrets } = convertUserFlags(parsed, ctx, serviceOptions(parsed.own.service, catalog.projectConfig));
  const picked = choose === undefined ? undefined : await choose(user);
  const selected = await selectFrom(catalog, picked ?? parsed.own.preset, ctx.env);
  const preset = picked === undefined ? selected.preset : { ...selected.preset, chosenBy: '--pick' };
  const { mode, from: modeFrom } = resolveModeFrom(parsed.own.policy, ctx.env, ctx.mayAsk);
  return {
    parsed,
    user,
    secrets,
    preset,
    project: selected.project,
    notes: selected.notes,
    alerts: selected.alerts,
    mode,
    modeFrom,
    flagAccepts: acceptsFromFlags(parsed.own.accept, parsed.own.reason),
  };
}

/**
 * Whether planning needs the image's configuration: its user decides whether the run is root
 * (policy rule SD118) and whether a preset replaces it; under a read-only root, the image's VOLUME
 * paths are reported.
 */
export function needsImageFacts(preset: Preset, user: SpecLayer): boolean {
  const userFlag = user.spec.user;
  const chosen = userFlag ?? (preset.settings.user === undefined ? undefined : String(preset.settings.user.value));
  // -P under a preset that binds ports to one address: the image's exposed ports are bound one by one.
  const publishAll = user.spec.publishAll === true && preset.ports?.defaultAddress !== undefined;
  return (
    chosen === undefined ||
    chosen === '' ||
    preset.settings['read-only'] !== undefined ||
    user.spec.readOnly === true ||
    publishAll
  );
}

/** Everything safedock decided for one run, before anything reaches the engine. */
export interface RunPlan {
  preset: Preset;
  image: ImageFacts | undefined;
  spec: RunSpec;
  provenance: Provenance;
  overrides: Override[];
  notes: string[];
  /** The docker flags whose values the run uses (yours and the preset's), for the engine's API checks. */
  flags: string[];
  /** The preset's isolated network when the run joins it: it must exist before the create. */
  isolatedNetwork?: string;
}

const asList = (value: SettingValue): string[] => (Array.isArray(value) ? value : [value]).map(String);

/** A preset's settings as options, in file order, each with its file, key and reason. */
export function presetOptions(preset: Preset): SourcedOption[] {
  const options: SourcedOption[] = [];
  for (const [flag, setting] of Object.entries(preset.settings)) {
    const source: Source = {
      kind: 'preset',
      preset: preset.name,
      file: preset.file,
      key: flag,
      ...(setting.reason ? { reason: setting.reason } : {}),
    };
    for (const raw of asList(setting.value)) {
      const value = flag === 'security-opt' ? anchorProfilePath(raw, preset) : raw;
      options.push({ name: flag, value, source });
    }
  }
  return options;
}

/** The preset as a layer of the model; a value docker refuses names the preset file and key. */
export function presetLayer(preset: Preset, ctx: RunContext): SpecLayer {
  const options = presetOptions(preset);
  for (const o of options) if (o.name === 'security-opt') checkPresetProfile(o.value);
  try {
    return toSpec(options, undefined, specContext(ctx));
  } catch (err) {
    if (!(err instanceof SafedockError)) throw err;
    const key = presetKeyOf(err.message, options);
    // The file and key; the line is added where the file can be read (see locateConfigError).
    throw new ConfigFileError('preset', preset.file, key === undefined ? undefined : ['settings', key], err.message, {
      hint: `Fix the value in ${preset.file}, or choose another preset with --preset NAME.`,
    });
  }
}

/** The setting an error is about: the one whose value the message quotes, else the flag it names. */
function presetKeyOf(message: string, options: readonly SourcedOption[]): string | undefined {
  const quoted = options.find((o) => o.value !== '' && message.includes(`"${o.value}"`));
  if (quoted !== undefined) return quoted.name;
  return options.find((o) => message.includes(`--${o.name}`))?.name;
}

/**
 * A seccomp profile a preset names is validated before use, as `safedock seccomp check` does: a
 * broken profile must not reach the engine, and `{}` would silently turn seccomp off. The profiles
 * shipped in seccomp/ are validated by the build (scripts/compile-presets.mjs).
 */
function checkPresetProfile(value: string): void {
  const path = /^seccomp[=:](\/.+)$/i.exec(value)?.[1];
  if (path === undefined || dirname(path) === join(packageRoot, 'seccomp')) return;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new SafedockError(
      `the preset's seccomp profile ${path} cannot be read as JSON: ${(cause as Error).message}`,
      { code: 'seccomp-invalid', cause, hint: `Fix the file, or check it with: safedock seccomp check ${path}` },
    );
  }
  validateSeccompProfile(json, path);
}

/**
 * plan: the preset under your flags, with what the image needs in between (a non-root user for an
 * image that runs as root; your unaddressed ports bound to the preset's address). Pure but for the
 * preset's profile files.
 */
export function plan(
  prepared: Pick<Prepared, 'user' | 'preset' | 'secrets' | 'parsed' | 'notes'>,
  image: ImageFacts | undefined,
  ctx: RunContext & { apiVersion?: string; accounts?: ImageAccounts | undefined },
): RunPlan {
  const { preset } = prepared;
  const notes: string[] = [...(prepared.notes ?? [])];
  const base = presetLayer(preset, ctx);
  const portNotes: string[] = [];
  const user = bindPorts(prepared.user, preset, portNotes);
  const tailoring = imageTailoring(preset, user, image, notes, ctx.accounts);
  // The image's transient folders follow the run's final user and root (as merged so far).
  const transient = transientTmpfs(mergeLayers([base, tailoring, user]).spec, image, ctx.accounts);
  notes.push(...transient.notes);
  const isolated = isolatedNetworkLayer(preset, user, notes, ctx.engineKind);
  const all = bindPublishAll(mergeLayers([base, tailoring, transient.layer, isolated, user]), preset, image);
  const merged = all.merged;
  // A port note on a network that publishes nothing (none, host) would claim what is not so.
  if (publishesPorts(merged.spec)) notes.push(...portNotes, ...all.notes);
  notes.push(...volumeNotes(merged.spec, image));
  const effectiveUser = merged.spec.user !== '' ? merged.spec.user : (image?.user ?? '');
  notes.push(...secretNotes(prepared.secrets, effectiveUser));
  const flags = [
    ...new Set([...presetOptions(preset).map((o) => o.name), ...prepared.parsed.options.map((o) => o.name)]),
  ];
  // Flags the engine cannot honour are refused before the policy asks anything.
  if (ctx.apiVersion !== undefined) checkFlagSupport(flags, ctx.apiVersion);
  const network = preset.network?.isolated === undefined ? undefined : String(preset.network.isolated.value);
  const joins = network !== undefined && merged.spec.networks.some((n) => n.target === network);
  return { preset, image, ...merged, notes, flags, ...(joins ? { isolatedNetwork: network } : {}) };
}

/**
 * The preset's isolated network for a run that names none: safedock's own bridge, where
 * containers cannot reach each other. A network the preset's settings name (sandbox's none), or
 * yours, wins; with --link and no --network the run stays on docker's default bridge, the only
 * network where a legacy link works as docker documents it.
 */
function isolatedNetworkLayer(
  preset: Preset,
  user: SpecLayer,
  notes: string[],
  engineKind: RunContext['engineKind'],
): SpecLayer {
  const layer: SpecLayer = { spec: {}, provenance: new Map() };
  const isolated = preset.network?.isolated;
  if (isolated === undefined || preset.settings.network !== undefined || user.spec.networks !== undefined) return layer;
  const name = String(isolated.value);
  // Measured with Podman 4.3: its networks take no inter-container option (the bridge driver's
  // enable_icc is dropped), so a network of safedock's own would keep nothing apart. The run stays
  // on Podman's default network, which the policy reports (SD155), as on docker's default bridge.
  if (engineKind === 'podman') return layer;
  if ((user.spec.links ?? []).length > 0) {
    notes.push(
      `--link works on docker's default bridge only: the container joins it, not safedock's isolated network ${name} (name a network with --network to keep containers apart)`,
    );
    return layer;
  }
  layer.spec.networks = [parseNetworkValue(name)];
  const source: Source = {
    kind: 'preset',
    preset: preset.name,
    file: preset.file,
    key: 'network.isolated',
    ...(isolated.reason ? { reason: isolated.reason } : {}),
  };
  // The plan shows the network with the preset's reason; a run says nothing more about it.
  layer.provenance.set('networks', { source, flag: 'network', text: name });
  return layer;
}

/** Your -p specs that name no address, bound to the preset's address (127.0.0.1 for the hardened ones). */
function bindPorts(user: SpecLayer, preset: Preset, notes: string[]): SpecLayer {
  const address = preset.ports?.defaultAddress;
  const ports = user.spec.ports;
  if (address === undefined || ports === undefined) return user;
  const ip = String(address.value);
  const provenance = new Map(user.provenance);
  const source: Source = {
    kind: 'preset',
    preset: preset.name,
    file: preset.file,
    key: 'ports.defaultAddress',
    ...(address.reason ? { reason: address.reason } : {}),
  };
  const noted = new Set<string>();
  const bound = ports.map((p) => {
    if (p.hostIp !== '' || p.requestedIp !== undefined) {
      if (p.requestedIp === undefined) return p;
      return { ...p, hostIp: p.requestedIp };
    }
    const key = provenanceKey('ports', p.port);
    const was = provenance.get(key);
    if (was !== undefined) {
      // A -p keeps its spelling; a port read back from a container (export --from-container) has
      // no -p to quote (its origin's text is the container's id), so it is spelt from the port.
      const spec = was.flag === 'publish' ? was.text : `${p.hostPort === '' ? '' : `${p.hostPort}:`}${p.port}`;
      provenance.set(key, { source, flag: 'publish', text: publishOn(spec, ip) });
      if (!noted.has(spec)) {
        noted.add(spec);
        notes.push(`-p ${spec} is published on ${ip} only (preset ${preset.name})`);
      }
    }
    return { ...p, hostIp: ip };
  });
  // The field's own origin follows its last item's.
  const last = bound.at(-1);
  const lastOrigin = last === undefined ? undefined : provenance.get(provenanceKey('ports', last.port));
  if (lastOrigin !== undefined) provenance.set('ports', lastOrigin);
  return { spec: { ...user.spec, ports: bound }, provenance };
}

/** The image's root replaced by the preset's non-root user, when nobody chose a user. */
export function imageTailoring(
  preset: Preset,
  user: SpecLayer,
  image: ImageFacts | undefined,
  notes: string[],
  accounts: ImageAccounts | undefined,
): SpecLayer {
  const nonRoot = preset.image?.nonRootUser;
  const layer: SpecLayer = { spec: {}, provenance: new Map() };
  if (nonRoot === undefined || user.spec.user !== undefined || preset.settings.user !== undefined) return layer;
  if (image === undefined) {
    notes.push(`the image was not inspected; assuming it runs as root, it runs as ${String(nonRoot.value)}`);
  }
  if (image !== undefined && !imageRunsAsRoot(image.user, accounts)) return layer;
  const reason = nonRoot.reason ?? 'the image would run as root';
  layer.spec.user = String(nonRoot.value);
  const origin: Origin = { source: { kind: 'image', reason }, flag: 'user', text: String(nonRoot.value) };
  layer.provenance.set('user', origin);
  const as = image?.user
    ? `"${image.user}"${imageRunsAsRoot(image.user) ? '' : ', which its /etc/passwd maps to uid 0'}`
    : 'root';
  notes.push(`the image runs as ${as}; running it as ${String(nonRoot.value)} instead (-u chooses a user)`);
  return layer;
}

export interface FinalizeContext {
  /** The engine's API version (flags it cannot honour are refused, fields it lacks left out). */
  apiVersion: string;
  consoleSize?: readonly [number, number] | undefined;
  /** The image was pulled for inspection: --pull always does not pull it again. */
  pulled?: boolean;
}

/**
 * finalize: the preset and the accepted and warned-through risks stamped on the container (so an
 * audit tells them from drift), the engine's API checks, and the create request. Labels under
 * io.safedock. are safedock's: one of yours would pass for its record, so it is dropped with a note.
 */
export function finalize(
  runPlan: RunPlan,
  decision: Decision | undefined,
  ctx: FinalizeContext,
): { request: RunRequest; notes: string[] } {
  checkFlagSupport(runPlan.flags, ctx.apiVersion);
  const { spec, notes } = finalSpec(runPlan, decision, ctx.pulled === true);
  return { request: toRunRequest(spec, { apiVersion: ctx.apiVersion, consoleSize: ctx.consoleSize }), notes };
}

/** The plan's settings as they are sent (and exported): accepted risks stamped, reserved labels dropped. */
export function finalSpec(
  runPlan: RunPlan,
  decision: Decision | undefined,
  pulled = false,
): { spec: RunSpec; notes: string[] } {
  const notes: string[] = [];
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(runPlan.spec.labels)) {
    if (isReservedLabel(key)) {
      notes.push(`the label ${key} is reserved for safedock's record of the run; it was dropped`);
    } else {
      labels[key] = value;
    }
  }
  if (decision !== undefined)
    Object.assign(labels, runLabels(decision.accepted, runPlan.preset.name), warnedLabels(decision));
  return { spec: { ...runPlan.spec, labels, pull: pulled ? 'missing' : runPlan.spec.pull }, notes };
}

export interface DockerRequestContext extends RunContext {
  apiVersion: string;
  consoleSize?: readonly [number, number] | undefined;
}

/**
 * The create request `docker run` itself sends for these arguments: your flags alone, as the
 * pass-through preset `none` runs them (the oracle test compares it with the docker CLI's).
 */
export function dockerRequest(parsed: ParsedRun, ctx: DockerRequestContext): RunRequest {
  // cobra's pre-run hook first: every flag this engine cannot honour, in one message.
  checkFlagSupport(
    parsed.options.map((o) => o.name),
    ctx.apiVersion,
  );
  const { user } = convertUserFlags(parsed, ctx);
  const { spec } = mergeLayers([user]);
  return toRunRequest(spec, { apiVersion: ctx.apiVersion, consoleSize: ctx.consoleSize });
}
