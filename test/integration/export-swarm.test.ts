/**
 * `safedock export --format swarm` on a real single-node swarm: the stack deploys, its task
 * container is hardened as far as swarm carries it (inspected, and /proc read inside), and what the
 * swarm of this engine (API 1.41) drops is exactly what the export reported (NoNewPrivs 0, no
 * profile). Kept to this one file and short: a swarm changes the engine's networking, so it is
 * left in every case (afterAll), before any other test file runs.
 */
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE, TEST_LABEL_ARGS, TEST_RUN_ID, inspectContainer, runCli, runDocker } from '../helpers/engine.js';

interface Inspected {
  Config: { User: string };
  HostConfig: Record<string, unknown>;
}

const dir = mkdtempSync(join(tmpdir(), 'safedock-swarm-'));
const stack = `sdswarm${TEST_RUN_ID}`.toLowerCase().replace(/[^a-z0-9]/g, '');
const ARGS = [...TEST_LABEL_ARGS, '--name', 'web', '-p', '18089:8080', TEST_IMAGE, 'sleep', '300'];
let joined = false;
// swarm init makes the docker_gwbridge network, which leaving the swarm keeps: removed when this test made it.
let gwbridgeExisted = true;

async function swarmState(): Promise<string> {
  return (await runDocker(['info', '--format', '{{.Swarm.LocalNodeState}}'])).stdout.trim();
}

beforeAll(async () => {
  const state = await swarmState();
  if (state !== 'inactive')
    throw new Error(`the engine is already in a swarm (${state}); this test makes and leaves its own`);
  gwbridgeExisted = (await runDocker(['network', 'inspect', 'docker_gwbridge'])).code === 0;
});

afterAll(async () => {
  try {
    if (joined) {
      await runDocker(['stack', 'rm', stack]);
      // The task containers go before the swarm is left, so that none is orphaned.
      for (let i = 0; i < 40; i++) {
        const left = (
          await runDocker(['ps', '-aq', '--filter', `label=com.docker.stack.namespace=${stack}`])
        ).stdout.trim();
        if (left === '') break;
        // A task that outlives the grace period is removed by id.
        if (i === 39) await runDocker(['rm', '-f', ...left.split('\n')]);
        else await new Promise((r) => setTimeout(r, 500));
      }
    }
  } finally {
    if (joined) await runDocker(['swarm', 'leave', '--force']);
    if (joined && !gwbridgeExisted) await runDocker(['network', 'rm', 'docker_gwbridge']);
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('export --format swarm', () => {
  it('lists what swarm drops, each with what to do instead', async () => {
    const r = await runCli(['export', '--format', 'swarm', '-o', join(dir, 'out'), ...ARGS]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Swarm cannot carry these settings');
    expect(r.stderr).toMatch(
      /--security-opt=no-new-privileges: .*"no-new-privileges": true in \/etc\/docker\/daemon.json/,
    );
    expect(r.stderr).toMatch(/--security-opt=seccomp=PROFILE: .*seccomp-profile/);
    expect(r.stderr).toMatch(/--publish=127\.0\.0\.1:18089:8080\/tcp: swarm publishes on every interface/);
    expect(readFileSync(join(dir, 'out', 'stack.yaml'), 'utf8')).toContain('pids: 256');
  });

  it('--strict-export turns the losses into an error and writes nothing', async () => {
    const r = await runCli(['export', '--format', 'swarm', '--strict-export', '-o', join(dir, 'strict'), ...ARGS]);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('Swarm cannot carry 4 setting(s) of this run (--strict-export)');
    expect(existsSync(join(dir, 'strict'))).toBe(false);
  });

  it('deploys; the task container is hardened as far as swarm carries it', async () => {
    const init = await runDocker(['swarm', 'init', '--advertise-addr', '127.0.0.1']);
    expect(init.code, init.stderr).toBe(0);
    joined = true;
    const deploy = await runDocker(
      ['stack', 'deploy', '--resolve-image', 'never', '-c', join(dir, 'out', 'stack.yaml'), stack],
      {
        timeoutMs: 60_000,
      },
    );
    expect(deploy.code, deploy.stderr).toBe(0);
    let id = '';
    for (let i = 0; i < 60 && id === ''; i++) {
      const ps = await runDocker([
        'ps',
        '-q',
        '--filter',
        `label=com.docker.stack.namespace=${stack}`,
        '--filter',
        'status=running',
      ]);
      id = ps.stdout.trim().split('\n')[0] ?? '';
      if (id === '') await new Promise((r) => setTimeout(r, 500));
    }
    expect(id, 'no running task container').not.toBe('');
    const c = (await inspectContainer<Inspected>(id)) as Inspected;
    expect(c.Config.User).toBe('65534:65534');
    expect(c.HostConfig.ReadonlyRootfs).toBe(true);
    expect(c.HostConfig.CapDrop).toEqual(['ALL']);
    expect(c.HostConfig.PidsLimit).toBe(256);
    expect(c.HostConfig.Memory).toBe(512 * 1024 * 1024);
    expect(c.HostConfig.NanoCpus).toBe(1e9);
    expect(c.HostConfig.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-file': '3', 'max-size': '10m' } });
    const mounts = (await runDocker(['exec', id, 'cat', '/proc/mounts'])).stdout;
    expect(mounts).toMatch(/^tmpfs \/tmp tmpfs rw,nosuid,nodev,noexec,relatime,size=65536k/m);
    const status = (await runDocker(['exec', id, 'cat', '/proc/self/status'])).stdout;
    expect(status).toMatch(/^CapEff:\s+0+$/m);
    // Reported as lost, and lost: swarm on this engine sends no security options.
    expect(status).toMatch(/^NoNewPrivs:\s+0$/m);
    expect(c.HostConfig.SecurityOpt ?? []).toEqual([]);
  });
});
