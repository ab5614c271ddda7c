/**
 * A scripted engine, streams and signal hub for driving the run lifecycle (src/engine/run-container.ts)
 * without a daemon: every call is recorded in order, and each answer can be replaced per test.
 */
import { Duplex, PassThrough } from 'node:stream';
import type {
  ContainerInspect,
  Engine,
  EngineFacts,
  ImageFacts,
  InfoDocument,
  VersionDocument,
  WaitCondition,
  WaitResult,
  NetworkCreateSpec,
  NetworkSummary,
} from '../../../src/engine/engine-api.js';
import type { EngineSelection } from '../../../src/engine/select.js';
import { targetOf } from '../../../src/engine/target.js';
import type { CreateBody, RunRequest } from '../../../src/api/create-body.js';
import type { SignalHub } from '../../../src/signals.js';

export const ID = 'c0ffee';

/** The parts of a create body the lifecycle reads; the rest is docker's zero values. */
export function request(
  body: Partial<Pick<CreateBody, 'Tty' | 'AttachStdin' | 'AttachStdout' | 'AttachStderr' | 'OpenStdin'>> & {
    AutoRemove?: boolean;
  } = {},
  client: Partial<RunRequest['client']> = {},
): RunRequest {
  const { AutoRemove = false, ...config } = body;
  return {
    body: {
      Image: 'img',
      Tty: false,
      AttachStdin: false,
      AttachStdout: true,
      AttachStderr: true,
      OpenStdin: false,
      ...config,
      HostConfig: { AutoRemove } as CreateBody['HostConfig'],
    } as CreateBody,
    client: { detach: false, pull: 'missing', sigProxy: true, quiet: true, ...client },
  };
}

/** One frame of the engine's multiplexed stream (1 stdout, 2 stderr). */
export function frame(type: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

export class FakeEngine implements Engine {
  readonly calls: string[] = [];
  readonly target = targetOf('unix:///fake.sock', undefined);
  readonly selection: EngineSelection = {
    context: 'default',
    source: 'default',
    target: this.target,
    configFile: '/nowhere/config.json',
    debug: false,
    warnings: [],
  };
  readonly facts: EngineFacts = {
    kind: 'docker',
    engineVersion: '20.10.24',
    apiVersion: '1.41',
    rootless: false,
    cgroupVersion: '1',
    cgroupDriver: 'cgroupfs',
    socketPath: '/fake.sock',
  };
  readonly apiVersion = '1.41';
  readonly engineVersion = '20.10.24';

  /** The attach stream: the test writes frames to `output` and reads what the run sent up from `input`. */
  readonly output = new PassThrough();
  readonly input = new PassThrough();
  private resolveExit: (result: WaitResult) => void = () => undefined;
  private readonly exited = new Promise<WaitResult>((resolve) => {
    this.resolveExit = resolve;
  });
  running = false;
  createError: Error | undefined;
  startError: Error | undefined;
  attachError: Error | undefined;
  warnings: string[] = [];
  /** Called when the run sends start; by default the container starts running. */
  onStart: () => void = () => undefined;
  /** Lets a test hold a pull back. */
  pullGate: Promise<void> = Promise.resolve();
  /** Lets a test hold the create answer back. */
  createGate: Promise<void> = Promise.resolve();

  /** The container exits with `code`: the wait answers and the output stream ends. */
  exit(code: number): void {
    this.running = false;
    this.resolveExit({ StatusCode: code, Error: null });
    this.output.end();
  }

  inspectImage(ref: string): Promise<ImageFacts | undefined> {
    this.calls.push(`inspectImage ${ref}`);
    return Promise.resolve(undefined);
  }
  async pull(ref: string): Promise<void> {
    this.calls.push(`pull ${ref}`);
    await this.pullGate;
  }
  async create(): Promise<{ id: string; warnings: string[] }> {
    this.calls.push('create');
    await this.createGate;
    if (this.createError) throw this.createError;
    return { id: ID, warnings: this.warnings };
  }
  attach(
    id: string,
    streams: { stdin: boolean; stdout: boolean; stderr: boolean },
    detachKeys?: string,
  ): Promise<Duplex> {
    this.calls.push(
      `attach ${id} stdin=${String(streams.stdin)}${detachKeys === undefined ? '' : ` detachKeys=${detachKeys}`}`,
    );
    if (this.attachError) return Promise.reject(this.attachError);
    const input = this.input;
    // Reads come from `output`, writes go to `input`.
    const stream = new Duplex({
      read() {
        // Pushed from `output` below.
      },
      write(chunk: Buffer, _encoding, callback) {
        input.write(chunk);
        callback();
      },
      final(callback) {
        input.end();
        callback();
      },
    });
    this.output.on('data', (c: Buffer) => stream.push(c));
    this.output.on('end', () => stream.push(null));
    return Promise.resolve(stream);
  }
  registerWait(id: string, condition: WaitCondition): Promise<{ exited: Promise<WaitResult> }> {
    this.calls.push(`wait ${id} ${condition}`);
    return Promise.resolve({ exited: this.exited });
  }
  start(id: string): Promise<void> {
    this.calls.push(`start ${id}`);
    if (this.startError) return Promise.reject(this.startError);
    this.running = true;
    this.onStart();
    return Promise.resolve();
  }
  resize(id: string, rows: number, columns: number): Promise<void> {
    this.calls.push(`resize ${id} ${rows}x${columns}`);
    return Promise.resolve();
  }
  isRunning(id: string): Promise<boolean> {
    this.calls.push(`isRunning ${id}`);
    return Promise.resolve(this.running);
  }
  kill(id: string, signal: string): Promise<void> {
    this.calls.push(`kill ${id} ${signal}`);
    return this.running ? Promise.resolve() : Promise.reject(new Error('container not running'));
  }
  remove(id: string): Promise<void> {
    this.calls.push(`remove ${id}`);
    return Promise.resolve();
  }
  inspectContainer(id: string): Promise<ContainerInspect | undefined> {
    this.calls.push(`inspectContainer ${id}`);
    return Promise.resolve(undefined);
  }
  inspectVolume(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
  listContainers(): Promise<[]> {
    return Promise.resolve([]);
  }
  info(): Promise<InfoDocument> {
    return Promise.resolve({});
  }
  version(): Promise<VersionDocument> {
    return Promise.reject(new Error('not scripted'));
  }
  changes(): Promise<Array<{ Path: string; Kind: number }>> {
    return Promise.resolve([]);
  }
  logs(): Promise<string> {
    return Promise.resolve('');
  }
  archive(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
  imageConfig(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
  removeVolume(name: string): Promise<void> {
    this.calls.push(`removeVolume ${name}`);
    return Promise.resolve();
  }

  /** Networks, as the engine would list them; a test may add some (or several of one name). */
  readonly networks: NetworkSummary[] = [];
  networksNamed(name: string): Promise<NetworkSummary[]> {
    this.calls.push(`networksNamed ${name}`);
    return Promise.resolve(this.networks.filter((n) => n.Name === name).map((n) => ({ ...n })));
  }
  createNetwork(spec: NetworkCreateSpec): Promise<'created' | 'exists'> {
    this.calls.push(`createNetwork ${spec.name}`);
    if (this.networks.some((n) => n.Name === spec.name)) return Promise.resolve('exists');
    this.networks.push({
      Id: `net${String(this.networks.length + 1).padStart(61, '0')}`,
      Name: spec.name,
      Created: new Date().toISOString(),
      Driver: spec.driver,
      Options: { ...spec.options },
      Labels: { ...spec.labels },
    });
    return Promise.resolve('created');
  }
  removeNetwork(id: string): Promise<boolean> {
    this.calls.push(`removeNetwork ${id}`);
    const at = this.networks.findIndex((n) => n.Id === id);
    if (at < 0) return Promise.resolve(false);
    this.networks.splice(at, 1);
    return Promise.resolve(true);
  }
}

/** A signal hub the test fires by hand; exit() records the code instead of ending the process. */
export class FakeSignals implements SignalHub {
  private readonly handlers = new Set<{ signals: readonly NodeJS.Signals[]; handler: (s: NodeJS.Signals) => void }>();
  readonly exits: number[] = [];
  on(signals: readonly NodeJS.Signals[], handler: (signal: NodeJS.Signals) => void): () => void {
    const entry = { signals, handler };
    this.handlers.add(entry);
    return () => this.handlers.delete(entry);
  }
  exit(code: number): void {
    this.exits.push(code);
  }
  /** Delivers a signal as the kernel would; returns how many handlers heard it. */
  fire(signal: NodeJS.Signals): number {
    let heard = 0;
    for (const { signals, handler } of [...this.handlers]) {
      if (signals.includes(signal)) {
        heard++;
        handler(signal);
      }
    }
    return heard;
  }
  get listening(): number {
    return this.handlers.size;
  }
}

/** A writable that collects text, and can be told to fail like a pipe whose reader went away. */
export class Sink extends PassThrough {
  text = '';
  isTTY = false;
  rows = 24;
  columns = 80;
  broken = false;
  constructor() {
    super();
    this.on('data', (c: Buffer) => (this.text += c.toString('utf8')));
  }
  override write(chunk: unknown, ...rest: unknown[]): boolean {
    if (this.broken) {
      this.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      return false;
    }
    return super.write(chunk, ...(rest as []));
  }
}

export function io(signals: FakeSignals): {
  stdin: PassThrough & { isTTY?: boolean };
  stdout: Sink;
  stderr: Sink;
  signals: FakeSignals;
} {
  return { stdin: new PassThrough(), stdout: new Sink(), stderr: new Sink(), signals };
}

/** Lets pending promise callbacks and I/O events run. */
export function settle(ms = 5): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
