/**
 * The core of `safedock run` against Podman's Docker-compatible API (a second engine; its own CI
 * job): the run flow, the strict preset observed inside the container, a policy refusal, and
 * --rm leaving nothing. Podman is reached as users reach it: DOCKER_HOST, or a docker context.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  TEST_IMAGE,
  TEST_LABEL_ARGS,
  dockerJson,
  runCli,
  runDocker,
  type RunOptions,
  type RunResult,
} from '../helpers/engine.js';
import { PODMAN_SOCKET } from './podman.js';

const env = { DOCKER_HOST: `unix://${PODMAN_SOCKET}`, DOCKER_CONTEXT: undefined, CI: 'true' };

function sd(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return runCli(args, { ...opts, env: { ...env, ...opts.env } });
}

function marker(): { args: string[]; label: string } {
  const label = `safedock.test.podman=${randomBytes(6).toString('hex')}`;
  return { args: [...TEST_LABEL_ARGS, '--label', label], label };
}

async function onPodman(label: string): Promise<Array<{ Id: string; State: string }>> {
  const filters = encodeURIComponent(JSON.stringify({ label: [label] }));
  return dockerJson(`/containers/json?all=1&filters=${filters}`, { socket: PODMAN_SOCKET });
}

/** Reads what the container's own process may do, from the inside. */
const PROBE = [
  'echo uid=$(id -u)',
  "grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status",
  'for p in / /run /var/tmp /tmp; do if touch $p/probe 2>/dev/null; then echo "write$p=yes"; rm -f $p/probe; else echo "write$p=no"; fi; done',
  'echo memory=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max)',
  'echo pids=$(cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max)',
].join('; ');

function facts(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const m = /^([\w/]+)[:=]\s*(.*)$/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined) out[m[1]] = m[2].trim();
  }
  return out;
}

describe('Podman: the run flow', () => {
  it('keeps stdout and stderr apart and returns the exit code', async () => {
    const m = marker();
    // -q: the container's own streams alone (the policy's low finding on Podman's default network,
    // SD155, would otherwise come first on stderr).
    const r = await sd([
      'run',
      '-q',
      '--rm',
      '-u',
      '1000',
      ...m.args,
      TEST_IMAGE,
      'sh',
      '-c',
      'echo out; echo err >&2; exit 3',
    ]);
    expect(r.stdout).toBe('out\n');
    expect(r.stderr).toBe('err\n');
    expect(r.code).toBe(3);
  });

  it('pipes stdin through unchanged: nothing of the attach request reaches the container', async () => {
    const input = randomBytes(1024 * 1024);
    const r = await sd(['run', '--rm', '-i', '-u', '1000', ...TEST_LABEL_ARGS, TEST_IMAGE, 'md5sum'], { stdin: input });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split(' ')[0]).toBe(createHash('md5').update(input).digest('hex'));
  });

  it('--rm returns the exit code every time, not the status of the removal', async () => {
    for (const code of [0, 3, 42]) {
      const r = await sd(['run', '--rm', '-u', '1000', ...TEST_LABEL_ARGS, TEST_IMAGE, 'sh', '-c', `exit ${code}`]);
      expect(r.code).toBe(code);
    }
  });

  it('a command that does not exist: 127 as docker, and nothing left behind', async () => {
    const m = marker();
    const r = await sd(['run', '--rm', '-u', '1000', ...m.args, TEST_IMAGE, 'no-such-command']);
    expect(r.code).toBe(127);
    expect(r.stderr).toMatch(/executable file not found/);
    expect(await onPodman(m.label)).toEqual([]);
  });

  it('-d prints the id and leaves the container running', async () => {
    const m = marker();
    const r = await sd(['run', '-d', '-u', '1000', ...m.args, TEST_IMAGE, 'sleep', '30']);
    expect(r.code, r.stderr).toBe(0);
    const id = r.stdout.trim();
    try {
      const [c] = await onPodman(m.label);
      expect(c?.Id).toBe(id);
      expect(c?.State).toBe('running');
    } finally {
      await dockerJson(`/containers/${id}?force=1`, { method: 'DELETE', socket: PODMAN_SOCKET });
    }
  });
});

describe('Podman: the strict preset observed inside the container', () => {
  it('no capabilities, no new privileges, seccomp, a read-only root that stays read-only, non-root, limits', async () => {
    const r = await sd(['run', '--rm', ...TEST_LABEL_ARGS, TEST_IMAGE, 'sh', '-c', PROBE]);
    expect(r.code, r.stderr).toBe(0);
    const f = facts(r.stdout);
    expect(f).toMatchObject({
      uid: '65534',
      CapEff: '0000000000000000',
      CapBnd: '0000000000000000',
      NoNewPrivs: '1',
      Seccomp: '2',
      // Podman would mount writable tmpfs on /run and /var/tmp of a read-only container.
      'write/': 'no',
      'write/run': 'no',
      'write/var/tmp': 'no',
      'write/tmp': 'yes',
      memory: String(512 * 1024 * 1024),
      pids: '256',
    });
  });

  it('safedock’s own seccomp profile applies, not Podman’s default', async () => {
    const probe = ['sh', '-c', 'unshare -U true && echo rc=0 || echo rc=1'];
    const same = ['-u', '1000', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges', ...TEST_LABEL_ARGS];
    // Podman's default profile lets a process make a user namespace; the strict profile does not.
    const podmanDefault = await sd([
      'run',
      '--rm',
      '--preset',
      'none',
      '--policy',
      'warn',
      ...same,
      TEST_IMAGE,
      ...probe,
    ]);
    const strict = await sd(['run', '--rm', ...same, TEST_IMAGE, ...probe]);
    expect(podmanDefault.stdout).toBe('rc=0\n');
    expect(strict.stdout).toBe('rc=1\n');
    expect(strict.stderr).toMatch(/Operation not permitted/);
  });

  it('the profile is sent as a file Podman can read, never inline (Podman would echo it)', async () => {
    const m = marker();
    const r = await sd(['run', '-d', ...m.args, TEST_IMAGE, 'sleep', '30']);
    const id = r.stdout.trim();
    try {
      const inspect = await dockerJson<{ HostConfig: { SecurityOpt: string[] } }>(`/containers/${id}/json`, {
        socket: PODMAN_SOCKET,
      });
      const seccomp = inspect.HostConfig.SecurityOpt.find((o) => o.startsWith('seccomp='));
      expect(seccomp).toMatch(/^seccomp=\/.*\/safedock\/seccomp\/[0-9a-f]{64}\.json$/);
    } finally {
      await dockerJson(`/containers/${id}?force=1`, { method: 'DELETE', socket: PODMAN_SOCKET });
    }
  });
});

describe('Podman: the policy', () => {
  it('refuses a critical setting without a terminal: 125, nothing created', async () => {
    const m = marker();
    const r = await sd(['run', '--rm', ...m.args, '-u0', '--cap-add', 'sys_admin', TEST_IMAGE, 'true']);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/SD111:SYS_ADMIN .*SYS_ADMIN/);
    expect(await onPodman(m.label)).toEqual([]);
  });
});

describe('Podman: --rm', () => {
  it('leaves nothing behind once the run returns', async () => {
    const m = marker();
    const r = await sd(['run', '--rm', '-u', '1000', ...m.args, TEST_IMAGE, 'sh', '-c', 'echo done']);
    expect(r.stdout).toBe('done\n');
    expect(await onPodman(m.label)).toEqual([]);
  });
  it('without --rm the exited container stays, as with docker', async () => {
    const m = marker();
    await sd(['run', '-u', '1000', ...m.args, TEST_IMAGE, 'true']);
    const left = await onPodman(m.label);
    expect(left.map((c) => c.State)).toEqual(['exited']);
    for (const c of left) await dockerJson(`/containers/${c.Id}?force=1`, { method: 'DELETE', socket: PODMAN_SOCKET });
  });
});

describe('Podman: selected as users select it', () => {
  const config = mkdtempSync(join(tmpdir(), 'safedock-podman-ctx-'));
  afterAll(() => rmSync(config, { recursive: true, force: true }));

  it('a docker context pointing at Podman: the plan names it, the run goes there', async () => {
    const ctxEnv = { DOCKER_CONFIG: config, DOCKER_HOST: undefined };
    const created = await runDocker(['context', 'create', 'podman', '--docker', `host=unix://${PODMAN_SOCKET}`], {
      env: ctxEnv,
    });
    expect(created.code, created.stderr).toBe(0);
    const plan = await sd(['--context', 'podman', 'run', '--dry-run', TEST_IMAGE, 'true'], { env: ctxEnv });
    // The plan wraps at 80 columns: read it as one line.
    expect(plan.stdout.replace(/\s+/g, ' ')).toMatch(
      /engine: unix:\/\/\S+ \(context podman, from --context\); Podman \d+\.\d+\.\d+, API 1\.\d+/,
    );
    const m = marker();
    const r = await sd(['run', '--rm', '-u', '1000', ...m.args, TEST_IMAGE, 'echo', 'via-context'], {
      env: { ...ctxEnv, DOCKER_CONTEXT: 'podman' },
    });
    expect(r.stdout).toBe('via-context\n');
  });
});
