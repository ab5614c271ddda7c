import { createHash, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CLI_ENTRY,
  TEST_IMAGE,
  TEST_LABEL_ARGS,
  inspectContainer,
  listContainers,
  removeContainer,
  runCli,
  runProcess,
} from '../helpers/engine.js';

/** A label unique to one test, so it can check that nothing of its own is left. */
function marker(): { args: string[]; label: string } {
  const label = `safedock.test.case=${randomBytes(6).toString('hex')}`;
  return { args: [...TEST_LABEL_ARGS, '--label', label], label };
}

const created: string[] = [];
afterEach(async () => {
  for (const id of created.splice(0)) await removeContainer(id);
});

describe('safedock run: exit codes', () => {
  it('returns the container exit code', async () => {
    const m = marker();
    const r = await runCli(['run', '--rm', ...m.args, TEST_IMAGE, 'sh', '-c', 'exit 3']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(3);
    expect(await listContainers(m.label)).toEqual([]);
  });

  it('returns 0 for a successful command', async () => {
    const r = await runCli(['run', '--rm', ...TEST_LABEL_ARGS, TEST_IMAGE, 'true']);
    expect(r.code).toBe(0);
  });

  it('returns 127 when the command does not exist, and leaves no container behind', async () => {
    const m = marker();
    const r = await runCli(['run', ...m.args, TEST_IMAGE, '/nonexistent']);
    expect(r.code).toBe(127);
    expect(r.stderr).toMatch(/no such file or directory/);
    expect(await listContainers(m.label)).toEqual([]);
  });

  it('returns 126 when the command cannot be invoked, and leaves no container behind', async () => {
    const m = marker();
    const r = await runCli(['run', ...m.args, TEST_IMAGE, '/etc']);
    expect(r.code).toBe(126);
    expect(r.stderr).toMatch(/permission denied/);
    expect(await listContainers(m.label)).toEqual([]);
  });

  it('returns 125 for a flag it does not know, with a suggestion, before any request', async () => {
    const r = await runCli(['run', '--memroy', '1g', TEST_IMAGE, 'true']);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/unknown flag: --memroy/);
    expect(r.stderr).toMatch(/--memory/);
  });

  it('returns 125 with a clear message when the image is missing and --pull never is given', async () => {
    for (const preset of ['strict', 'none']) {
      const m = marker();
      const r = await runCli([
        'run',
        '--preset',
        preset,
        '--pull',
        'never',
        ...m.args,
        'safedock-no-such-image:1',
        'true',
      ]);
      expect(r.code).toBe(125);
      expect(r.stderr).toMatch(/No such image: safedock-no-such-image:1/);
      expect(await listContainers(m.label)).toEqual([]);
    }
  });

  it('returns 125 and names the socket when no engine answers', async () => {
    const r = await runCli(['run', '--rm', TEST_IMAGE, 'true'], {
      env: { DOCKER_HOST: 'unix:///tmp/safedock-no-engine.sock' },
    });
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/cannot connect to the Docker engine at unix:\/\/\/tmp\/safedock-no-engine\.sock/);
    expect(r.stderr).toMatch(/dockerd|systemctl|scripts\/engine\.sh/);
  });
});

describe('safedock run: streams', () => {
  it('keeps stdout and stderr apart without a TTY', async () => {
    // -u: the image runs as root, and the note saying so would also go to stderr.
    const r = await runCli([
      'run',
      '--rm',
      '-u',
      '1000',
      ...TEST_LABEL_ARGS,
      TEST_IMAGE,
      'sh',
      '-c',
      'echo to-out; echo to-err >&2; echo more-out',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('to-out\nmore-out\n');
    expect(r.stderr).toBe('to-err\n');
  });

  it('pipes 10 MiB of binary stdin through the container unchanged', async () => {
    const input = randomBytes(10 * 1024 * 1024);
    const r = await runCli(['run', '-i', '--rm', ...TEST_LABEL_ARGS, TEST_IMAGE, 'cat'], {
      stdin: input,
      timeoutMs: 60_000,
    });
    expect(r.code).toBe(0);
    expect(r.stdoutBuffer.length).toBe(input.length);
    expect(createHash('sha256').update(r.stdoutBuffer).digest('hex')).toBe(
      createHash('sha256').update(input).digest('hex'),
    );
  });

  it('half-closes stdin at EOF so the container sees the end of input', async () => {
    const input = randomBytes(1024 * 1024);
    const r = await runCli(['run', '-i', '--rm', ...TEST_LABEL_ARGS, TEST_IMAGE, 'md5sum'], { stdin: input });
    expect(r.code).toBe(0);
    expect(r.stdout.split(' ')[0]).toBe(createHash('md5').update(input).digest('hex'));
  });

  it('passes the command and its arguments verbatim, flags after the image included', async () => {
    const r = await runCli(['run', '--rm', ...TEST_LABEL_ARGS, TEST_IMAGE, 'echo', '--name', 'x', '-e', 'a b', '--rm']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('--name x -e a b --rm\n');
  });

  it('allocates a terminal with -t when run from a pseudo-terminal', async () => {
    const cmd = `${CLI_ENTRY} run --rm -t ${TEST_LABEL_ARGS.join(' ')} ${TEST_IMAGE} sh -c 'tty; stty size'`;
    const script = await runProcess('script', ['-qec', cmd, '/dev/null']);
    expect(script.code).toBe(0);
    expect(script.stdout).toMatch(/\/dev\/pts\/\d+/);
    expect(script.stdout).not.toMatch(/not a tty/);
  });
});

describe('safedock run: files read once', () => {
  it('--env-file <(…): a pipe is read once, and its variables reach the container', async () => {
    const cli = `${CLI_ENTRY} run --rm -u 1000 --env-file <(printf 'FROM_PIPE=piped-value\\n') ${TEST_LABEL_ARGS.join(' ')} ${TEST_IMAGE} sh -c 'echo "$FROM_PIPE"'`;
    const r = await runProcess('bash', ['-c', cli]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('piped-value\n');
  });
});

describe('safedock run: lifecycle', () => {
  it('-d with a command that does not exist exits 127, as docker, and leaves nothing', async () => {
    const m = marker();
    const r = await runCli(['run', '-d', ...m.args, TEST_IMAGE, '/nonexistent']);
    expect(r.code).toBe(127);
    expect(await listContainers(m.label)).toEqual([]);
  });

  it('detaches with Ctrl-P Ctrl-Q under -it and leaves the container running', async () => {
    const m = marker();
    const cli = `${CLI_ENTRY} run -it ${m.args.join(' ')} -u 1000 ${TEST_IMAGE} sh -c 'echo started; sleep 60'`;
    // The keys are typed once the container is up; the pipe stays open a little longer.
    const typed = `(sleep 2; printf '\\020\\021'; sleep 2) | script -qec "${cli}" /dev/null`;
    const r = await runProcess('bash', ['-c', typed], { timeoutMs: 30_000 });
    const left = await listContainers(m.label);
    created.push(...left.map((c) => c.Id));
    expect(r.stdout).toContain('started');
    expect(r.code).toBe(0);
    expect(left).toHaveLength(1);
    expect(left[0]?.State).toBe('running');
  });

  it('-d prints the container id and leaves it running', async () => {
    const m = marker();
    const r = await runCli(['run', '-d', ...m.args, TEST_IMAGE, 'sleep', '30']);
    expect(r.code).toBe(0);
    const id = r.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    created.push(id);
    const info = await inspectContainer<{ State: { Running: boolean } }>(id);
    expect(info?.State.Running).toBe(true);
  });

  it('--rm leaves nothing behind', async () => {
    const m = marker();
    const r = await runCli(['run', '--rm', ...m.args, TEST_IMAGE, 'sh', '-c', 'echo done']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('done\n');
    expect(await listContainers(m.label)).toEqual([]);
  });

  it('without --rm the exited container stays, as with docker run', async () => {
    const m = marker();
    const r = await runCli(['run', ...m.args, TEST_IMAGE, 'true']);
    expect(r.code).toBe(0);
    const left = await listContainers(m.label);
    expect(left).toHaveLength(1);
    created.push(...left.map((c) => c.Id));
  });

  it('forwards SIGTERM to the container', async () => {
    const child = spawn(
      CLI_ENTRY,
      [
        'run',
        '--rm',
        ...TEST_LABEL_ARGS,
        TEST_IMAGE,
        'sh',
        '-c',
        'trap "echo got-term; exit 42" TERM; echo ready; while true; do sleep 0.1; done',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "ready" from the container: ${out} ${err}`)), 30_000);
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(out).toContain('got-term');
    expect(code).toBe(42);
  });

  it('passes SIGPWR on, and ends at the third SIGINT the container ignores (exit 1, the container left running)', async () => {
    const m = marker();
    const child = spawn(
      CLI_ENTRY,
      [
        'run',
        ...m.args,
        TEST_IMAGE,
        'sh',
        '-c',
        'trap "echo got-pwr" PWR; trap "" INT; echo ready; while true; do sleep 0.1; done',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const waitFor = (text: string): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${text}" from the container: ${out} ${err}`)), 30_000);
        const check = (): void => {
          if (!out.includes(text)) return;
          clearTimeout(timer);
          resolve();
        };
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          check();
        });
        check();
      });
    const closed = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    await waitFor('ready');
    // The output can come before the answer to the start: signals are passed on from that answer.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    child.kill('SIGPWR');
    await waitFor('got-pwr');
    for (let i = 0; i < 3; i++) {
      child.kill('SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await closed).toBe(1);
    expect(err).toContain('got 3 SIGTERM/SIGINTs, forcefully exiting');
    const left = await listContainers(m.label);
    created.push(...left.map((c) => c.Id));
    expect(left.map((c) => c.State)).toEqual(['running']);
  });
});
