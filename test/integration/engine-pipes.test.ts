/**
 * Pipes as docker run has them, through real shell pipes against the real engine, each case
 * beside the docker CLI doing the same:
 *   - the reader of stdout goes away (`| head -1`): one line on stderr, exit 1, no stack trace, the
 *     container left running and removed by the engine at its exit (--rm);
 *   - the reader of stderr goes away: exit 141 (SIGPIPE), silently;
 *   - safedock's own output (a plan) into a closed pipe: no stack trace.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CLI_ENTRY, TEST_IMAGE, TEST_LABEL_ARGS, listContainers, runProcess } from '../helpers/engine.js';

/** `LEFT | RIGHT` in bash; the exit status of LEFT (PIPESTATUS[0]) and LEFT's stderr. */
async function piped(left: string, right: string): Promise<{ status: number; stderr: string }> {
  const script = `${left} 2>"$ERRFILE" | ${right} >/dev/null; echo "\${PIPESTATUS[0]}"; cat "$ERRFILE"`;
  const file = `/tmp/safedock-pipe-${randomBytes(6).toString('hex')}`;
  const r = await runProcess('bash', ['-c', script], { env: { ERRFILE: file, CI: 'true' }, timeoutMs: 60_000 });
  await runProcess('rm', ['-f', file]);
  const [status = '', ...rest] = r.stdout.split('\n');
  return { status: Number(status), stderr: rest.join('\n') };
}

function marker(): { args: string; label: string } {
  const label = `safedock.test.pipe=${randomBytes(6).toString('hex')}`;
  return { args: `${TEST_LABEL_ARGS.join(' ')} --label ${label}`, label };
}

async function stateOf(label: string): Promise<string[]> {
  return (await listContainers(label)).map((c) => c.State);
}

async function goneWithin(label: string, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if ((await listContainers(label)).length === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

const SAFEDOCK = `${CLI_ENTRY} run -u 1000`;
// Enough output to fill the pipe after head has gone, then a pause in which the container still runs.
const BUSY = `sh -c 'seq 1 100000; sleep 3'`;

describe('stdout closed by its reader (| head -1)', () => {
  it.each([
    ['without -t', ''],
    ['with -t', '-t'],
  ])('%s: as docker run: one line, exit 1, the container left to run and then removed by --rm', async (_name, tty) => {
    const theirs = marker();
    const ours = marker();
    const docker = await piped(`docker run --rm ${tty} ${theirs.args} ${TEST_IMAGE} ${BUSY}`, 'head -1');
    const dockerState = await stateOf(theirs.label);
    const safedock = await piped(`${SAFEDOCK} --rm ${tty} ${ours.args} ${TEST_IMAGE} ${BUSY}`, 'head -1');
    const safedockState = await stateOf(ours.label);

    expect(docker.status).toBe(1);
    expect(docker.stderr.trim()).toBe('write /dev/stdout: broken pipe');
    expect(safedock.status).toBe(docker.status);
    expect(safedock.stderr).toBe('safedock: write /dev/stdout: broken pipe\n');
    // Left running, as docker leaves it…
    expect(dockerState).toEqual(['running']);
    expect(safedockState).toEqual(dockerState);
    // …and removed by the engine when it exits (--rm).
    expect(await goneWithin(theirs.label, 15_000)).toBe(true);
    expect(await goneWithin(ours.label, 15_000)).toBe(true);
  });
});

describe('stderr closed by its reader', () => {
  it('as docker run: killed by SIGPIPE (141), nothing printed', async () => {
    const theirs = marker();
    const ours = marker();
    const script = (cli: string, m: string): string => `${cli} --rm ${m} ${TEST_IMAGE} sh -c 'seq 1 100000 >&2'`;
    const run = async (cli: string, m: string): Promise<number> => {
      const r = await runProcess(
        'bash',
        ['-c', `${script(cli, m)} 2>&1 >/dev/null | head -1 >/dev/null; echo "\${PIPESTATUS[0]}"`],
        {
          env: { CI: 'true' },
          timeoutMs: 60_000,
        },
      );
      expect(r.stderr).toBe('');
      return Number(r.stdout.trim());
    };
    const docker = await run('docker run', theirs.args);
    const safedock = await run(SAFEDOCK, ours.args);
    expect(docker).toBe(141);
    expect(safedock).toBe(docker);
    expect(await goneWithin(theirs.label, 15_000)).toBe(true);
    expect(await goneWithin(ours.label, 15_000)).toBe(true);
  });
});

describe('safedock’s own output into a closed pipe', () => {
  it('--dry-run | true: exit 141 as docker’s own output, no stack trace', async () => {
    const docker = await piped('docker version', 'true');
    const plan = await piped(`${CLI_ENTRY} run --dry-run ${TEST_IMAGE} true`, 'true');
    expect(docker.status).toBe(141);
    expect(plan.status).toBe(141);
    expect(plan.stderr).toBe('');
  });
  it('commands of the command tree: no stack trace', async () => {
    const r = await piped(`${CLI_ENTRY} rules`, 'true');
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at |Unhandled/);
    expect([0, 141]).toContain(r.status);
  });
});
