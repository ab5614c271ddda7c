/**
 * `safedock export`: the plan `safedock run` would run, written for Compose, Swarm, Kubernetes or
 * plain docker. The same stages as run (prepare → plan → judge → the final settings); this file
 * holds only the I/O around them: the engine (image facts, a container to start from, the image's
 * users), the terminal, and the files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseRunArgv } from '../docker-cli/parse-argv.js';
import type { ParsedRun } from '../docker-cli/parsed-run.js';
import { connect as connectEngine, type Engine, type ImageFacts } from '../engine/engine.js';
import { selectEngine } from '../engine/select.js';
import type { ContainerInspect } from '../api/inspect.js';
import { SafedockError, UsageError, reportError } from '../errors.js';
import type { NumericUser } from '../export/export-context.js';
import { EXPORT_FLAGS, exportOptions, type ExportOptions } from '../export/export-flags.js';
import { renderExportHelp } from '../export/export-help.js';
import { containerLayer, overContainer } from '../export/from-container.js';
import { lossText, type ExportFile, type Rendered } from '../export/loss.js';
import { checkPodSecurity } from '../export/pod-security.js';
import { planProfile, workloadName } from '../export/profile.js';
import { renderExport } from '../export/render.js';
import { HEADER } from '../export/compose-file.js';
import { judgePlan } from '../policy/judge.js';
import { mayAsk } from '../prompt/terminal.js';
import { finalSpec, needsImageFacts, plan, prepare, type Prepared, type RunPlan } from '../run/pipeline.js';
import { accountsFor, accountsNeeded, engineObjectsFor, hostFactsFor } from '../run/gather-facts.js';
import type { RunFacts } from '../policy/facts.js';
import { nodeHostView } from '../policy/host-paths.js';
import { invokingUser } from '../policy/host-user.js';
import { needsAccounts, resolveUser, type ImageAccounts } from '../policy/image-accounts.js';
import type { HostView } from '../policy/types.js';
import type { RunSpec } from '../model/run-spec.js';
import type { RunEnvironment } from '../run/run-environment.js';
import { makeFolder } from '../project/make-folder.js';
import { writeFileAtomic } from '../project/write-file-atomic.js';
import { locateConfigError } from '../presets/yaml-file.js';
import { runNotes, quietRequested, type RunNotes } from './run-output.js';
import { settle } from './settle.js';
import { helpColumns } from '../text/wrap.js';

export async function exportMain(argv: readonly string[], environment: RunEnvironment): Promise<number> {
  try {
    return await exportPipeline(argv, environment);
  } catch (err) {
    // A preset's error names its file and key; the line is found as run finds it.
    return reportError(await locateConfigError(err), environment.io.stderr, 'export', environment.env);
  }
}

async function exportPipeline(argv: readonly string[], environment: RunEnvironment): Promise<number> {
  const { io, env, cwd } = environment;
  const parsed = parseRunArgv([...argv], { extra: EXPORT_FLAGS, imageOptional: true });
  if (parsed.own.help) {
    io.stdout.write(renderExportHelp(helpColumns(io.stdout, env)));
    return 0;
  }
  const options = exportOptions(parsed.extra ?? []);
  const notes = runNotes(io.stderr, quietRequested(parsed, env));
  // -q is export's own quiet (it silences the notes above), not a setting of the run exported:
  // no document has a place for a client's pull output, so it would only be reported as lost.
  const given: ParsedRun = { ...parsed, options: parsed.options.filter((o) => o.name !== 'quiet') };
  if ((given.image === undefined) === (options.fromContainer === undefined)) {
    throw new UsageError(
      given.image === undefined
        ? "'safedock export' needs an IMAGE or --from-container NAME"
        : 'give an IMAGE or --from-container NAME, not both',
      "For example: safedock export --format compose -o deploy nginx. See 'safedock export --help'.",
    );
  }
  const engine = await connect(environment, options.fromContainer !== undefined);
  const { prepared, image } = await prepareExport(given, options, environment, engine);

  const { runPlan, facts, host, accounts } = await judgeable(prepared, image, engine, environment);
  for (const note of runPlan.notes) notes.say(note, prepared.alerts?.includes(note) === true ? 'alert' : 'note');
  const judged = judgePlan(
    { ...runPlan, facts },
    {
      mode: prepared.mode,
      modeFrom: prepared.modeFrom,
      flagAccepts: prepared.flagAccepts,
      project: prepared.project,
      env,
      cwd,
      host,
    },
  );
  const decision = await settle(judged, given, { io, env }, notes, {
    question: 'Export anyway',
    declined: 'not exported (answered no)',
    nothing: 'nothing was written',
  });
  if (typeof decision === 'number') return decision;
  const final = finalSpec(runPlan, decision);
  const spec = final.spec;
  for (const note of final.notes) notes.say(note);

  const profile = planProfile(spec);
  if (
    profile !== undefined &&
    options.output === undefined &&
    profile.source === undefined &&
    needsProfileFile(options)
  ) {
    throw new SafedockError('the seccomp profile of this run has no file the document could name', {
      code: 'usage',
      hint: 'Pass -o DIR: the profile is then written beside the document.',
    });
  }
  const user = options.format === 'k8s' ? numericUser(spec, image, accounts) : undefined;
  const rendered = await renderExport(options.format, spec, {
    name: workloadName(spec),
    preset: runPlan.preset.name,
    profile,
    toFolder: options.output !== undefined,
    kind: options.kind,
    seccomp: options.seccomp,
    user,
    isolatedNetwork: runPlan.isolatedNetwork,
  });
  const uses =
    options.format === 'compose' ||
    options.format === 'args' ||
    (options.format === 'k8s' && options.seccomp === 'localhost');
  return deliver({ ...rendered, profileSource: uses ? profile?.source : undefined }, options, environment, notes);
}

/** Only the k8s export with --seccomp runtime-default and swarm (which drops it) need no file. */
function needsProfileFile(options: ExportOptions): boolean {
  return !(options.format === 'swarm' || (options.format === 'k8s' && options.seccomp !== 'localhost'));
}

/** The engine, when one answers: an export can be planned without one, a container cannot be read. */
async function connect({ env, io, globals }: RunEnvironment, required: boolean): Promise<Engine | undefined> {
  const stderr = io.stderr;
  try {
    return await connectEngine(selectEngine(env, globals), { env });
  } catch (err) {
    if (required) throw err;
    stderr.write(
      `safedock: no engine answered (${err instanceof Error ? err.message : String(err)}); the image was not inspected\n`,
    );
    return undefined;
  }
}

/** Your flags prepared as for run; with --from-container, over the container's own settings. */
async function prepareExport(
  given: ParsedRun,
  options: ExportOptions,
  { io, env, cwd }: RunEnvironment,
  engine: Engine | undefined,
): Promise<{ prepared: Prepared; image: ImageFacts | undefined }> {
  const ctx = { env, cwd, mayAsk: mayAsk(io.stderr, env) };
  if (options.fromContainer === undefined || engine === undefined) {
    const prepared = await prepare(given, ctx);
    const image =
      engine !== undefined &&
      given.image !== undefined &&
      (needsImageFacts(prepared.preset, prepared.user) || options.format === 'k8s')
        ? await engine.inspectImage(given.image)
        : undefined;
    if (engine !== undefined && given.image !== undefined && image === undefined) {
      io.stderr.write(`safedock: the engine has no image ${given.image}; it was not inspected\n`);
    }
    return { prepared, image };
  }
  const inspect = await engine.inspectContainer(options.fromContainer);
  if (inspect === undefined) {
    throw new SafedockError(`no such container: ${options.fromContainer}`, {
      code: 'no-such-container',
      hint: 'Name a container that exists (docker ps -a), by name or id.',
    });
  }
  const imageRef = inspect.Config?.Image ?? inspect.Image ?? '';
  const config = (await engine.imageConfig(inspect.Image ?? imageRef)) ?? {};
  const prepared = await prepare({ ...given, image: imageRef }, ctx);
  // The engine's type names the parts its own readers use; the document holds all of it.
  const user = overContainer(containerLayer(inspect as unknown as ContainerInspect, config), prepared.user);
  return { prepared: { ...prepared, user }, image: await engine.inspectImage(inspect.Image ?? imageRef) };
}

/**
 * The plan and the facts its judgement reads, gathered as `--dry-run` gathers them: the host's
 * paths, what the engine knows of the volumes and containers the run names, the image's account
 * files when the user needs them. Without an engine the model alone is judged.
 */
async function judgeable(
  prepared: Prepared,
  image: ImageFacts | undefined,
  engine: Engine | undefined,
  { env, cwd }: RunEnvironment,
): Promise<{ runPlan: RunPlan; facts: RunFacts; host: HostView; accounts: RunFacts['accounts'] }> {
  const invoker = invokingUser();
  const host = nodeHostView(env, cwd, invoker);
  let objects: RunFacts['engine'];
  let accounts: RunFacts['accounts'];
  if (engine !== undefined) {
    objects = await engineObjectsFor(engine, plan(prepared, undefined, { env, cwd }).spec);
    const first = plan(prepared, image, { env, cwd });
    if (image !== undefined && accountsNeeded(first.spec, image)) accounts = await accountsFor(engine, image);
  }
  const readable = accounts === undefined || typeof accounts === 'string' ? undefined : accounts;
  const runPlan = plan(prepared, image, { env, cwd, accounts: readable });
  const facts: RunFacts = {
    stage: 'full',
    host: hostFactsFor(runPlan, objects, host, invoker),
    ...(objects === undefined ? {} : { engine: objects }),
    ...(accounts === undefined ? {} : { accounts }),
  };
  return { runPlan, facts, host, accounts };
}

/** The run's user as numbers (Kubernetes takes no names), resolved as the engine resolves it. */
function numericUser(
  spec: RunSpec,
  image: ImageFacts | undefined,
  accounts: RunFacts['accounts'],
): NumericUser | undefined {
  const user = spec.user !== '' ? spec.user : (image?.user ?? '');
  const files: ImageAccounts =
    accounts === undefined || typeof accounts === 'string' ? { passwd: undefined, group: undefined } : accounts;
  // A name, or a uid without its group, needs the image's files: without them, no number is known.
  if (needsAccounts(user, []) && (accounts === undefined || typeof accounts === 'string')) return undefined;
  const resolved = resolveUser(user, [], files);
  return 'error' in resolved ? undefined : { uid: resolved.uid, gid: resolved.gid };
}

/**
 * Losses on stderr (an error under --strict-export), and notes unless quiet: a loss is a
 * protection the deployment will not have, so -q never hides it. The files to the folder or stdout.
 */
function deliver(
  rendered: Rendered & { profileSource: string | undefined },
  options: ExportOptions,
  { io, cwd }: RunEnvironment,
  notes: RunNotes,
): number {
  const target =
    options.format === 'k8s'
      ? 'Kubernetes'
      : options.format === 'args'
        ? 'docker run'
        : options.format === 'swarm'
          ? 'Swarm'
          : 'Compose';
  if (rendered.losses.length > 0) {
    const lines = rendered.losses.map((l) => `  ${lossText(l)}`).join('\n');
    if (options.strict) {
      throw new SafedockError(
        `${target} cannot carry ${rendered.losses.length} setting(s) of this run (--strict-export):\n${lines}`,
        {
          code: 'export-loss',
          hint: 'Change the run so that the target can carry it, or leave out --strict-export to export with these losses listed.',
        },
      );
    }
    io.stderr.write(`safedock: ${target} cannot carry these settings:\n${lines}\n`);
  }
  for (const note of rendered.notes) notes.say(note);
  if (options.format === 'k8s') reportPodSecurity(rendered, io.stderr);
  if (options.output === undefined) {
    const named = rendered.profileSource;
    if (named !== undefined) {
      notes.say(
        `the document names the seccomp profile ${named}: keep it there, or pass -o DIR to write a copy beside the document`,
      );
    }
    io.stdout.write(rendered.main.text);
    return 0;
  }
  const folder = resolve(cwd, options.output);
  const files = [rendered.main, ...rendered.extra];
  for (const f of files) refuseForeign(join(folder, f.name), f);
  makeFolder(folder, `-o ${options.output}`);
  for (const f of files)
    writeFileAtomic(join(folder, f.name), f.text, { replace: true, executable: f.executable === true });
  notes.say(`wrote ${files.map((f) => join(options.output ?? '', f.name)).join(', ')}`);
  return 0;
}

/** A file safedock did not write is not replaced: nothing of yours is lost. */
function refuseForeign(path: string, file: ExportFile): void {
  if (!existsSync(path)) return;
  const old = readFileSync(path, 'utf8');
  if (old === file.text || old.includes(HEADER) || (file.name.endsWith('.json') && isSameJson(old, file.text))) return;
  throw new SafedockError(`${path} exists and was not written by safedock export`, {
    code: 'exists',
    hint: 'Choose another folder with -o, or move the file away.',
  });
}

function isSameJson(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}

function reportPodSecurity(rendered: Rendered, stderr: NodeJS.WritableStream): void {
  const violations = rendered.podSpec === undefined ? [] : checkPodSecurity(rendered.podSpec);
  if (violations.length === 0) return;
  stderr.write(
    `safedock: the Pod does not meet the restricted Pod Security level:\n${violations.map((v) => `  ${v.control} (${v.level}): ${v.detail}`).join('\n')}\n`,
  );
}
