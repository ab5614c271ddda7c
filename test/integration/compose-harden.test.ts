/**
 * `safedock compose harden` on a Compose project run by Debian's docker-compose 1.29: a service that
 * mounts the engine socket is refused by name and rule id until accepted; the override layers the
 * strict preset under every service, the service's own settings winning, and the containers that
 * `docker-compose -f compose.yaml -f compose.safedock.yaml up` starts are hardened (inspected, and
 * their /proc/self/status read).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  TEST_IMAGE,
  TEST_LABEL_KEY,
  TEST_RUN_ID,
  inspectContainer,
  runCli,
  runDocker,
  runProcess,
} from '../helpers/engine.js';

interface Inspected {
  Config: { User: string };
  HostConfig: Record<string, unknown> & { SecurityOpt: string[] | null };
}

const dir = mkdtempSync(join(tmpdir(), 'safedock-harden-'));
const project = `sdhard${TEST_RUN_ID}`.toLowerCase().replace(/[^a-z0-9]/g, '');
writeFileSync(
  join(dir, 'compose.yaml'),
  `services:
  web:
    image: ${TEST_IMAGE}
    command: ["sleep", "300"]
    mem_limit: 268435456
    tmpfs: ["/run"]
    labels: {${TEST_LABEL_KEY}: "${TEST_RUN_ID}"}
  agent:
    image: ${TEST_IMAGE}
    command: sleep 300
    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]
    labels: {${TEST_LABEL_KEY}: "${TEST_RUN_ID}"}
`,
);

function compose(args: readonly string[]) {
  return runProcess('docker-compose', ['-p', project, '-f', 'compose.yaml', '-f', 'compose.safedock.yaml', ...args], {
    cwd: dir,
    timeoutMs: 120_000,
  });
}

async function status(id: string): Promise<Record<string, string>> {
  const r = await runDocker(['exec', id, 'cat', '/proc/self/status']);
  return Object.fromEntries(
    r.stdout
      .split('\n')
      .filter((l) => /^(NoNewPrivs|Seccomp|CapEff|CapBnd):/.test(l))
      .map((l) => [l.split(':')[0] ?? '', (l.split(':')[1] ?? '').trim()]),
  );
}

afterAll(async () => {
  await compose(['down', '--volumes', '--remove-orphans']).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('compose harden', () => {
  it('refuses the service that mounts the engine socket, by name and rule id, and writes nothing', async () => {
    const r = await runCli(['compose', 'harden'], { cwd: dir, env: { CI: 'true' } });
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('service agent refused: SD102');
    expect(r.stderr).not.toContain('service web refused');
    expect(() => readFileSync(join(dir, 'compose.safedock.yaml'))).toThrow();
  });

  it('--policy warn in CI still refuses a critical finding, as run does; outside CI it writes and warns', async () => {
    const ci = await runCli(['compose', 'harden', '--policy', 'warn', '-o', 'warn-ci.yaml'], {
      cwd: dir,
      env: { CI: 'true' },
    });
    expect(ci.code).toBe(125);
    expect(ci.stderr).toContain('service agent refused: SD102');
    expect(() => readFileSync(join(dir, 'warn-ci.yaml'))).toThrow();
    const local = await runCli(['compose', 'harden', '--policy', 'warn', '-o', 'warn-local.yaml'], {
      cwd: dir,
      env: { CI: undefined },
    });
    expect(local.code, local.stderr).toBe(0);
    expect(readFileSync(join(dir, 'warn-local.yaml'), 'utf8')).toContain('agent:');
  });

  it('writes the override once the risk is accepted', async () => {
    const r = await runCli(
      [
        'compose',
        'harden',
        '--accept',
        'SD102:/var/run/docker.sock:/var/run/docker.sock',
        '--reason',
        'the agent manages test containers',
      ],
      {
        cwd: dir,
        env: { CI: 'true' },
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const override = readFileSync(join(dir, 'compose.safedock.yaml'), 'utf8');
    // The service's own memory limit and tmpfs stay; the preset adds what the service does not set.
    const web = override.slice(override.indexOf('  web:'), override.indexOf('  agent:'));
    expect(web).not.toContain('mem_limit');
    expect(web).not.toContain('/run');
    expect(override.slice(override.indexOf('  agent:'))).toContain('mem_limit: 536870912');
    expect(override).toContain('io.safedock.accepted.SD102');
    expect(override).toContain('seccomp=./strict.json');
  });

  it('starts every service hardened, the service settings winning', async () => {
    const up = await compose(['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    for (const service of ['web', 'agent']) {
      const id = (await compose(['ps', '-q', service])).stdout.trim();
      const c = (await inspectContainer<Inspected>(id)) as Inspected;
      expect(c.HostConfig.CapDrop).toEqual(['ALL']);
      expect(c.HostConfig.ReadonlyRootfs).toBe(true);
      expect(c.HostConfig.PidsLimit).toBe(256);
      expect(c.HostConfig.NanoCpus).toBe(1e9);
      expect(c.Config.User).toBe('65534:65534');
      expect((c.HostConfig.SecurityOpt ?? []).map((o) => o.split('=')[0])).toEqual(
        expect.arrayContaining(['no-new-privileges', 'seccomp']),
      );
      expect(c.HostConfig.Memory).toBe(service === 'web' ? 268435456 : 536870912);
      expect(Object.keys(c.HostConfig.Tmpfs as Record<string, string>).sort()).toEqual(
        service === 'web' ? ['/run', '/tmp'] : ['/tmp'],
      );
      expect(await status(id)).toMatchObject({ NoNewPrivs: '1', Seccomp: '2', CapEff: '0000000000000000' });
    }
  });

  it('judges what docker-compose makes of the file: merge keys and variables', async () => {
    const sub = join(dir, 'merged');
    mkdirSync(sub);
    writeFileSync(
      join(sub, 'compose.yaml'),
      `x-base: &base\n  privileged: \${PRIV:-true}\nservices:\n  web:\n    <<: *base\n    image: ${TEST_IMAGE}\n`,
    );
    // docker-compose itself gives the service privileged: true.
    const config = await runProcess('docker-compose', ['-f', 'compose.yaml', 'config'], {
      cwd: sub,
      env: { PRIV: undefined },
    });
    expect(config.code, config.stderr).toBe(0);
    expect(config.stdout).toMatch(/privileged: true/);
    const r = await runCli(['compose', 'harden'], { cwd: sub, env: { CI: 'true', PRIV: undefined } });
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('SD101');
    expect(() => readFileSync(join(sub, 'compose.safedock.yaml'))).toThrow();
  });

  it('a service may name its own preset', async () => {
    const file = join(dir, 'named.yaml');
    writeFileSync(file, `services:\n  loose:\n    image: ${TEST_IMAGE}\n    x-safedock: {preset: none}\n`);
    const r = await runCli(
      ['compose', 'harden', '--policy', 'warn', '-f', file, '-o', join(dir, 'named.override.yaml')],
      {
        cwd: dir,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('service loose (preset none)');
    expect(readFileSync(join(dir, 'named.override.yaml'), 'utf8')).toMatch(/services:\s*\n\s+loose: \{\}/);
  });
});
