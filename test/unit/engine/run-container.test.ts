import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/engine/engine.js';
import { OutputTail } from '../../../src/engine/output-tail.js';
import { runContainer, type RunIO } from '../../../src/engine/run-container.js';
import { SafedockError } from '../../../src/errors.js';
import { FakeEngine, FakeSignals, frame, ID, io, request, settle } from './fakes.js';

const asRunIO = (streams: ReturnType<typeof io>): RunIO => streams as unknown as RunIO;

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

describe('runContainer: the order docker run keeps', () => {
  it('attaches and registers the wait before it starts, then returns the exit code', async () => {
    const engine = new FakeEngine();
    engine.onStart = () => {
      engine.output.write(frame(1, 'out\n'));
      engine.output.write(frame(2, 'err\n'));
      setTimeout(() => engine.exit(3), 1);
    };
    const streams = io(new FakeSignals());
    const code = await runContainer(engine, request(), asRunIO(streams));
    expect(code).toBe(3);
    expect(engine.calls).toEqual(['create', `attach ${ID} stdin=false`, `wait ${ID} next-exit`, `start ${ID}`]);
    expect(streams.stdout.text).toBe('out\n');
    expect(streams.stderr.text).toBe('err\n');
  });

  it('--rm waits for the removal, so the container is gone when the run returns', async () => {
    const engine = new FakeEngine();
    engine.onStart = () => setTimeout(() => engine.exit(0), 1);
    await runContainer(engine, request({ AutoRemove: true }), asRunIO(io(new FakeSignals())));
    expect(engine.calls).toContain(`wait ${ID} removed`);
    expect(engine.calls).not.toContain(`remove ${ID}`);
  });

  it('passes the detach keys to the attach', async () => {
    const engine = new FakeEngine();
    engine.onStart = () => setTimeout(() => engine.exit(0), 1);
    await runContainer(engine, request({}, { detachKeys: 'ctrl-x' }), asRunIO(io(new FakeSignals())));
    expect(engine.calls[1]).toBe(`attach ${ID} stdin=false detachKeys=ctrl-x`);
  });

  it('-d starts without attaching or waiting and prints the id', async () => {
    const engine = new FakeEngine();
    const streams = io(new FakeSignals());
    const code = await runContainer(engine, request({}, { detach: true }), asRunIO(streams));
    expect(code).toBe(0);
    expect(engine.calls).toEqual(['create', `start ${ID}`]);
    expect(streams.stdout.text).toBe(`${ID}\n`);
  });

  it('prints the engine’s create warnings', async () => {
    const engine = new FakeEngine();
    engine.warnings = ['Your kernel does not support swap limit capabilities.'];
    engine.onStart = () => setTimeout(() => engine.exit(0), 1);
    const streams = io(new FakeSignals());
    await runContainer(engine, request(), asRunIO(streams));
    expect(streams.stderr.text).toBe('WARNING: Your kernel does not support swap limit capabilities.\n');
  });

  it('copies stdin to the container and half-closes it at EOF', async () => {
    const engine = new FakeEngine();
    const streams = io(new FakeSignals());
    const received: Buffer[] = [];
    engine.input.on('data', (c: Buffer) => received.push(c));
    engine.input.on('end', () => setTimeout(() => engine.exit(0), 1));
    const run = runContainer(engine, request({ AttachStdin: true, OpenStdin: true }), asRunIO(streams));
    await settle();
    streams.stdin.end('hello\n');
    expect(await run).toBe(0);
    expect(Buffer.concat(received).toString()).toBe('hello\n');
  });
});

describe('runContainer: nothing is left behind', () => {
  it('a failed start removes the container and carries docker’s exit code', async () => {
    const engine = new FakeEngine();
    engine.startError = new EngineError(
      'Error response from daemon: failed to create shim task: OCI runtime create failed: exec: "nope": executable file not found in $PATH',
      400,
    );
    const run = runContainer(engine, request(), asRunIO(io(new FakeSignals())));
    await expect(run).rejects.toMatchObject({ code: 'start', exitCode: 127 });
    expect(engine.calls.at(-1)).toBe(`remove ${ID}`);
  });

  it('a failed attach removes the container before anything starts', async () => {
    const engine = new FakeEngine();
    engine.attachError = new EngineError('Error response from daemon: attach failed', 500);
    await expect(runContainer(engine, request(), asRunIO(io(new FakeSignals())))).rejects.toThrow(/attach failed/);
    expect(engine.calls).toEqual(['create', `attach ${ID} stdin=false`, `remove ${ID}`]);
  });

  it('a failed create leaves nothing to remove, and no signal handler behind', async () => {
    const engine = new FakeEngine();
    engine.createError = new EngineError('Error response from daemon: conflict', 409);
    const signals = new FakeSignals();
    await expect(runContainer(engine, request(), asRunIO(io(signals)))).rejects.toThrow(/conflict/);
    expect(engine.calls).toEqual(['create']);
    expect(signals.listening).toBe(0);
  });

  it('--cidfile: written with the id; an existing file is refused before the create', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-cid-'));
    dirs.push(dir);
    const cidfile = join(dir, 'cid');
    const engine = new FakeEngine();
    engine.onStart = () => setTimeout(() => engine.exit(0), 1);
    await runContainer(engine, request({}, { cidfile }), asRunIO(io(new FakeSignals())));
    expect(readFileSync(cidfile, 'utf8')).toBe(ID);

    const again = new FakeEngine();
    await expect(runContainer(again, request({}, { cidfile }), asRunIO(io(new FakeSignals())))).rejects.toThrow(
      `container ID file found, make sure the other container isn't running or delete ${cidfile}`,
    );
    expect(again.calls).toEqual([]);
  });

  it('a cidfile that cannot be written removes the container', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-cid-'));
    dirs.push(dir);
    const engine = new FakeEngine();
    const cidfile = join(dir, 'missing-folder', 'cid');
    const failed = runContainer(engine, request({}, { cidfile }), asRunIO(io(new FakeSignals())));
    // docker's words and status (it reads "no such file or directory" as 127).
    await expect(failed).rejects.toThrow(
      `failed to create the container ID file: open ${cidfile}: no such file or directory`,
    );
    await expect(failed).rejects.toMatchObject({ exitCode: 127 });
    expect(engine.calls).toEqual(['create', `remove ${ID}`]);
    expect(existsSync(cidfile)).toBe(false);
  });

  it('an image of another platform than --platform asks for is pulled, as a missing one is', async () => {
    const engine = new FakeEngine();
    engine.createError = new EngineError(
      'Error response from daemon: image with reference img was found but does not match the specified platform: wanted linux/arm64, actual: linux/amd64',
      404,
    );
    const pulled = engine.pull.bind(engine);
    engine.pull = async (ref: string): Promise<void> => {
      engine.createError = undefined;
      await pulled(ref);
    };
    const terminal = io(new FakeSignals());
    const run = runContainer(engine, request({}, { quiet: false }), asRunIO(terminal));
    await settle();
    engine.exit(0);
    expect(await run).toBe(0);
    expect(engine.calls.slice(0, 3)).toEqual(['create', 'pull img', 'create']);
    expect(terminal.stderr.text).toContain("Unable to find image 'img:latest' locally");
  });
});

describe('runContainer: signals', () => {
  it('Ctrl-C while the create is on its way: waits for it, removes the container, exits 130', async () => {
    const engine = new FakeEngine();
    let answer: () => void = () => undefined;
    engine.createGate = new Promise<void>((resolve) => (answer = resolve));
    const signals = new FakeSignals();
    void runContainer(engine, request(), asRunIO(io(signals))).catch(() => undefined);
    await settle();
    expect(signals.fire('SIGINT')).toBe(1);
    await settle();
    expect(signals.exits).toEqual([]);
    answer();
    await settle();
    expect(engine.calls).toContain(`remove ${ID}`);
    expect(signals.exits).toEqual([130]);
  });

  it('SIGTERM during the pull, before anything was created, exits 143 at once', async () => {
    const engine = new FakeEngine();
    engine.pullGate = new Promise<void>(() => undefined);
    const signals = new FakeSignals();
    const pending = runContainer(engine, request({}, { pull: 'always' }), asRunIO(io(signals)));
    void pending.catch(() => undefined);
    // --pull always pulls before any create: nothing exists yet.
    await settle();
    signals.fire('SIGTERM');
    await settle();
    expect(signals.exits).toEqual([143]);
    expect(engine.calls).toEqual(['pull img']);
  });

  it('once the container runs, signals go to it (sig-proxy), and the handlers go away at its exit', async () => {
    const engine = new FakeEngine();
    const signals = new FakeSignals();
    const run = runContainer(engine, request(), asRunIO(io(signals)));
    await settle();
    // SIGTERM: passed on, and counted (see the third below).
    expect(signals.fire('SIGTERM')).toBe(2);
    expect(signals.fire('SIGUSR1')).toBe(1);
    await settle();
    expect(engine.calls.filter((c) => c.startsWith('kill'))).toEqual([`kill ${ID} SIGTERM`, `kill ${ID} SIGUSR1`]);
    expect(signals.exits).toEqual([]);
    engine.exit(143);
    expect(await run).toBe(143);
    expect(signals.listening).toBe(0);
  });

  it('--sig-proxy=false: signals are not passed on; two interrupts are ignored, the third ends the client', async () => {
    const engine = new FakeEngine();
    const signals = new FakeSignals();
    const terminal = io(signals);
    const run = runContainer(engine, request({}, { sigProxy: false }), asRunIO(terminal));
    await settle();
    expect(signals.fire('SIGUSR1')).toBe(0);
    signals.fire('SIGINT');
    signals.fire('SIGTERM');
    expect(signals.exits).toEqual([]);
    signals.fire('SIGINT');
    expect(signals.exits).toEqual([1]);
    expect(terminal.stderr.text).toContain('safedock: got 3 SIGTERM/SIGINTs, forcefully exiting');
    engine.exit(0);
    await run;
    expect(engine.calls.some((c) => c.startsWith('kill'))).toBe(false);
  });

  it('with --sig-proxy, interrupts go to the container, and the third also ends the client (exit 1)', async () => {
    const engine = new FakeEngine();
    const signals = new FakeSignals();
    const run = runContainer(engine, request(), asRunIO(io(signals)));
    await settle();
    for (const s of ['SIGINT', 'SIGINT', 'SIGINT'] as const) signals.fire(s);
    await settle();
    expect(engine.calls.filter((c) => c.startsWith('kill'))).toHaveLength(3);
    expect(signals.exits).toEqual([1]);
    engine.exit(0);
    await run;
  });

  it('ABRT, IO, PWR and WINCH are passed on, as the docker CLI passes them', async () => {
    const engine = new FakeEngine();
    const signals = new FakeSignals();
    const run = runContainer(engine, request(), asRunIO(io(signals)));
    await settle();
    for (const s of ['SIGABRT', 'SIGIO', 'SIGPWR', 'SIGWINCH'] as const) expect(signals.fire(s)).toBe(1);
    await settle();
    expect(engine.calls.filter((c) => c.startsWith('kill'))).toEqual(
      ['SIGABRT', 'SIGIO', 'SIGPWR', 'SIGWINCH'].map((s) => `kill ${ID} ${s}`),
    );
    engine.exit(0);
    await run;
  });

  it('an interrupt during the start goes to the container when it already runs', async () => {
    const engine = new FakeEngine();
    const signals = new FakeSignals();
    let release: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (release = resolve));
    const start = engine.start.bind(engine);
    engine.start = async (id: string): Promise<void> => {
      await start(id);
      await started;
    };
    const run = runContainer(engine, request(), asRunIO(io(signals)));
    await settle();
    signals.fire('SIGINT');
    await settle();
    expect(engine.calls).toContain(`kill ${ID} SIGINT`);
    expect(signals.exits).toEqual([]);
    release();
    engine.exit(130);
    expect(await run).toBe(130);
  });
});

describe('runContainer: a broken stdout pipe, as docker run', () => {
  it('says so in one line, exits 1, and leaves the container to the engine', async () => {
    const engine = new FakeEngine();
    const streams = io(new FakeSignals());
    engine.onStart = () => {
      streams.stdout.broken = true;
      engine.output.write(frame(1, '1\n2\n'));
    };
    const code = await runContainer(engine, request({ AutoRemove: true }), asRunIO(streams));
    expect(code).toBe(1);
    expect(streams.stderr.text).toBe('safedock: write /dev/stdout: broken pipe\n');
    // Still running: neither killed nor removed (the engine removes it at its exit, as with docker).
    expect(engine.calls.filter((c) => /^(kill|remove)/.test(c))).toEqual([]);
    expect(streams.stdout.listenerCount('error')).toBe(0);
  });

  it('with -t as well', async () => {
    const engine = new FakeEngine();
    const streams = io(new FakeSignals());
    engine.onStart = () => {
      streams.stdout.broken = true;
      engine.output.write('raw tty output\n');
    };
    expect(await runContainer(engine, request({ Tty: true }), asRunIO(streams))).toBe(1);
    expect(streams.stderr.text).toBe('safedock: write /dev/stdout: broken pipe\n');
  });

  it('a start that fails on the connection is a safedock error (125, one line), and removes the container', async () => {
    const engine = new FakeEngine();
    engine.startError = new Error('socket hang up');
    const run = runContainer(engine, request(), asRunIO(io(new FakeSignals())));
    await expect(run).rejects.toBeInstanceOf(SafedockError);
    await expect(run).rejects.toMatchObject({ exitCode: 125, message: 'socket hang up' });
    expect(engine.calls.at(-1)).toBe(`remove ${ID}`);
  });
});

describe('runContainer: detaching with the detach keys', () => {
  it('the attach ends while the container runs on: exit 0, the container kept', async () => {
    const engine = new FakeEngine();
    const streams = io(new FakeSignals());
    engine.onStart = () => setTimeout(() => engine.output.end(), 1);
    const code = await runContainer(
      engine,
      request({ Tty: true, AttachStdin: true, OpenStdin: true }),
      asRunIO(streams),
    );
    expect(code).toBe(0);
    expect(engine.calls).toContain(`isRunning ${ID}`);
    expect(engine.calls.some((c) => /^(kill|remove)/.test(c))).toBe(false);
  });
});

it('a cidfile path that exists as a directory is refused too', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sd-cid-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'x'), '');
  await expect(
    runContainer(new FakeEngine(), request({}, { cidfile: dir }), asRunIO(io(new FakeSignals()))),
  ).rejects.toThrow(/container ID file found/);
});

describe('runContainer: an observer of the output', () => {
  it('sees every piece after it was copied, with its stream; the output and the exit code stay the container’s', async () => {
    const engine = new FakeEngine();
    engine.onStart = () => {
      engine.output.write(frame(1, 'out\n'));
      engine.output.write(frame(2, 'err\n'));
      setTimeout(() => engine.exit(7), 1);
    };
    const streams = io(new FakeSignals());
    const seen: string[] = [];
    const code = await runContainer(engine, request(), asRunIO(streams), {
      observer: {
        created: (id) => seen.push(`created ${id}`),
        output: (chunk, stream) => {
          // Copied first: the terminal already has it when the observer looks.
          seen.push(`${stream}:${chunk.toString()}|${stream === 'stdout' ? streams.stdout.text : streams.stderr.text}`);
        },
      },
    });
    expect(code).toBe(7);
    expect(seen).toEqual([`created ${ID}`, 'stdout:out\n|out\n', 'stderr:err\n|err\n']);
    expect(streams.stdout.text).toBe('out\n');
    expect(streams.stderr.text).toBe('err\n');
  });

  it('with -t everything is stdout', async () => {
    const engine = new FakeEngine();
    engine.onStart = () => {
      engine.output.write('raw\r\n');
      setTimeout(() => engine.exit(0), 1);
    };
    const seen: string[] = [];
    await runContainer(engine, request({ Tty: true }), asRunIO(io(new FakeSignals())), {
      observer: {
        output: (chunk, stream) => seen.push(`${stream}:${chunk.toString()}`),
      },
    });
    expect(seen).toEqual(['stdout:raw\r\n']);
  });

  it('an observer that throws is dropped; the output goes on', async () => {
    const engine = new FakeEngine();
    engine.onStart = () => {
      engine.output.write(frame(1, 'a'));
      engine.output.write(frame(1, 'b'));
      setTimeout(() => engine.exit(3), 1);
    };
    const streams = io(new FakeSignals());
    let calls = 0;
    const code = await runContainer(engine, request(), asRunIO(streams), {
      observer: {
        output: () => {
          calls++;
          throw new Error('observer broke');
        },
      },
    });
    expect(code).toBe(3);
    expect(calls).toBe(1);
    expect(streams.stdout.text).toBe('ab');
  });

  it('-d runs nothing past it', async () => {
    const engine = new FakeEngine();
    let calls = 0;
    await runContainer(engine, request({}, { detach: true }), asRunIO(io(new FakeSignals())), {
      observer: {
        output: () => {
          calls++;
        },
        created: () => {
          calls++;
        },
      },
    });
    expect(calls).toBe(0);
  });
});

describe('OutputTail', () => {
  it('keeps everything while it fits', () => {
    const tail = new OutputTail(64);
    tail.output(Buffer.from('one\n'));
    tail.output(Buffer.from('two\n'));
    expect(tail.text()).toBe('one\ntwo\n');
  });

  it('keeps only the last bytes, from the first whole line, however the output arrives', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `line ${String(i)}\n`).join('');
    for (const size of [1, 7, 100, lines.length]) {
      const tail = new OutputTail(40);
      for (let i = 0; i < lines.length; i += size) tail.output(Buffer.from(lines.slice(i, i + size)));
      const text = tail.text();
      expect(text.length).toBeLessThanOrEqual(40);
      expect(text.endsWith('line 499\n')).toBe(true);
      expect(lines.endsWith(text)).toBe(true);
      expect(text.startsWith('line ')).toBe(true);
    }
  });

  it('does not keep a view of the buffer it was given', () => {
    const tail = new OutputTail(64);
    const chunk = Buffer.from('error: x\n');
    tail.output(chunk);
    chunk.fill(0x41);
    expect(tail.text()).toBe('error: x\n');
  });
});
