/**
 * `safedock export --format compose` against Debian's docker-compose 1.29: the exported file runs
 * as written, and the container it starts is hardened exactly as `safedock run` makes it with the
 * same arguments (the two inspected side by side, and each one's /proc/self/status read). The
 * override `compose harden` writes for an exported file changes nothing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_IMAGE,
  TEST_LABEL_ARGS,
  TEST_RUN_ID,
  inspectContainer,
  removeContainer,
  runCli,
  runDocker,
  runProcess,
} from '../helpers/engine.js';

interface Inspected {
  Id: string;
  Config: { User: string; Env: string[] | null; Labels: Record<string, string> };
  HostConfig: Record<string, unknown> & { SecurityOpt: string[] | null };
}

const dir = mkdtempSync(join(tmpdir(), 'safedock-export-'));
const project = `sdexp${TEST_RUN_ID}`.toLowerCase().replace(/[^a-z0-9]/g, '');
const secretFile = join(dir, 'db_password.txt');
writeFileSync(secretFile, 'hunter2-in-a-file\n', { mode: 0o644 });
const ARGS = [
  ...TEST_LABEL_ARGS,
  '-p',
  '127.0.0.1::8080',
  '-e',
  'MODE=prod',
  // Dollars are the run's own: docker-compose must not put its shell's variables in their place.
  '-e',
  'GREETING=hello $USER ${HOME} $$',
  '--label',
  'note=$HOME',
  // Text a YAML 1.1 reader refuses or reads otherwise when written plain.
  '-e',
  'TAB=a\tb',
  '-e',
  'EQ==',
  '-e',
  'MERGE=<<',
  '--label',
  '<<=merge',
  '-e',
  'BREAKS=a\u0085b\u2028c\u2029d\u007fe\ufefff',
  '-e',
  'API_TOKEN=tok-literal-value',
  '--secret',
  `db_password=${secretFile}`,
  '--cap-add',
  'NET_BIND_SERVICE',
  // The credential is meant to be reported and taken from the environment.
  '--accept',
  'SD129',
  '--reason',
  'test credential',
];
const COMMAND = ['sleep', '300'];
let runId = '';

function compose(args: readonly string[], env: Record<string, string> = {}) {
  return runProcess('docker-compose', ['-p', project, '-f', join(dir, 'out', 'compose.yaml'), ...args], {
    env: { API_TOKEN: 'tok-from-env', ...env },
    // docker-compose 1.29 reads `seccomp=./strict.json` relative to its working directory.
    cwd: join(dir, 'out'),
    timeoutMs: 120_000,
  });
}

/** The seccomp entry's profile parsed (docker-compose re-serialises it), the rest as sent. */
function securityOpts(list: string[] | null): unknown[] {
  return (list ?? []).map((o) =>
    o.startsWith('seccomp=') ? { seccomp: JSON.parse(o.slice('seccomp='.length)) as unknown } : o,
  );
}

async function status(id: string): Promise<Record<string, string>> {
  const r = await runDocker(['exec', id, 'cat', '/proc/self/status']);
  expect(r.code, r.stderr).toBe(0);
  return Object.fromEntries(
    r.stdout
      .split('\n')
      .filter((l) => /^(NoNewPrivs|Seccomp|CapEff|CapBnd|Uid|Gid):/.test(l))
      .map((l) => [l.split(':')[0] ?? '', (l.split(':')[1] ?? '').trim()]),
  );
}

beforeAll(async () => {
  const version = await runProcess('docker-compose', ['version', '--short']);
  if (version.code !== 0) throw new Error('docker-compose is missing: apt-get install docker-compose (.ci/run does)');
});

afterAll(async () => {
  await compose(['down', '--volumes', '--remove-orphans']).catch(() => undefined);
  if (runId !== '') await removeContainer(runId).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('export --format compose', () => {
  it('writes compose.yaml and the profile it names, and no credential', async () => {
    const r = await runCli([
      'export',
      '--format',
      'compose',
      '-o',
      join(dir, 'out'),
      '--name',
      'web',
      ...ARGS,
      TEST_IMAGE,
      ...COMMAND,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(join(dir, 'out', 'compose.yaml'), 'utf8');
    expect(text).toContain('seccomp=./strict.json');
    expect(text).not.toContain('tok-literal-value');
    expect(text).not.toContain('hunter2');
    expect(JSON.parse(readFileSync(join(dir, 'out', 'strict.json'), 'utf8'))).toEqual(
      JSON.parse(readFileSync(join(import.meta.dirname, '../../seccomp/strict.json'), 'utf8')),
    );
    expect(r.stderr).toContain('API_TOKEN looks like a credential');
    // Compose carries everything the strict plan sets.
    expect(r.stderr).not.toContain('cannot carry');
  });

  it('starts a container hardened exactly as safedock run does', async () => {
    const up = await compose(['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    const ps = await compose(['ps', '-q']);
    const composeId = ps.stdout.trim();
    expect(composeId).toMatch(/^[0-9a-f]{12,}$/);
    const run = await runCli(['run', '-d', ...ARGS, TEST_IMAGE, ...COMMAND]);
    expect(run.code, run.stderr).toBe(0);
    runId = run.stdout.trim();

    const a = (await inspectContainer<Inspected>(composeId)) as Inspected;
    const b = (await inspectContainer<Inspected>(runId)) as Inspected;
    const fields = [
      'CapAdd',
      'CapDrop',
      'Privileged',
      'ReadonlyRootfs',
      'Tmpfs',
      'Memory',
      'NanoCpus',
      'PidsLimit',
      'LogConfig',
      'Init',
      'MaskedPaths',
      'ReadonlyPaths',
      'Mounts',
    ];
    for (const f of fields) expect({ [f]: a.HostConfig[f] }).toEqual({ [f]: b.HostConfig[f] });
    expect(securityOpts(a.HostConfig.SecurityOpt)).toEqual(securityOpts(b.HostConfig.SecurityOpt));
    const bindings = (c: Inspected): unknown =>
      Object.fromEntries(
        Object.entries(c.HostConfig.PortBindings as Record<string, Array<{ HostIp: string }>>).map(([p, list]) => [
          p,
          list.map((x) => x.HostIp),
        ]),
      );
    expect(bindings(a)).toEqual(bindings(b));
    expect(a.Config.User).toBe(b.Config.User);
    // The credential reached the container from docker-compose's environment, not from the file.
    expect(a.Config.Env).toContain('API_TOKEN=tok-from-env');
    expect(a.Config.Env).toContain('MODE=prod');
    expect(a.Config.Env).toContain('GREETING=hello $USER ${HOME} $$');
    expect(a.Config.Labels.note).toBe('$HOME');
    expect(a.Config.Labels['<<']).toBe('merge');
    for (const e of ['TAB=a\tb', 'EQ==', 'MERGE=<<', 'BREAKS=a\u0085b\u2028c\u2029d\u007fe\ufefff']) {
      expect(a.Config.Env).toContain(e);
    }

    // Inside: the same process credentials and confinement.
    const [sa, sb] = [await status(composeId), await status(runId)];
    expect(sa).toEqual(sb);
    // A non-root user has no effective capability; the bounding set holds the one added back.
    expect(sa).toMatchObject({ NoNewPrivs: '1', Seccomp: '2', CapEff: '0000000000000000', CapBnd: '0000000000000400' });
    const secret = await runDocker(['exec', composeId, 'cat', '/run/secrets/db_password']);
    expect(secret.stdout).toBe('hunter2-in-a-file\n');
  });

  it('compose harden of the export changes nothing', async () => {
    const r = await runCli([
      'compose',
      'harden',
      '-f',
      join(dir, 'out', 'compose.yaml'),
      '-o',
      join(dir, 'out', 'override.yaml'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const override = readFileSync(join(dir, 'out', 'override.yaml'), 'utf8');
    expect(override).toMatch(/services:\s*\n\s+web: \{\}/);
  });

  it('down removes what up created', async () => {
    const down = await compose(['down', '--volumes']);
    expect(down.code, down.stderr).toBe(0);
    expect((await compose(['ps', '-q'])).stdout.trim()).toBe('');
  });
});
