/**
 * The trial runner on the engine: each trial is `safedock run -d` in-process (the run command's
 * own main, handed in as `runCommand`, so a trial runs exactly as a run would, preset, policy and
 * all), followed by engine reads of the container (inspect, logs, diff, archive). Containers carry
 * a label naming this learn session; the one that exists at a time is removed by remove(), or by
 * the interrupt handler (Ctrl-C).
 */
import { PassThrough } from 'node:stream';
import type { RunEnvironment } from '../run/run-environment.js';
import type { ContainerInspect, Engine } from '../engine/engine.js';
import { readContainerAccounts } from '../engine/facts.js';
import { NO_IMAGE_ACCOUNTS } from '../policy/image-accounts.js';
import { changesFromApi } from './docker-diff.js';
import { tryProbe, type Probe, probeText } from './probe.js';
import { TarLister, type TarEntry } from './tar-entries.js';
import type { Trial, TrialOutcome, TrialRunner } from './trial.js';

/** How many lines of a trial's output are read. */
export const OUTPUT_TAIL = 200;
/** A folder listing stops after this many bytes of archive (a data folder may be large). */
const LIST_LIMIT = 64 << 20;

/** `safedock run` with these arguments, in-process: its exit code (src/cli/run-main.ts runMain). */
export type RunCommand = (argv: readonly string[], environment: RunEnvironment) => Promise<number>;

export interface EngineTrialOptions {
  engine: Engine;
  /** The run command itself, given by the command that learns: a trial is a real run. */
  runCommand: RunCommand;
  environment: Pick<RunEnvironment, 'env' | 'cwd'>;
  /** The workload's docker options (without those learn sets), the image and its command. */
  options: readonly string[];
  image: string;
  command: readonly string[];
  /** The base preset's name, given to every trial with --preset. */
  preset: string;
  /** Labels every trial container carries (the session's, and the user's own --label values are in options). */
  session: string;
  probe: Probe | undefined;
  settleSeconds: number;
  /** Trial volume names, removed with each trial. */
  volumes: () => readonly string[];
}

export class EngineTrials implements TrialRunner {
  private current: string | undefined;
  constructor(private readonly o: EngineTrialOptions) {}

  /** Removes the container of the trial in progress, if any (Ctrl-C), and the trial volumes. */
  async abort(): Promise<void> {
    const id = this.current;
    this.current = undefined;
    if (id !== undefined) await this.o.engine.remove(id).catch(() => undefined);
    await this.removeVolumes();
  }

  async run(flags: readonly string[]): Promise<Trial> {
    const { engine, probe } = this.o;
    const publish = probe === undefined ? [] : ['--publish', `127.0.0.1::${String(probe.port)}`];
    const argv = [
      '--detach',
      '--label',
      `safedock.learn=${this.o.session}`,
      '--preset',
      this.o.preset,
      '--policy',
      'warn',
      ...this.o.options,
      ...publish,
      ...flags,
      this.o.image,
      ...this.o.command,
    ];
    const out = capture();
    const err = capture();
    const code = await this.o.runCommand(argv, {
      io: { stdin: process.stdin, stdout: out.stream, stderr: err.stream },
      env: { ...this.o.environment.env, SAFEDOCK_PRESET: '' },
      cwd: this.o.environment.cwd,
    });
    const id = /^[0-9a-f]{64}$/m.exec(out.text())?.[0];
    if (code !== 0 || id === undefined) {
      const outcome: TrialOutcome = {
        works: false,
        exitCode: code,
        summary: `did not start (safedock run exited ${String(code)})`,
        output: safedockLines(err.text()),
        changes: [],
      };
      await this.removeVolumes();
      return this.noContainer(outcome);
    }
    this.current = id;
    let outcome: TrialOutcome;
    try {
      outcome = await this.watch(id);
    } catch (err) {
      await this.abort();
      throw err;
    }
    return {
      outcome,
      list: (path, options) => this.list(id, path, options?.firstOnly ?? false),
      accounts: () => readContainerAccounts(this.o.engine, id).catch(() => NO_IMAGE_ACCOUNTS),
      remove: async () => {
        await engine.remove(id);
        if (this.current === id) this.current = undefined;
        await this.removeVolumes();
      },
    };
  }

  private async watch(id: string): Promise<TrialOutcome> {
    const { engine, probe, settleSeconds } = this.o;
    const deadline = Date.now() + settleSeconds * 1000;
    let answer: string | undefined;
    let target: { host: string; port: number } | undefined;
    let state = await engine.inspectContainer(id);
    for (;;) {
      if (state?.State?.Running !== true) break;
      if (probe !== undefined) {
        target ??= probeTarget(state, probe, engine.target.kind === 'unix');
        if (target !== undefined) answer = await tryProbe(probe, target.host, target.port);
        // The answer counts only from a container that still runs (a proxy may answer for a dead one).
        if (answer !== undefined) {
          state = await engine.inspectContainer(id);
          if (state?.State?.Running !== true) answer = undefined;
          break;
        }
      }
      if (Date.now() >= deadline) break;
      await delay(250);
      state = await engine.inspectContainer(id);
    }
    const running = state?.State?.Running === true;
    if (running) await engine.kill(id, 'SIGKILL').catch(() => undefined);
    const exitCode = running ? undefined : state?.State?.ExitCode;
    const [output, changes] = await Promise.all([
      engine.logs(id, OUTPUT_TAIL, state?.Config?.Tty === true).catch(() => ''),
      engine.changes(id).then(changesFromApi),
    ]);
    let works: boolean;
    let summary: string;
    if (probe !== undefined) {
      works = answer !== undefined;
      summary = works
        ? `works: ${probeText(probe)} ${answer ?? ''}`
        : `${probeText(probe)} did not answer within ${String(settleSeconds)} s${running ? '' : `; exited ${String(exitCode)}`}`;
    } else {
      works = running || exitCode === 0;
      summary = running
        ? `works: still running after ${String(settleSeconds)} s`
        : exitCode === 0
          ? 'works: exited 0'
          : `exited ${String(exitCode)}`;
    }
    if (state?.State?.OOMKilled === true) summary += ' (killed: out of memory)';
    return { works, exitCode, summary, output, changes };
  }

  private async list(id: string, path: string, firstOnly: boolean): Promise<TarEntry[] | undefined> {
    const stream = await this.o.engine.archive(id, path);
    if (stream === undefined) return undefined;
    const lister = new TarLister();
    let bytes = 0;
    for await (const chunk of stream) {
      const buffer = chunk as Buffer;
      bytes += buffer.length;
      lister.push(buffer);
      if (lister.done || bytes > LIST_LIMIT || (firstOnly && lister.entries.length > 0)) break;
    }
    stream.destroy();
    return lister.entries;
  }

  private noContainer(outcome: TrialOutcome): Trial {
    return {
      outcome,
      list: () => Promise.resolve(undefined),
      accounts: () => Promise.resolve(NO_IMAGE_ACCOUNTS),
      remove: () => Promise.resolve(),
    };
  }

  private async removeVolumes(): Promise<void> {
    for (const name of this.o.volumes()) await this.o.engine.removeVolume(name).catch(() => undefined);
  }
}

/**
 * Where to probe: the container's own address when the engine is on this machine (the engine's
 * port proxy accepts connections even when nothing listens behind it), else the published port.
 */
function probeTarget(
  state: ContainerInspect,
  probe: Probe,
  local: boolean,
): { host: string; port: number } | undefined {
  // The default bridge sets IPAddress; a user-defined network (strict's isolated one) only Networks.
  const ip =
    state.NetworkSettings?.IPAddress ||
    Object.values(state.NetworkSettings?.Networks ?? {}).find((n) => (n.IPAddress ?? '') !== '')?.IPAddress ||
    '';
  if (local && ip !== '') return { host: ip, port: probe.port };
  const hostPort = Number(state.NetworkSettings?.Ports?.[`${String(probe.port)}/tcp`]?.[0]?.HostPort ?? NaN);
  return Number.isFinite(hostPort) ? { host: '127.0.0.1', port: hostPort } : undefined;
}

/** safedock's own error lines of a failed trial (the policy's report is left out). */
function safedockLines(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^\s*(SD\d{3}|policy|accepted|note)\b/i.test(l))
    .join('\n');
}

interface Captured {
  stream: NodeJS.WriteStream;
  text: () => string;
}

/** A stream standing in for stdout or stderr, keeping what was written (not a terminal). */
function capture(): Captured {
  const chunks: Buffer[] = [];
  const pass = new PassThrough();
  pass.on('data', (c: Buffer) => chunks.push(c));
  const stream = Object.assign(pass, { isTTY: false, columns: 0, rows: 0 }) as unknown as NodeJS.WriteStream;
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
