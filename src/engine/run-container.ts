import { existsSync, writeFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { EXIT, SafedockError } from '../errors.js';
import { goFsError } from '../grammar/go-fs-error.js';
import type { RunRequest } from '../api/create-body.js';
import {
  ENDING_SIGNALS,
  exitCodeForSignal,
  FORCE_EXIT_AFTER,
  FORCE_EXIT_SIGNALS,
  FORWARDED_SIGNALS,
  processSignals,
  type SignalHub,
} from '../signals.js';
import { demultiplex } from './demux.js';
import type { Engine, PullEvent } from './engine-api.js';
import { EngineError, withDefaultTag } from './engine.js';
import { exitCodeForStartError } from './exit-code.js';
import { renderPullProgress } from './pull-progress.js';

/**
 * Node types process.stdin as a terminal, but redirected from a file it is an fs.ReadStream: isTTY is
 * undefined and there is no unref. The run reads stdin as it is.
 */
type RunStdin = Omit<NodeJS.ReadStream, 'isTTY' | 'unref'> & { readonly isTTY?: boolean; unref?: () => unknown };

export interface RunIO {
  stdin: RunStdin;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** The process's signals; a test passes a fake. */
  signals?: SignalHub;
}

/** What a caller adds to a run. */
export interface RunHooks {
  /** Runs after the create (and the attach), just before the start; its failure removes the container. */
  beforeStart?: (id: string) => Promise<void> | void;
  /** Sees a foreground run's output (safedock's diagnosis reads its tail). */
  observer?: RunObserver;
}

/**
 * Sees a foreground run's output without taking part in it: each piece of the container's output
 * after it was handed to stdout or stderr (with a TTY everything is stdout). It must not throw or
 * keep the pieces it is given (they are views of the engine's buffers); the output and the exit
 * code are the container's whatever it does.
 */
export interface RunObserver {
  output(chunk: Buffer, stream: 'stdout' | 'stderr'): void;
  /** The container's id, once it exists (to read it after the run, unless --rm removed it). */
  created?(id: string): void;
}

/**
 * Creates the container, pulling the image when the policy allows, as `docker run` does:
 * `missing` tries the create first and pulls on "No such image"; `always` pulls first.
 */
export async function createWithPull(
  engine: Engine,
  request: RunRequest,
  io: RunIO,
  guard: InterruptGuard = new InterruptGuard(io.signals),
): Promise<{ id: string; warnings: string[] }> {
  const image = request.body.Image;
  if (request.client.pull === 'always') await pullImage(engine, image, request, io);
  try {
    return await guard.creating(() => engine.create(request));
  } catch (err) {
    // As docker: a missing image, or one of another platform than --platform asks for, is pulled.
    const missing = /no such image|does not match the specified platform/i;
    if (!(err instanceof EngineError) || err.statusCode !== 404 || !missing.test(err.message)) throw err;
    if (request.client.pull === 'never') throw err;
    if (!request.client.quiet) io.stderr.write(`Unable to find image '${withDefaultTag(image)}' locally\n`);
    await pullImage(engine, image, request, io);
    return guard.creating(() => engine.create(request));
  }
}

/** Node types isTTY as boolean, but a stream that is not a terminal leaves it undefined. */
function isTerminal(stream: { readonly isTTY?: boolean }): boolean {
  return stream.isTTY === true;
}

/** What a pull needs of a run: the platform, and whether to show progress. */
export type PullRequest = Pick<RunRequest, 'platform'> & { client: { quiet: boolean } };

export async function pullImage(engine: Engine, image: string, request: PullRequest, io: RunIO): Promise<void> {
  const show = !request.client.quiet;
  const progress = show ? renderPullProgress(io.stderr, isTerminal(io.stderr)) : undefined;
  try {
    await engine.pull(image, request.platform, (event: PullEvent) => progress?.update(event));
  } finally {
    progress?.done();
  }
}

/**
 * Runs a container the way `docker run` does and resolves with the exit code to use.
 * Any failure after the create removes the container: nothing is left behind. An observer sees
 * the output of a foreground run (safedock's diagnosis reads its tail).
 */
export async function runContainer(
  engine: Engine,
  request: RunRequest,
  io: RunIO,
  hooks: RunHooks = {},
): Promise<number> {
  const { client } = request;
  if (client.cidfile !== undefined && existsSync(client.cidfile)) {
    throw new SafedockError(
      `container ID file found, make sure the other container isn't running or delete ${client.cidfile}`,
      {
        code: 'cidfile-exists',
      },
    );
  }
  // Until the container runs, an interrupt must not leave a created container behind.
  const interrupts = new InterruptGuard(io.signals);
  let id: string;
  let warnings: string[];
  try {
    ({ id, warnings } = await createWithPull(engine, request, io, interrupts));
  } catch (err) {
    interrupts.release();
    throw err;
  }
  for (const warning of warnings) io.stderr.write(`WARNING: ${warning}\n`);
  try {
    if (!client.detach) hooks.observer?.created?.(id);
  } catch {
    // An observer's failure is its own: the run goes on.
  }

  const cleanup = new Cleanup(engine, id);
  interrupts.onInterrupt(() => cleanup.run());
  try {
    if (client.cidfile !== undefined) writeCidFile(client.cidfile, id);
    if (client.detach) {
      await hooks.beforeStart?.(id);
      await startOrFail(engine, id);
      interrupts.release();
      io.stdout.write(`${id}\n`);
      cleanup.keep();
      return 0;
    }
    return await attachAndRun(engine, request, id, io, { cleanup, interrupts, ...hooks });
  } catch (err) {
    interrupts.release();
    await cleanup.run();
    throw err;
  }
}

/**
 * The container's id into --cidfile, or docker's error for a file it cannot create: its status
 * is docker's too (127 for a missing folder: docker reads "no such file or directory" as a
 * command not found).
 */
function writeCidFile(path: string, id: string): void {
  try {
    writeFileSync(path, id, { flag: 'wx' });
  } catch (err) {
    const why = goFsError(err, path);
    throw new SafedockError(`failed to create the container ID file: ${why}`, {
      code: 'cidfile',
      exitCode: why.includes('no such file or directory') ? EXIT.notFound : EXIT.failure,
    });
  }
}

async function attachAndRun(
  engine: Engine,
  request: RunRequest,
  id: string,
  io: RunIO,
  { cleanup, interrupts, beforeStart, observer }: RunHooks & { cleanup: Cleanup; interrupts: InterruptGuard },
): Promise<number> {
  const { body, client } = request;
  const tty = body.Tty;
  const wantStdin = body.AttachStdin && body.OpenStdin;
  const attached = body.AttachStdin || body.AttachStdout || body.AttachStderr;

  let stream: Duplex | undefined;
  let outputDone: Promise<void> = Promise.resolve();
  if (attached) {
    stream = await attachOrFail(engine, id, body, client.detachKeys);
    outputDone = pipeOutput(stream, tty, io, observer);
  }

  const { exited } = await engine.registerWait(id, body.HostConfig.AutoRemove ? 'removed' : 'next-exit');
  const restoreTerminal = tty && wantStdin ? enterRawMode(io) : () => undefined;
  let stopForwarding: () => void = () => undefined;
  interrupts.starting((signal) =>
    engine.kill(id, signal).then(
      () => true,
      () => false,
    ),
  );
  const stdoutBroken = watchWrites(io.stdout);
  try {
    try {
      await beforeStart?.(id);
      await startOrFail(engine, id);
    } catch (err) {
      stream?.destroy();
      throw err;
    }
    // A started container is the user's: a later failure of safedock never removes it.
    cleanup.keep();
    // From here on signals belong to the container (docker's --sig-proxy).
    interrupts.release();
    const hub = io.signals ?? processSignals;
    const stopForcing = forceExitOnThird(hub, io.stderr);
    const stopProxy = client.sigProxy ? forwardSignals(engine, id, hub) : () => undefined;
    stopForwarding = () => {
      stopForcing();
      stopProxy();
    };
    if (tty && io.stdout.isTTY) keepSizeInSync(engine, id, io);
    if (stream && wantStdin) pipeStdin(io.stdin, stream);

    // The attach ends when the container exits, or when the user detached with the detach
    // keys (Ctrl-P Ctrl-Q by default): then the container runs on, and so does docker's.
    if (tty && wantStdin) {
      const first = await Promise.race([
        exited.then(() => 'exited' as const),
        outputDone.then(() => 'ended' as const),
        stdoutBroken.failed.then(() => 'broken' as const),
      ]);
      if (first === 'broken') return brokenPipe(stream, io, await stdoutBroken.failed);
      const settled =
        first === 'exited' || (await Promise.race([exited.then(() => true), delay(300).then(() => false)]));
      if (!settled && (await engine.isRunning(id))) {
        cleanup.keep();
        return 0;
      }
    }
    const ended = await Promise.race([exited, stdoutBroken.failed]);
    if (ended instanceof Error) return brokenPipe(stream, io, ended);
    await Promise.race([outputDone, delay(2000), stdoutBroken.failed]);
    cleanup.keep();
    if (ended.Error?.Message) io.stderr.write(`safedock: ${ended.Error.Message}\n`);
    return ended.StatusCode;
  } finally {
    stdoutBroken.stop();
    stopForwarding();
    restoreTerminal();
    // process.stdin is created on first use: a run that never read it leaves it alone.
    if (wantStdin) {
      io.stdin.pause();
      io.stdin.unref?.();
    }
  }
}

/**
 * Listens for a failed write to stdout (the reader of a pipe went away: EPIPE) while the
 * container's output is copied there. Listening also keeps the process-wide handler (bin/run.js:
 * end silently, as a program killed by SIGPIPE) from acting on it: docker run says what happened.
 */
function watchWrites(stdout: NodeJS.WriteStream): { failed: Promise<Error>; stop(): void } {
  let onError: (err: Error) => void = () => undefined;
  const failed = new Promise<Error>((resolve) => {
    onError = resolve;
  });
  stdout.on('error', onError);
  return { failed, stop: () => stdout.off('error', onError) };
}

/**
 * What docker run does when its stdout pipe breaks: it stops copying the output, prints one line
 * (`write /dev/stdout: broken pipe`) and exits 1, leaving the container as it is: still running,
 * and removed by the engine at its exit when --rm was given.
 */
function brokenPipe(stream: Duplex | undefined, io: RunIO, err: Error): number {
  stream?.destroy();
  const code = (err as NodeJS.ErrnoException).code;
  io.stderr.write(`safedock: write /dev/stdout: ${code === 'EPIPE' ? 'broken pipe' : err.message}\n`);
  return 1;
}

function pipeOutput(stream: Duplex, tty: boolean, io: RunIO, observer: RunObserver | undefined): Promise<void> {
  // An observer's failure is its own: the container's output goes on.
  const observe = (chunk: Buffer, to: 'stdout' | 'stderr'): void => {
    try {
      observer?.output(chunk, to);
    } catch {
      observer = undefined;
    }
  };
  return new Promise((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', () => resolve());
    if (tty) {
      stream.on('data', (chunk: Buffer) => {
        if (!io.stdout.write(chunk)) {
          stream.pause();
          io.stdout.once('drain', () => stream.resume());
        }
        observe(chunk, 'stdout');
      });
    } else {
      demultiplex(stream, io.stdout, io.stderr, observe);
    }
  });
}

/** Starts the container; a failure carries docker's exit code for it (126, 127 or 125). */
async function startOrFail(engine: Engine, id: string): Promise<void> {
  try {
    await engine.start(id);
  } catch (err) {
    throw startError(err);
  }
}

function startError(err: unknown): SafedockError {
  const message = err instanceof Error ? err.message : String(err);
  return new SafedockError(message, { code: 'start', exitCode: exitCodeForStartError(message), cause: err });
}

/**
 * Attaches to the container. Podman prepares the container's process when it attaches, so a
 * command that cannot run fails here (an OCI runtime error) rather than at the start: that failure
 * carries docker's exit code for it too (127 not found, 126 cannot run).
 */
async function attachOrFail(
  engine: Engine,
  id: string,
  body: RunRequest['body'],
  detachKeys: string | undefined,
): Promise<Duplex> {
  try {
    return await engine.attach(
      id,
      { stdin: body.AttachStdin, stdout: body.AttachStdout, stderr: body.AttachStderr },
      detachKeys,
    );
  } catch (err) {
    throw err instanceof Error && /\bOCI\b/.test(err.message) ? startError(err) : err;
  }
}

/** Copies stdin to the container and half-closes the stream at EOF so the process sees it. */
function pipeStdin(stdin: RunStdin, stream: Duplex): void {
  stdin.on('data', (chunk: Buffer) => {
    if (!stream.write(chunk)) {
      stdin.pause();
      stream.once('drain', () => stdin.resume());
    }
  });
  stdin.on('end', () => stream.end());
  stdin.on('error', () => stream.end());
  stdin.resume();
}

function enterRawMode(io: RunIO): () => void {
  if (!io.stdin.isTTY) return () => undefined;
  io.stdin.setRawMode(true);
  const restore = (): void => {
    if (io.stdin.isTTY) io.stdin.setRawMode(false);
  };
  // Also when an interrupt ends the process before the run's own cleanup.
  process.once('exit', restore);
  return () => {
    process.off('exit', restore);
    restore();
  };
}

/**
 * Sends the terminal's size now and after each change. Requests go one at a time and always
 * carry the latest size: two in flight at once could reach the engine in either order.
 */
function keepSizeInSync(engine: Engine, id: string, io: RunIO): void {
  // Each change bumps `wanted`; the one sender loops until the size it last sent is the latest asked for.
  let wanted = 0;
  let sending = false;
  const send = async (): Promise<void> => {
    wanted++;
    if (sending) return;
    sending = true;
    let sent = -1;
    while (sent !== wanted) {
      sent = wanted;
      const { rows, columns } = io.stdout;
      if (rows && columns) await engine.resize(id, rows, columns).catch(() => undefined);
    }
    sending = false;
  };
  void send();
  io.stdout.on('resize', () => void send());
}

function forwardSignals(engine: Engine, id: string, signals: SignalHub): () => void {
  return signals.on(FORWARDED_SIGNALS, (signal) => {
    engine.kill(id, signal).catch(() => undefined);
  });
}

/**
 * While the container runs, docker's client counts SIGINT and SIGTERM (passed on or not): the
 * third ends the client at once, exit 1, leaving the container as it is. Without --sig-proxy the
 * first two are ignored, as docker ignores them.
 */
function forceExitOnThird(signals: SignalHub, stderr: NodeJS.WritableStream): () => void {
  let count = 0;
  return signals.on(FORCE_EXIT_SIGNALS, () => {
    if (++count < FORCE_EXIT_AFTER) return;
    stderr.write(`safedock: got ${FORCE_EXIT_AFTER} SIGTERM/SIGINTs, forcefully exiting\n`);
    signals.exit(1);
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Catches SIGINT, SIGTERM and SIGHUP until the container runs. With no container yet the
 * process exits at once; while a create request is on its way the interrupt waits for its
 * answer; once a container exists, the cleanup (removing it) runs first. The exit code is
 * 128 + the signal number, as a shell reports it.
 */
export class InterruptGuard {
  private cleanup: (() => Promise<void>) | undefined;
  private forward: ((signal: NodeJS.Signals) => Promise<boolean>) | undefined;
  private inFlight = 0;
  private pending: NodeJS.Signals | undefined;
  private readonly stopListening: () => void;
  private released = false;

  constructor(private readonly signals: SignalHub = processSignals) {
    this.stopListening = signals.on(ENDING_SIGNALS, (signal) => {
      if (this.forward) void this.forward(signal).then((delivered) => (delivered ? undefined : this.exit(signal)));
      else if (this.cleanup || this.inFlight === 0) void this.exit(signal);
      else this.pending = signal;
    });
  }

  /**
   * While the start request is on its way the container may already run (its output can arrive
   * first): an interrupt is then sent to it, and only when it is not running yet does the
   * cleanup run.
   */
  starting(deliver: (signal: NodeJS.Signals) => Promise<boolean>): void {
    this.forward = deliver;
  }

  /** Runs a create request; an interrupt meanwhile is handled once it has answered. */
  async creating<T>(create: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await create();
    } catch (err) {
      // Nothing was created: an interrupt that waited for this answer ends the run now.
      if (this.pending) void this.exit(this.pending);
      throw err;
    } finally {
      this.inFlight--;
    }
  }

  onInterrupt(cleanup: () => Promise<void>): void {
    this.cleanup = cleanup;
    if (this.pending) void this.exit(this.pending);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.stopListening();
  }

  private async exit(signal: NodeJS.Signals): Promise<void> {
    this.release();
    await this.cleanup?.().catch(() => undefined);
    this.signals.exit(exitCodeForSignal(signal));
  }
}

/** Removes the container unless told it is in the hands of its user. */
class Cleanup {
  private kept = false;
  constructor(
    private readonly engine: Engine,
    private readonly id: string,
  ) {}
  keep(): void {
    this.kept = true;
  }
  async run(): Promise<void> {
    if (this.kept) return;
    await this.engine.remove(this.id).catch(() => undefined);
  }
}
