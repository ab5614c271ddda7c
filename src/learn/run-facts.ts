/**
 * What a diagnosis knows of a run (DiagnosisFacts), gathered from a plan (a foreground `safedock run`)
 * or from a container read back (`safedock diagnose`), and the `safedock learn` line that repeats
 * the run with the user's own arguments. Pure.
 */
import { basename } from 'node:path';
import type { RunRequest } from '../api/create-body.js';
import type { ParsedRun } from '../docker-cli/parsed-run.js';
import { findLongFlag } from '../docker-cli/run-flags.js';
import type { ContainerInspect, ImageFacts } from '../engine/engine.js';
import { findProjectFolder } from '../presets/project-config.js';
import { engineDefaultAllows, evaluateSyscall, type EngineFlavour, type SeccompProfile } from '../seccomp/index.js';
import type { RunPlan } from '../run/pipeline.js';
import type { DiagnosisFacts } from './diagnose.js';
import { settingFromProvenance, settingOfPreset } from './hardening-setting.js';
import { NOT_FOR_TRIALS } from './learn-argv.js';
import type { Ids } from '../policy/image-accounts.js';

/** The arguments of `safedock learn` and whether values were hidden from them (secrets). */
export interface LearnLine {
  args: string[];
  /** Some values (-e KEY=VALUE) are shown as KEY=***: the user types them again. */
  hidden: boolean;
}

/**
 * A foreground run's facts: the plan's model and provenance, the create request's seccomp profile
 * (as sent), the engine whose default profile counts, and the user's own arguments for learn.
 */
export function planFacts(
  runPlan: Pick<RunPlan, 'spec' | 'provenance' | 'preset' | 'image'>,
  request: RunRequest,
  parsed: ParsedRun,
  where: { cwd: string; engine: EngineFlavour; ids: Ids | undefined },
): DiagnosisFacts & { hidden: boolean } {
  const { spec } = runPlan;
  const line = learnLineOf(parsed);
  return {
    setting: settingFromProvenance(runPlan.provenance, runPlan.preset),
    ids: where.ids,
    readOnly: spec.readOnly,
    command: [...(request.body.Entrypoint ?? runPlan.image?.entrypoint ?? []), ...commandOf(request, runPlan.image)],
    env: request.body.Env ?? [],
    workingDir: request.body.WorkingDir,
    seccompRefuses: seccompRefusal(request.body.HostConfig.SecurityOpt ?? []),
    engineAllows: (syscall) => engineDefaultAllows(syscall, where.engine),
    volumeName: volumeNamer(where.cwd),
    learnArgs: line.args,
    hidden: line.hidden,
  };
}

/** The command a container runs: the request's, else the image's default. */
function commandOf(request: RunRequest, image: ImageFacts | undefined): readonly string[] {
  const cmd = request.body.Cmd;
  return cmd !== null && cmd.length > 0 ? cmd : (image?.cmd ?? []);
}

/**
 * An exited container's facts: its settings as inspect shows them, the preset it was run under
 * (its io.safedock.preset label, else the folder's default), and a learn line with the image and
 * the command only where they differ from the image's defaults.
 */
export function containerFacts(
  info: ContainerInspect,
  image: ImageFacts | undefined,
  where: { cwd: string; engine: EngineFlavour; ids: Ids | undefined; preset: string },
): DiagnosisFacts {
  const entrypoint = info.Config?.Entrypoint ?? [];
  const cmd = info.Config?.Cmd ?? [];
  return {
    setting: settingOfPreset(info.Config?.Labels?.['io.safedock.preset'] ?? where.preset),
    ids: where.ids,
    readOnly: info.HostConfig?.ReadonlyRootfs === true,
    command: [...entrypoint, ...cmd],
    env: info.Config?.Env ?? [],
    workingDir: info.Config?.WorkingDir ?? '',
    seccompRefuses: seccompRefusal(info.HostConfig?.SecurityOpt ?? []),
    engineAllows: (syscall) => engineDefaultAllows(syscall, where.engine),
    volumeName: volumeNamer(where.cwd),
    learnArgs: [info.Config?.Image ?? info.Image ?? info.Id, ...ownCommand(entrypoint, cmd, image)],
  };
}

/**
 * The part of a container's entrypoint and command the user gave: nothing when both are the
 * image's; `--entrypoint` when the entrypoint is not the image's (docker then drops the image's
 * command, so the command is the user's too).
 */
export function ownCommand(
  entrypoint: readonly string[],
  cmd: readonly string[],
  image: Pick<ImageFacts, 'cmd' | 'entrypoint'> | undefined,
): string[] {
  if (image === undefined) return [...cmd];
  const same = (a: readonly string[], b: readonly string[] | undefined): boolean =>
    a.length === (b ?? []).length && a.every((w, i) => w === b?.[i]);
  if (!same(entrypoint, image.entrypoint)) {
    const [first, ...rest] = entrypoint;
    return first === undefined ? ['--entrypoint', '', ...cmd] : ['--entrypoint', first, ...rest, ...cmd];
  }
  return same(cmd, image.cmd) ? [] : [...cmd];
}

/** safedock's own options that mean the same to learn (the others are about one run's output or question). */
const OWN_FOR_LEARN = ['preset', 'secret'] as const;

/**
 * `safedock learn` with the run's own arguments: its docker options but those learn sets itself,
 * --preset and --secret of safedock's own, the image and the command as typed. The values of
 * options that may hold secrets (-e KEY=VALUE) are shown as KEY=***.
 */
export function learnLineOf(parsed: ParsedRun): LearnLine {
  const args: string[] = [];
  let hidden = false;
  for (const o of parsed.options) {
    if (NOT_FOR_TRIALS.has(o.name)) continue;
    const row = findLongFlag(o.name);
    if (row?.kind === 'bool') {
      args.push(o.value === 'true' ? `--${o.name}` : `--${o.name}=${o.value}`);
      continue;
    }
    const shown = row?.secret?.(o.value) ?? o.value;
    if (shown !== o.value) hidden = true;
    args.push(`--${o.name}`, shown);
  }
  for (const name of OWN_FOR_LEARN) {
    const value = parsed.own[name];
    for (const v of value === undefined ? [] : Array.isArray(value) ? value : [value]) args.push(`--${name}`, v);
  }
  if (parsed.image !== undefined) args.push(parsed.image);
  args.push(...parsed.command);
  return { args, hidden };
}

/** Whether the seccomp profile among security options (sent inline, as docker sends it) refuses a call. */
export function seccompRefusal(securityOpt: readonly string[]): (syscall: string) => boolean | undefined {
  const json = securityOpt
    .filter((o) => /^seccomp[=:]/.test(o))
    .at(-1)
    ?.slice('seccomp='.length);
  let profile: SeccompProfile | undefined;
  try {
    profile = json?.startsWith('{') === true ? (JSON.parse(json) as SeccompProfile) : undefined;
  } catch {
    profile = undefined;
  }
  return (syscall) => (profile === undefined ? undefined : !evaluateSyscall(profile, syscall).allowed);
}

/** The name a project's volume for a folder gets: the project folder's name and the path (as learn names them). */
export function volumeNamer(cwd: string): (path: string) => string {
  const project = slug(basename(findProjectFolder(cwd) ?? cwd)) || 'project';
  return (path) => `${project}-${slug(path)}`;
}

export const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
