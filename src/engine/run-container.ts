import { existsSync, writeFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import type { Duplex } from 'node:stream';
import { SafedockError } from '../errors.js';
import type { RunRequest } from '../api/create-body.js';
import { demultiplex } from './demux.js';
import { EngineError, withDefaultTag, type Engine, type PullEvent } from './engine.js';
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
}

/** Signals forwarded to the container, as docker's --sig-proxy does (all but the ones that cannot or should not be). */
const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGQUIT',
  'SIGUSR1',
  'SIGUSR2',
  'SIGALRM',
  'SIGCONT',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
  'SIGVTALRM',
  'SIGPROF',
  'SIGXCPU',
  'SIGXFSZ',
];

/**
 * Creates the container, pulling the image when the policy allows, as `docker run` does:
 * `missing` tries the create first and pulls on "No such image"; `always` pulls first.
 */
export async function createWithPull(
  engine: Engine,
  request: RunRequest,
  io: RunIO,
  guard: InterruptGuard = new InterruptGuard(),
): Promise<{ id: string; warnings: string[] }> {
  const image = request.body.Image;
  if (request.client.pull === 'always') await pullImage(engine, image, request, io);
  try {
    return await guard.creating(() => engine.create(request));
  } catch (err) {
    if (!(err instanceof EngineError) || err.statusCode !== 404 || !/no such image/i.test(err.message)) throw err;
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
 * Any failure after the create removes the container: nothing is left behind.
 */
export async function runContainer(engine: Engine, request: RunRequest, io: RunIO): Promise<number> {
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
  const interrupts = new InterruptGuard();
  let id: string;
  let warnings: string[];
  try {
    ({ id, warnings } = await createWithPull(engine, request, io, interrupts));
  } catch (err) {
    interrupts.release();
    throw err;
  }
  for (const warning of warnings) io.stderr.write(`WARNING: ${warning}\n`);

  const cleanup = new Cleanup(engine, id);
  interrupts.onInterrupt(() => cleanup.run());
  try {
    if (client.cidfile !== undefined) writeFileSync(client.cidfile, id, { flag: 'wx' });
    if (client.detach) {
      await startOrFail(engine, id);
      interrupts.release();
      io.stdout.write(`${id}\n`);
      cleanup.keep();
      return 0;
    }
    return await attachAndRun(engine, request, id, io, cleanup, interrupts);
  } catch (err) {
    interrupts.release();
    await cleanup.run();
    throw err;
  }
}

async function attachAndRun(
  engine: Engine,
  request: RunRequest,
  id: string,
  io: RunIO,
  cleanup: Cleanup,
  interrupts: InterruptGuard,
): Promise<number> {
  const { body, client } = request;
  const tty = body.Tty;
  const wantStdin = body.AttachStdin && body.OpenStdin;
  const attached = body.AttachStdin || body.AttachStdout || body.AttachStderr;

  let stream: Duplex | undefined;
  let outputDone: Promise<void> = Promise.resolve();
  if (attached) {
    stream = await engine.attach(
      id,
      { stdin: body.AttachStdin, stdout: body.AttachStdout, stderr: body.AttachStderr },
      client.detachKeys,
    );
    outputDone = pipeOutput(stream, tty, io);
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
  try {
    try {
      await startOrFail(engine, id);
    } catch (err) {
      stream?.destroy();
      throw err;
    }
    // A started container is the user's: a later failure of safedock never removes it.
    cleanup.keep();
    // From here on signals belong to the container (docker's --sig-proxy).
    interrupts.release();
    if (client.sigProxy) stopForwarding = forwardSignals(engine, id);
    if (tty && io.stdout.isTTY) keepSizeInSync(engine, id, io);
    if (stream && wantStdin) pipeStdin(io.stdin, stream);

    // The attach ends when the container exits, or when the user detached with the detach
    // keys (Ctrl-P Ctrl-Q by default): then the container runs on, and so does docker's.
    if (tty && wantStdin) {
      const first = await Promise.race([exited.then(() => 'exited' as const), outputDone.then(() => 'ended' as const)]);
      const settled =
        first === 'exited' || (await Promise.race([exited.then(() => true), delay(300).then(() => false)]));
      if (!settled && (await engine.isRunning(id))) {
        cleanup.keep();
        return 0;
      }
    }
    const status = await exited;
    await Promise.race([outputDone, delay(2000)]);
    cleanup.keep();
    if (status.Error?.Message) io.stderr.write(`safedock: ${status.Error.Message}\n`);
    return status.StatusCode;
  } finally {
    stopForwarding();
    restoreTerminal();
    // process.stdin is created on first use: a run that never read it leaves it alone.
    if (wantStdin) {
      io.stdin.pause();
      io.stdin.unref?.();
    }
  }
}

function pipeOutput(stream: Duplex, tty: boolean, io: RunIO): Promise<void> {
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
      });
    } else {
      demultiplex(stream, io.stdout, io.stderr);
    }
  });
}

/** Starts the container; a failure carries docker's exit code for it (126, 127 or 125). */
async function startOrFail(engine: Engine, id: string): Promise<void> {
  try {
    await engine.start(id);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new SafedockError(message, { code: 'start', exitCode: exitCodeForStartError(message), cause: err });
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

function forwardSignals(engine: Engine, id: string): () => void {
  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const signal of FORWARDED_SIGNALS) {
    const handler = (): void => {
      engine.kill(id, signal).catch(() => undefined);
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

const INTERRUPTS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Node types this table as holding every signal name, but a name the platform lacks reads undefined. */
const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = osConstants.signals;

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
  private readonly handler = (signal: NodeJS.Signals): void => {
    if (this.forward) void this.forward(signal).then((delivered) => (delivered ? undefined : this.exit(signal)));
    else if (this.cleanup || this.inFlight === 0) void this.exit(signal);
    else this.pending = signal;
  };

  /**
   * While the start request is on its way the container may already run (its output can arrive
   * first): an interrupt is then sent to it, and only when it is not running yet does the
   * cleanup run.
   */
  starting(deliver: (signal: NodeJS.Signals) => Promise<boolean>): void {
    this.forward = deliver;
  }

  constructor() {
    for (const signal of INTERRUPTS) process.on(signal, this.handler);
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
    for (const signal of INTERRUPTS) process.off(signal, this.handler);
  }

  private async exit(signal: NodeJS.Signals): Promise<void> {
    this.release();
    await this.cleanup?.().catch(() => undefined);
    process.exit(128 + (SIGNAL_NUMBERS[signal] ?? 1));
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
