import { parseRunArgv } from '../docker-cli/parse-argv.js';
import { EXIT, SafedockError, UsageError } from '../errors.js';
import { Engine, withDefaultTag, type ImageFacts } from '../engine/engine.js';
import { MAX_API_VERSION, MIN_API_VERSION } from '../engine/negotiate.js';
import { selectForRun } from '../presets/select.js';
import type { ProjectConfig } from '../presets/project-config.js';
import type { Preset } from '../presets/types.js';
import { acceptsFromFlags, type Acceptance } from '../policy/accept.js';
import { acceptOnTerminal, type Decision } from '../policy/decide.js';
import { judgePlan } from '../policy/judge.js';
import { acceptedLabels, LABEL_ACCEPTED } from '../policy/labels.js';
import { isCi, resolveMode, type PolicyMode } from '../policy/mode.js';
import { decisionToJson, decisionToText, refusalText } from '../policy/render.js';
import { askOnTerminal } from '../prompt/confirm.js';
import { mayAsk, openTerminal } from '../prompt/terminal.js';
import { parseSecrets, secretNotes, secretOptions, type SecretMount } from '../docker-cli/secrets.js';
import { needsImageFacts, planRun } from '../run/plan.js';
import { toRunRequest } from '../docker-cli/to-run-request.js';
import { newReadScope } from '../docker-cli/read-once.js';
import { planToJson, planToText } from '../run/render-plan.js';
import type { ParsedRun } from '../docker-cli/parsed-run.js';
import type { RunRequest } from '../docker-cli/run-request.js';
import { InterruptGuard, pullImage, runContainer, type RunIO } from '../engine/run-container.js';
import { renderRunHelp } from './run-help.js';

export interface RunEnvironment {
  io: RunIO;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * `safedock run`: parse docker's grammar, merge the preset, then create and run the container
 * through the engine. Resolves with the process exit code; never throws.
 */
export async function runMain(argv: readonly string[], environment: RunEnvironment): Promise<number> {
  const { io } = environment;
  try {
    return await runPipeline(argv, environment);
  } catch (err) {
    return reportError(err, io.stderr);
  }
}

async function runPipeline(argv: readonly string[], { io, env, cwd }: RunEnvironment): Promise<number> {
  newReadScope();
  const given = parseRunArgv([...argv]);
  if (given.own.help) {
    io.stdout.write(renderRunHelp());
    return 0;
  }
  const { parsed, secrets, policy } = await prepare(given, { io, env, cwd });
  const { preset } = policy;

  if (parsed.own.dryRun) return dryRun(parsed, policy, { io, env, cwd });

  // Input errors are reported before any request, as docker does: your flags alone, converted
  // as docker converts them client-side (the preset's own values are checked when it loads).
  // Flags that need a newer API are checked against the engine's version once it is known.
  const checked = toRunRequest(parsed, { env, cwd, apiVersion: MAX_API_VERSION });
  if (checked.body.AttachStdin && checked.body.Tty && !io.stdin.isTTY) {
    throw new SafedockError('the input device is not a TTY', {
      code: 'not-a-tty',
      exitCode: 1,
      hint: 'Drop -t when stdin is a pipe or file (keep -i to pass it through), or run from a terminal.',
    });
  }
  const imageRef = needsImageFacts(preset, parsed) ? parsed.image : undefined;
  // dockerode itself is loaded inside connect(); the image is inspected meanwhile.
  const engine = await Engine.connect(
    env,
    imageRef !== undefined && checked.client.pull !== 'always' ? { image: imageRef } : {},
  );
  let image: ImageFacts | undefined;
  let pulled = false;
  if (imageRef !== undefined) ({ image, pulled } = await inspectOrPull(engine, imageRef, checked, io));
  const plan = planRun(parsed, preset, image, { env, cwd, apiVersion: engine.apiVersion, ...terminalSize(io) });
  for (const note of [...plan.notes, ...secretNotes(secrets, effectiveUser(plan.request.body.User, image))])
    io.stderr.write(`safedock: ${note}\n`);

  const decision = await settle(judgePlan(plan, { ...policy, env, cwd }), parsed, { io, env });
  if (typeof decision === 'number') return decision;
  // Accepted risks are stamped on the container, so an audit can tell them from drift.
  // The io.safedock.accepted* keys are safedock's: a --label with that prefix would pass for accepted risk.
  const labels = acceptedLabels(decision.accepted);
  const userLabels = plan.request.body.Labels;
  const forged = Object.keys(userLabels).filter(
    (key) => key === LABEL_ACCEPTED || key.startsWith(`${LABEL_ACCEPTED}.`),
  );
  for (const key of forged)
    io.stderr.write(`safedock: the label ${key} is reserved for risks safedock accepted; it was dropped\n`);
  const kept =
    forged.length === 0
      ? userLabels
      : Object.fromEntries(Object.entries(userLabels).filter(([key]) => !forged.includes(key)));
  const body =
    Object.keys(labels).length === 0 && forged.length === 0
      ? plan.request.body
      : { ...plan.request.body, Labels: { ...kept, ...labels } };
  // An image pulled for inspection is not pulled again by --pull always.
  const client = pulled ? { ...plan.request.client, pull: 'missing' as const } : plan.request.client;
  return await runContainer(engine, { ...plan.request, body, client }, io);
}

interface Prepared {
  /** The arguments with --secret turned into the --mount options that carry them. */
  parsed: ParsedRun;
  secrets: SecretMount[];
  policy: RunPolicy;
}

interface RunPolicy {
  preset: Preset;
  project: ProjectConfig | undefined;
  mode: PolicyMode;
  flagAccepts: Acceptance[];
}

/** Everything decided from the arguments and the folder alone, checked before any request. */
async function prepare(given: ParsedRun, environment: RunEnvironment): Promise<Prepared> {
  const { io, env, cwd } = environment;
  if (given.own.pick) {
    // The picker (and inquirer) load only when asked for; the choice then runs like --preset.
    const { pickForRun } = await import('../pick/run-picker.js');
    given = { ...given, own: { ...given.own, preset: await pickForRun(given, environment) } };
  }
  const selected = await selectForRun(given.own.preset, { cwd, env });
  const { project } = selected;
  const preset = given.own.pick ? { ...selected.preset, chosenBy: '--pick' } : selected.preset;
  const flagAccepts = acceptsFromFlags(given.own.accept, given.own.reason);
  const mode = resolveMode(given.own.policy, env, mayAsk(io.stderr, env));
  const secrets = parseSecrets(given.own.secret, cwd);
  const parsed = secrets.length === 0 ? given : { ...given, options: [...given.options, ...secretOptions(secrets)] };
  return { parsed, secrets, policy: { preset, project, mode, flagAccepts } };
}

/** The user a container runs as: -u or the preset's, else the image's own. */
function effectiveUser(user: string, image: ImageFacts | undefined): string {
  return user !== '' ? user : (image?.user ?? '');
}

/**
 * Reports the findings and settles the decision: proceed (the decision, with any yes on the
 * terminal recorded as an acceptance), or an exit code (refused: 125; cancelled: 130).
 */
async function settle(
  decision: Decision,
  parsed: ParsedRun,
  { io, env }: Pick<RunEnvironment, 'io' | 'env'>,
): Promise<Decision | number> {
  const json = parsed.own.json;
  const report = (d: Decision): void => {
    if (json) io.stderr.write(`${JSON.stringify({ policy: decisionToJson(d) })}\n`);
  };
  if (!json) io.stderr.write(decisionToText(decision));
  if (decision.verdict === 'proceed') {
    report(decision);
    return decision;
  }
  const refuse = (why: string): number => {
    const refused = { ...decision, verdict: 'refuse' as const };
    report(refused);
    if (!json) io.stderr.write(refusalText(refused, why));
    return EXIT.failure;
  };
  if (decision.verdict === 'refuse') {
    const why = isCi(env)
      ? 'CI is set, so nobody is asked'
      : parsed.own.policy !== undefined || env.SAFEDOCK_POLICY
        ? 'the policy is enforce'
        : 'no terminal to ask on';
    return refuse(parsed.own.yes ? `${why}; --yes only answers the question on a terminal` : why);
  }
  // verdict 'ask': a person at the terminal decides; --yes stands for that person only there.
  if (!mayAsk(io.stderr, env)) {
    const why = isCi(env) ? 'CI is set, so nobody is asked' : 'no terminal to ask on';
    return refuse(parsed.own.yes ? `${why}; --yes only answers the question on a terminal` : why);
  }
  if (parsed.own.yes) {
    const confirmed = acceptOnTerminal(decision, 'confirmed with --yes on a terminal');
    report(confirmed);
    return confirmed;
  }
  const terminal = openTerminal(io.stderr);
  if (terminal === undefined) return refuse('no terminal to ask on');
  const ids = [...new Set(decision.blocking.map((f) => f.rule))].join(', ');
  const answer = await askOnTerminal(terminal, `Run anyway with ${ids}?`);
  if (answer === 'cancelled') {
    io.stderr.write('safedock: cancelled; nothing was created.\n');
    return EXIT.cancelled;
  }
  if (answer === 'no') {
    report({ ...decision, verdict: 'refuse' });
    io.stderr.write('safedock: not run (answered no); nothing was created.\n');
    return EXIT.failure;
  }
  const confirmed = acceptOnTerminal(decision, 'confirmed on the terminal');
  report(confirmed);
  return confirmed;
}

/** docker sends the size of its terminal at create whenever its stdout is one, with or without -t. */
function terminalSize(io: RunIO): { consoleSize?: readonly [number, number] } {
  const { rows, columns } = io.stdout;
  return io.stdout.isTTY && rows > 0 && columns > 0 ? { consoleSize: [rows, columns] } : {};
}

/** The image's facts, pulling it first when it is missing and the pull policy allows. */
async function inspectOrPull(
  engine: Engine,
  ref: string,
  request: RunRequest,
  io: RunIO,
): Promise<{ image: ImageFacts | undefined; pulled: boolean }> {
  const policy = request.client.pull;
  let pulled = false;
  let image = policy === 'always' ? undefined : await engine.inspectImage(ref);
  if (image === undefined) {
    if (policy === 'never') {
      throw new SafedockError(`Error response from daemon: No such image: ${withDefaultTag(ref)}`, {
        code: 'no-such-image',
        hint: `--pull never was given and the engine has no image ${ref}; build or load it first, or allow a pull.`,
      });
    }
    if (policy === 'missing' && !request.client.quiet)
      io.stderr.write(`Unable to find image '${withDefaultTag(ref)}' locally\n`);
    // No container exists yet: an interrupt during the pull ends the run at once (128+signal).
    const interrupts = new InterruptGuard();
    try {
      await pullImage(engine, ref, request, io);
    } finally {
      interrupts.release();
    }
    pulled = true;
    image = await engine.inspectImage(ref);
    if (image === undefined)
      throw new SafedockError(`the image ${ref} is still missing after the pull`, { code: 'no-such-image' });
  }
  return { image, pulled };
}

/**
 * `safedock explain [run options] IMAGE`: every setting a run would have, where it comes from
 * (preset file and key, your flag, image tailoring) and which preset values your flags replaced.
 * Takes run's options and grammar; creates nothing.
 */
export async function explainMain(argv: readonly string[], environment: RunEnvironment): Promise<number> {
  newReadScope();
  try {
    const given = parseRunArgv([...argv]);
    if (given.own.help) {
      environment.io.stdout.write(
        'Usage:  safedock explain [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nShows every setting `safedock run` would apply with the same arguments, where each comes from,\nwhich preset values your flags replaced, and the risk findings with what the policy would do.\nTakes the options of `safedock run --help`; --json for JSON.\n',
      );
      return 0;
    }
    const { parsed, policy } = await prepare(given, environment);
    return await dryRun(parsed, policy, environment, 'explain');
  } catch (err) {
    return reportError(err, environment.io.stderr, 'explain');
  }
}

async function dryRun(
  parsed: ParsedRun,
  policy: RunPolicy,
  { io, env, cwd }: RunEnvironment,
  view: 'plan' | 'explain' = 'plan',
): Promise<number> {
  const { preset } = policy;
  let image: ImageFacts | undefined;
  let apiVersion = MIN_API_VERSION;
  const notes: string[] = [];
  try {
    const engine = await Engine.connect(env);
    apiVersion = engine.apiVersion;
    if (needsImageFacts(preset, parsed) && parsed.image !== undefined) {
      image = await engine.inspectImage(parsed.image);
      if (image === undefined) notes.push(`the engine has no image ${parsed.image}; a real run would pull it first`);
    }
  } catch (err) {
    notes.push(
      `no engine answered (${err instanceof Error ? err.message : String(err)}); planned for API ${apiVersion}`,
    );
  }
  const plan = planRun(parsed, preset, image, { env, cwd, apiVersion, ...terminalSize(io) });
  plan.notes.unshift(...notes);
  const decision = judgePlan(plan, { ...policy, env, cwd });
  io.stdout.write(
    parsed.own.json
      ? `${JSON.stringify(planToJson(plan, apiVersion, decision), null, 2)}\n`
      : planToText(plan, apiVersion, view, decision),
  );
  return 0;
}

/** Prints an error as docker does ("docker: …" then how to get help) and picks the exit code. */
export function reportError(err: unknown, stderr: NodeJS.WritableStream, command: 'run' | 'explain' = 'run'): number {
  if (err instanceof SafedockError) {
    stderr.write(`safedock: ${err.message}\n`);
    const hint = err.hint?.replaceAll("'safedock run --help'", `'safedock ${command} --help'`);
    if (hint) stderr.write(`${hint}\n`);
    const pointsToHelp = hint?.includes('--help') ?? false;
    if (
      !pointsToHelp &&
      (err instanceof UsageError || err.code === 'engine' || err.code === 'start' || err.code === 'no-such-image')
    ) {
      stderr.write(`\nRun 'safedock ${command} --help' for more information\n`);
    }
    return err.exitCode;
  }
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  stderr.write(`safedock: internal error: ${message}\nPlease report this with the command line that caused it.\n`);
  return EXIT.failure;
}
