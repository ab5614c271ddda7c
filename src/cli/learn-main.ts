/**
 * `safedock learn [run options] IMAGE [COMMAND [ARG...]]`: finds the smallest change to the
 * default preset under which the workload works, proves it, shows it, and writes it as a project
 * preset. Wires the argument parser, the engine trials, the loop and the files; decides nothing.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EXIT, SafedockError, reportError } from '../errors.js';
import { connect } from '../engine/engine.js';
import { selectEngine } from '../engine/select.js';
import { runMain, type RunEnvironment } from './run-main.js';
import { saveProjectDefault } from '../project/project-default.js';
import { writeFileAtomic } from '../project/write-file-atomic.js';
import { builtinPresets } from '../presets/builtin.js';
import { findProjectFolder, PROJECT_CONFIG_FILE, PROJECT_PRESET_DIR } from '../presets/project-config.js';
import { selectForRun } from '../presets/select.js';
import type { Preset } from '../presets/types.js';
import { validatePreset } from '../presets/validate.js';
import { yamlText } from '../presets/yaml-file.js';
import { askOnTerminal } from '../prompt/confirm.js';
import { mayAsk, openTerminal } from '../prompt/terminal.js';
import { EngineTrials } from '../learn/engine-trials.js';
import { parseLearnArgv, presetNameForImage } from '../learn/learn-argv.js';
import { learn, type LearnResult } from '../learn/learn-loop.js';
import { argsText, presetComment, propose, resultText, type Proposal } from '../learn/proposal.js';
import { probeText } from '../learn/probe.js';
import { slug, volumeNamer } from '../learn/run-facts.js';
import { openDerivedProfiles, type DerivedProfiles } from '../learn/derived-profile.js';
import type { SeccompProfile } from '../seccomp/index.js';
import { locateConfigError } from '../presets/yaml-file.js';
import { helpColumns, wrapHelp } from '../text/wrap.js';

export const LEARN_HELP = `Usage:  safedock learn [OPTIONS] IMAGE [COMMAND] [ARG...]

Finds the smallest change to the default preset under which the workload works, proves it with a
run, shows it as docker run flags and as a preset, and writes it as a project preset
(.safedock/presets/NAME.yaml, extending the current default) that .safedock.yaml then names. A
system call the preset's seccomp profile refuses and the engine's default allows is added back to
a copy of the profile written beside it (NAME.seccomp.json) rather than turning seccomp off.

Takes the options of \`safedock run --help\`, and:
      --probe tcp:PORT|http:PORT[/PATH]   Works means: the container's PORT accepts a connection, or
                                          answers HTTP below 500 (default: still running after --settle,
                                          or a one-shot command exits 0)
      --settle SECONDS                    How long each trial may take to work (default 5)
      --name NAME                         The preset's name (default: the image's name)
      --yes                               Write without asking (a loosening of the hardening itself is
                                          then accepted with the reason shown)
      --dry-run                           Print the proposal; write nothing
      --json                              Print the proposal and the trials as JSON; write nothing
      --preset NAME                       The preset to build on (default: the current default preset)
`;

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export async function learnMain(argv: readonly string[], environment: RunEnvironment): Promise<number> {
  try {
    return await learnPipeline(argv, environment);
  } catch (err) {
    return reportError(await locateConfigError(err), environment.io.stderr, 'learn', environment.env);
  }
}

async function learnPipeline(argv: readonly string[], { io, env, cwd, globals }: RunEnvironment): Promise<number> {
  if (argv.includes('--help') && argv.indexOf('--help') < firstPositional(argv)) {
    io.stdout.write(wrapHelp(LEARN_HELP, helpColumns(io.stdout, env)));
    return 0;
  }
  const args = parseLearnArgv(argv);
  const { run } = args;
  const image = run.image ?? '';
  const say = (line: string): void => void io.stderr.write(`${line}\n`);

  let { preset } = await selectForRun(run.own.preset, { cwd, env });
  const name = args.name ?? presetNameForImage(image);
  const builtins = await builtinPresets();
  if (builtins.has(name))
    throw new SafedockError(`the preset name ${name} is a built-in preset's`, {
      code: 'learn-name',
      exitCode: 1,
      hint: 'Choose the name of the preset to write with --name NAME.',
    });
  // Learning again for the same preset builds on what that preset builds on.
  if (preset.name === name && preset.source === 'project' && preset.extends !== undefined)
    preset = (await selectForRun(preset.extends, { cwd, env })).preset;

  const engine = await connect(selectEngine(env, globals), { image, env });
  const facts = await engine.inspectImage(image);
  if (facts === undefined)
    throw new SafedockError(`the engine has no image ${image}`, {
      code: 'no-such-image',
      exitCode: 1,
      hint: `safedock learn runs the image many times and never pulls it: pull or build ${image} first.`,
    });

  const folder = findProjectFolder(cwd) ?? cwd;
  // A call the preset's profile refuses and the engine's allows is added back to a copy of the profile.
  const profiles = openDerivedProfiles(preset, {
    engine: { kind: engine.facts.kind, version: engine.engineVersion },
    cwd,
    presetDir: join(folder, PROJECT_PRESET_DIR),
    name,
    yourSeccomp: run.options.some((o) => o.name === 'security-opt' && /^seccomp[=:]/i.test(o.value)),
  });
  const session = randomBytes(4).toString('hex');
  const trialVolumes = new Set<string>();
  const trials = new EngineTrials({
    engine,
    runCommand: runMain,
    environment: { env, cwd },
    options: args.trialOptions,
    image,
    command: run.command,
    preset: preset.name,
    session,
    probe: args.probe,
    settleSeconds: args.settleSeconds,
    volumes: () => [...trialVolumes],
  });
  const onSignal = (signal: NodeJS.Signals): void => {
    say(`safedock learn: ${signal}: removing the trial container`);
    void trials.abort().finally(() => process.exit(EXIT.cancelled));
  };
  for (const s of SIGNALS) process.on(s, onSignal);

  const works =
    args.probe === undefined
      ? `still running after ${String(args.settleSeconds)} s`
      : `${probeText(args.probe)} answers`;
  say(`safedock learn: ${image} under ${preset.name}; works means: ${works}`);
  let result: LearnResult;
  try {
    result = await learn(trials, {
      imageUser: facts.user,
      userGiven: run.options.filter((o) => o.name === 'user').at(-1)?.value,
      presetUser: presetUser(preset),
      volumeName: volumeNamer(cwd),
      trialVolumeName: (path) => {
        const n = `safedock-learn-${session}-${slug(path)}`;
        trialVolumes.add(n);
        return n;
      },
      program: image,
      maxTrials: 12,
      report: say,
      ...(profiles === undefined ? {} : { seccomp: profiles.setup }),
    });
  } finally {
    await trials.abort();
    profiles?.cleanup();
    for (const s of SIGNALS) process.off(s, onSignal);
  }

  const summary = resultText(result, image, preset.name);
  const imageRunsAsRoot = facts.user === '' || /^(root|0)(:.*)?$/.test(facts.user);
  const proposal =
    result.status === 'learnt' || result.status === 'needs-wide'
      ? propose(result.fixes, { name, base: preset.name, image, imageRunsAsRoot })
      : undefined;
  const presetFile = join(folder, PROJECT_PRESET_DIR, `${name}.yaml`);
  const configFile = join(folder, PROJECT_CONFIG_FILE);
  const text =
    proposal === undefined ? undefined : await yamlText(proposal.document, presetComment(image, preset.name));
  if (proposal !== undefined) validatePreset(proposal.document, presetFile);
  const profile = proposal === undefined ? undefined : derivedProfile(result, profiles, image);

  if (run.own.json) {
    io.stdout.write(
      `${JSON.stringify(jsonReport(result, proposal, { image, base: preset.name, presetFile, profile }), null, 2)}\n`,
    );
    return proposal === undefined && result.status === 'stuck' ? 1 : 0;
  }
  io.stdout.write(`\n${summary}`);
  if (proposal === undefined || text === undefined) return result.status === 'works-as-is' ? 0 : 1;
  io.stdout.write(
    `\nAs docker run flags:\n  ${argsText(proposal.args)}\n\nAs the preset ${relative(cwd, presetFile) || presetFile}:\n${indent(text)}\n`,
  );
  if (profile !== undefined)
    io.stdout.write(
      `\nWith the seccomp profile ${relative(cwd, profile.path) || profile.path}: ${profile.base} with ${profile.added.join(', ')} added back (written next to the preset).\n`,
    );
  if (run.own.dryRun) return 0;

  const wide = result.status === 'needs-wide';
  if (!run.own.yes) {
    if (!mayAsk(io.stderr, env)) {
      say(
        `safedock learn: nothing written: no terminal to ask on. Pass --yes to write ${name} and make it the project's default${wide ? ' (accepting the loosening above with its reason)' : ''}.`,
      );
      return 1;
    }
    const terminal = openTerminal(io.stderr);
    const answer =
      terminal === undefined
        ? 'no'
        : await askOnTerminal(
            terminal,
            wide
              ? `Nothing narrower worked. Write ${name}, giving up what is said above?`
              : `Write ${relative(cwd, presetFile) || presetFile} and make it the default in ${PROJECT_CONFIG_FILE}?`,
          );
    if (answer !== 'yes') {
      say('safedock learn: nothing written.');
      return answer === 'cancelled' ? EXIT.cancelled : 1;
    }
  }
  mkdirSync(join(folder, PROJECT_PRESET_DIR), { recursive: true });
  // The profile first: the preset names it, and a preset whose profile is missing cannot run.
  if (profile !== undefined)
    writeFileAtomic(profile.path, `${JSON.stringify(profile.document, null, 2)}\n`, {
      replace: existsSync(profile.path),
    });
  writeFileAtomic(presetFile, text, { replace: existsSync(presetFile) });
  await saveProjectDefault(configFile, name);
  say(`safedock learn: wrote ${presetFile} and set "preset: ${name}" in ${configFile}.`);
  say(
    `Run it hardened with: safedock run ${argsText([...run.options.filter((o) => o.name !== 'name').map((o) => `--${o.name}=${o.value}`), image, ...run.command])}`,
  );
  return 0;
}

/** The derived seccomp profile the proposal names, if any: the base's file name, the calls added, the document. */
interface ProfileToWrite {
  path: string;
  base: string;
  added: string[];
  document: SeccompProfile;
}

function derivedProfile(
  result: LearnResult,
  profiles: DerivedProfiles | undefined,
  image: string,
): ProfileToWrite | undefined {
  const fix = result.fixes.find((f) => f.kind === 'seccomp-allow');
  if (fix === undefined || profiles === undefined) return undefined;
  const document = profiles.final(fix.syscalls, `Added back by safedock learn for ${image}. Seen: ${fix.reason}.`);
  if (document === undefined) return undefined;
  return { path: profiles.path, base: profiles.setup.base, added: fix.syscalls, document };
}

function presetUser(preset: Preset): string | undefined {
  const value = preset.settings.user?.value ?? preset.image?.nonRootUser?.value;
  return value === undefined ? undefined : String(value);
}

function jsonReport(
  result: LearnResult,
  proposal: Proposal | undefined,
  where: { image: string; base: string; presetFile: string; profile: ProfileToWrite | undefined },
): Record<string, unknown> {
  return {
    image: where.image,
    base: where.base,
    status: result.status,
    ...(result.wide === undefined ? {} : { wide: result.wide }),
    trials: result.trials.map((t) => ({
      label: t.label,
      flags: t.flags,
      works: t.outcome.works,
      result: t.outcome.summary,
    })),
    evidence: result.evidence.map((e) => ({ ...e })),
    notes: result.notes,
    ...(proposal === undefined
      ? {}
      : { args: proposal.args, preset: { file: where.presetFile, document: proposal.document } }),
    ...(where.profile === undefined
      ? {}
      : { seccompProfile: { file: where.profile.path, base: where.profile.base, added: where.profile.added } }),
  };
}

/** The index of the first word that is not an option (the image), roughly: for --help only. */
function firstPositional(argv: readonly string[]): number {
  const i = argv.findIndex((a) => !a.startsWith('-'));
  return i < 0 ? argv.length : i;
}

const indent = (text: string): string =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
