/**
 * Rootless Docker (Debian's dockerd-rootless.sh, started by scripts/rootless.sh), the engine the
 * hardening guides send people to with `docker context use rootless`:
 *   - that context decides where safedock runs (the container lands on the rootless engine, not
 *     on the rootful one);
 *   - the strict preset works there and is observed inside the container;
 *   - the limits a rootless engine on cgroup v1 accepts but cannot enforce are reported, and the
 *     container shows they are indeed not in effect;
 *   - --dry-run names the engine as rootless.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE, TEST_LABEL_ARGS, dockerJson, listContainers, runCli, runDocker } from '../helpers/engine.js';
import { ROOTLESS_SOCKET } from './rootless.js';

const config = mkdtempSync(join(tmpdir(), 'safedock-rootless-ctx-'));
const env = { DOCKER_CONFIG: config, DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined, CI: 'true' };

beforeAll(async () => {
  const created = await runDocker(['context', 'create', 'rootless', '--docker', `host=unix://${ROOTLESS_SOCKET}`], {
    env,
  });
  expect(created.code, created.stderr).toBe(0);
  const used = await runDocker(['context', 'use', 'rootless'], { env });
  expect(used.code, used.stderr).toBe(0);
});
afterAll(() => rmSync(config, { recursive: true, force: true }));

function marker(): { args: string[]; label: string } {
  const label = `safedock.test.rootless=${randomBytes(6).toString('hex')}`;
  return { args: [...TEST_LABEL_ARGS, '--label', label], label };
}

async function onRootless(label: string): Promise<unknown[]> {
  const filters = encodeURIComponent(JSON.stringify({ label: [label] }));
  return dockerJson(`/containers/json?all=1&filters=${filters}`, { socket: ROOTLESS_SOCKET });
}

const PROBE = [
  'echo uid=$(id -u)',
  "grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/self/status",
  'if touch /probe 2>/dev/null; then echo root=writable; else echo root=read-only; fi',
  'echo memory=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || echo none)',
  'echo pids=$(cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || echo none)',
].join('; ');

function facts(stdout: string): Record<string, string> {
  return Object.fromEntries(
    stdout
      .split('\n')
      .map((line) => /^(\w+)[:=]\s*(.*)$/.exec(line.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1] ?? '', (m[2] ?? '').trim()]),
  );
}

describe('rootless Docker chosen with `docker context use rootless`', () => {
  it('the run goes to the rootless engine, not to the rootful one', async () => {
    const m = marker();
    const r = await runCli(['run', '-u', '1000', ...m.args, TEST_IMAGE, 'true'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(await onRootless(m.label)).toHaveLength(1);
    // The rootful engine (the suite's usual one) has no such container.
    expect(await listContainers(m.label)).toEqual([]);
  });

  it('the strict preset runs hardened there; the limits it cannot enforce are reported, and are indeed not in effect', async () => {
    const r = await runCli(['run', '--rm', ...TEST_LABEL_ARGS, TEST_IMAGE, 'sh', '-c', PROBE], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(facts(r.stdout)).toMatchObject({
      uid: '65534',
      CapEff: '0000000000000000',
      NoNewPrivs: '1',
      Seccomp: '2',
      root: 'read-only',
    });
    // A finding (SD170, medium: reported, the run goes on), not a failure and not silence.
    const said = r.stderr.replace(/\s+/g, ' ');
    expect(said).toContain('SD170');
    expect(said).toContain(
      '--memory, --cpus, --pids-limit not in effect: the engine is rootless on cgroup v1: it cannot create cgroups for the container, so it accepts these limits and enforces none of them',
    );
    // What the warning says, seen from inside: no 512 MiB limit, no pids cgroup.
    const f = facts(r.stdout);
    expect(f['memory']).not.toBe(String(512 * 1024 * 1024));
    expect(f['pids']).toBe('none');
  });

  it('--dry-run names the engine as rootless and says which limits will not apply', async () => {
    const r = await runCli(['run', '--dry-run', TEST_IMAGE, 'true'], { env });
    expect(r.code).toBe(0);
    // The plan wraps at 80 columns: read it as one line.
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(
      /engine: unix:\/\/\S+ \(context rootless, from `docker context use`\); Docker Engine \S+, API 1\.\d+, rootless/,
    );
    const plan = r.stdout.replace(/\s+/g, ' ');
    expect(plan).toContain('SD170');
    expect(plan).toContain('--memory, --cpus, --pids-limit not in effect');
  });
});
