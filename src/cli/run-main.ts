import { parseRunArgv } from '../argv/parse.js';
import { EXIT, SafedockError, UsageError } from '../errors.js';
import { Engine, withDefaultTag, type ImageFacts } from '../engine/engine.js';
import { MAX_API_VERSION, MIN_API_VERSION } from '../engine/negotiate.js';
import type { resolvePreset } from '../presets/builtin.js';
import { selectPreset } from '../presets/select.js';
import { needsImageFacts, planRun } from '../run/plan.js';
import { toRunRequest } from '../spec/toRunRequest.js';
import { newReadScope } from '../spec/convert/readOnce.js';
import { planToJson, planToText } from '../run/render-plan.js';
import type { ParsedRun } from '../argv/types.js';
import type { RunRequest } from '../spec/types.js';
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
  const parsed = parseRunArgv([...argv]);
  if (parsed.own.help) {
    io.stdout.write(renderRunHelp());
    return 0;
  }
  const preset = await selectPreset(parsed.own.preset, { cwd, env });

  if (parsed.own.dryRun) return dryRun(parsed, preset, { io, env, cwd });

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
  const engine = await Engine.connect(env, imageRef !== undefined && checked.client.pull !== 'always' ? { image: imageRef } : {});
  let image: ImageFacts | undefined;
  let pulled = false;
  if (imageRef !== undefined) ({ image, pulled } = await inspectOrPull(engine, imageRef, checked, io));
  const plan = planRun(parsed, preset, image, { env, cwd, apiVersion: engine.apiVersion, ...terminalSize(io) });
  for (const note of plan.notes) io.stderr.write(`safedock: ${note}\n`);
  // An image pulled for inspection is not pulled again by --pull always.
  const request = pulled ? { ...plan.request, client: { ...plan.request.client, pull: 'missing' as const } } : plan.request;
  return await runContainer(engine, request, io);
}

/** docker sends the size of its terminal at create whenever its stdout is one, with or without -t. */
function terminalSize(io: RunIO): { consoleSize?: readonly [number, number] } {
  const { rows, columns } = io.stdout;
  return io.stdout.isTTY && rows > 0 && columns > 0 ? { consoleSize: [rows, columns] } : {};
}

/** The image's facts, pulling it first when it is missing and the pull policy allows. */
async function inspectOrPull(engine: Engine, ref: string, request: RunRequest, io: RunIO): Promise<{ image: ImageFacts | undefined; pulled: boolean }> {
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
    if (policy === 'missing' && !request.client.quiet) io.stderr.write(`Unable to find image '${withDefaultTag(ref)}' locally\n`);
    // No container exists yet: an interrupt during the pull ends the run at once (128+signal).
    const interrupts = new InterruptGuard();
    try {
      await pullImage(engine, ref, request, io);
    } finally {
      interrupts.release();
    }
    pulled = true;
    image = await engine.inspectImage(ref);
    if (image === undefined) throw new SafedockError(`the image ${ref} is still missing after the pull`, { code: 'no-such-image' });
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
    const parsed = parseRunArgv([...argv]);
    if (parsed.own.help) {
      environment.io.stdout.write(
        'Usage:  safedock explain [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nShows every setting `safedock run` would apply with the same arguments, where each comes from,\nand which preset values your flags replaced. Takes the options of `safedock run --help`; --json for JSON.\n',
      );
      return 0;
    }
    const preset = await selectPreset(parsed.own.preset, { cwd: environment.cwd, env: environment.env });
    return await dryRun(parsed, preset, environment, 'explain');
  } catch (err) {
    return reportError(err, environment.io.stderr, 'explain');
  }
}

async function dryRun(parsed: ParsedRun, preset: Awaited<ReturnType<typeof resolvePreset>>, { io, env, cwd }: RunEnvironment, view: 'plan' | 'explain' = 'plan'): Promise<number> {
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
    notes.push(`no engine answered (${err instanceof Error ? err.message : String(err)}); planned for API ${apiVersion}`);
  }
  const plan = planRun(parsed, preset, image, { env, cwd, apiVersion, ...terminalSize(io) });
  plan.notes.unshift(...notes);
  io.stdout.write(parsed.own.json ? `${JSON.stringify(planToJson(plan, apiVersion), null, 2)}\n` : planToText(plan, apiVersion, view));
  return 0;
}

/** Prints an error as docker does ("docker: …" then how to get help) and picks the exit code. */
export function reportError(err: unknown, stderr: NodeJS.WritableStream, command: 'run' | 'explain' = 'run'): number {
  if (err instanceof SafedockError) {
    stderr.write(`safedock: ${err.message}\n`);
    const hint = err.hint?.replaceAll("'safedock run --help'", `'safedock ${command} --help'`);
    if (hint) stderr.write(`${hint}\n`);
    const pointsToHelp = hint?.includes('--help') ?? false;
    if (!pointsToHelp && (err instanceof UsageError || err.code === 'engine' || err.code === 'start' || err.code === 'no-such-image')) {
      stderr.write(`\nRun 'safedock ${command} --help' for more information\n`);
    }
    return err.exitCode;
  }
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  stderr.write(`safedock: internal error: ${message}\nPlease report this with the command line that caused it.\n`);
  return EXIT.failure;
}
