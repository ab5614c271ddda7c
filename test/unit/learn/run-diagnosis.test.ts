import { describe, expect, it } from 'vitest';
import { parseRunArgv } from '../../../src/docker-cli/parse-argv.js';
import type { ImageFacts } from '../../../src/engine/engine.js';
import { resolvePreset } from '../../../src/presets/builtin.js';
import { convertUserFlags, finalize, plan } from '../../../src/run/pipeline.js';
import { diagnose } from '../../../src/learn/diagnose.js';
import { foregroundDiagnosis } from '../../../src/learn/run-diagnosis.js';
import { learnLineOf, ownCommand, planFacts, seccompRefusal } from '../../../src/learn/run-facts.js';
import { FakeEngine } from '../engine/fakes.js';

const ctx = { env: {}, cwd: '/work/shop', apiVersion: '1.41' };
const nginx: ImageFacts = {
  id: 'sha256:1',
  user: '',
  volumes: [],
  exposedPorts: ['80/tcp'],
  cmd: ['nginx', '-g', 'daemon off;'],
  entrypoint: [],
};
const DOCKER_20 = { kind: 'docker' as const, version: '20.10.24' };

async function planOf(argv: string[], image: ImageFacts = nginx) {
  const parsed = parseRunArgv(argv);
  const { user, secrets } = convertUserFlags(parsed, ctx);
  const runPlan = plan({ parsed, user, secrets, preset: await resolvePreset('strict') }, image, ctx);
  const { request } = finalize(runPlan, undefined, { apiVersion: '1.41' });
  return { parsed, runPlan, request };
}

describe('the diagnosis of a foreground run, from its plan', () => {
  it('nginx under strict: the path, the setting from the preset file, the flag, learn with the same arguments', async () => {
    const { parsed, runPlan, request } = await planOf(['--rm', '-p', '8080:80', '--name', 'web', 'safedock-app-nginx']);
    const facts = planFacts(runPlan, request, parsed, {
      cwd: ctx.cwd,
      engine: DOCKER_20,
      ids: { uid: 65534, gid: 65534 },
    });
    const d = diagnose(1, 'nginx: [emerg] mkdir() "/var/lib/nginx/body" failed (30: Read-only file system)\n', facts);
    expect(d?.cause).toBe('/var/lib/nginx/body cannot be written: the root filesystem is read-only');
    expect(d?.setting).toBe('--read-only from preset strict (presets/strict.yaml: settings.read-only)');
    expect(d?.fix).toBe('--tmpfs /var/lib/nginx:uid=65534,gid=65534');
    // --rm, -p and --name are learn's own business for each trial (--name would name the preset).
    expect(d?.learn).toBe('safedock learn safedock-app-nginx');
  });

  it('the user the image tailoring chose is named as such', async () => {
    const { parsed, runPlan, request } = await planOf(['img']);
    const facts = planFacts(runPlan, request, parsed, { cwd: ctx.cwd, engine: DOCKER_20, ids: undefined });
    const d = diagnose(1, 'touch: /srv/x: Permission denied\n', facts);
    expect(d?.setting).toBe(
      '--user 65534:65534 from image tailoring, preset strict (presets/strict.yaml: image.nonRootUser)',
    );
  });

  it('your own flag is named as yours', async () => {
    const { parsed, runPlan, request } = await planOf(['-u', '1000:1000', 'img']);
    const facts = planFacts(runPlan, request, parsed, {
      cwd: ctx.cwd,
      engine: DOCKER_20,
      ids: { uid: 1000, gid: 1000 },
    });
    expect(facts.setting('user')).toBe('--user 1000:1000 from your flags');
    expect(facts.setting('seccomp')).toBe(
      '--security-opt seccomp=strict.json from preset strict (presets/strict.yaml: settings.security-opt)',
    );
    expect(facts.setting('cap-drop')).toBe(
      '--cap-drop ALL from preset strict (presets/strict.yaml: settings.cap-drop)',
    );
  });

  it('a system call safedock refuses and the engine allows: the narrower profile, not seccomp off', async () => {
    const { parsed, runPlan, request } = await planOf(['tracer']);
    const line = 'ptrace: Operation not permitted';
    const on = (engine: { kind: 'docker' | 'podman'; version: string }) =>
      diagnose(1, `${line}\n`, planFacts(runPlan, request, parsed, { cwd: ctx.cwd, engine, ids: undefined }));
    const d = on(DOCKER_20);
    expect(d?.cause).toMatch(
      /ptrace was refused: the run's seccomp profile does not allow it \(the engine's default profile does\)/,
    );
    expect(d?.remedy).toBe('the same profile with ptrace allowed (safedock learn writes it)');
    expect(d?.fix).toBeUndefined();
    const uring = (engine: { kind: 'docker' | 'podman'; version: string }) =>
      diagnose(
        1,
        'io_uring_setup: Operation not permitted\n',
        planFacts(runPlan, request, parsed, { cwd: ctx.cwd, engine, ids: undefined }),
      );
    expect(uring(DOCKER_20)?.remedy).toBeDefined();
    expect(uring({ kind: 'docker', version: '25.0.3' })?.remedy).toBeUndefined();
    expect(uring({ kind: 'docker', version: '25.0.3' })?.cause).toMatch(/nor does the engine's default/);
    expect(uring({ kind: 'podman', version: '4.3.1' })?.remedy).toBeUndefined();
  });

  it('a system call the run’s profile allows is no diagnosis; neither is seccomp=unconfined', async () => {
    const { parsed, runPlan, request } = await planOf(['img']);
    const facts = planFacts(runPlan, request, parsed, { cwd: ctx.cwd, engine: DOCKER_20, ids: undefined });
    expect(diagnose(1, 'socket: Operation not permitted\n', facts)).toBeUndefined();
    expect(seccompRefusal(['seccomp=unconfined'])('ptrace')).toBeUndefined();
    expect(seccompRefusal(request.body.HostConfig.SecurityOpt ?? [])('ptrace')).toBe(true);
    expect(seccompRefusal(request.body.HostConfig.SecurityOpt ?? [])('read')).toBe(false);
  });
});

describe('the learn line', () => {
  it.each([
    [['img'], 'img', false],
    [['img', 'nginx', '-g', 'daemon off;'], "img nginx -g 'daemon off;'", false],
    [['-it', '--rm', '-d', '-p', '80:80', '-P', '--name', 'x', '--cidfile', '/c', 'img'], 'img', false],
    [
      ['-v', 'data:/data', '--read-only=false', '--cap-add', 'NET_ADMIN', 'img'],
      '--volume data:/data --read-only=false --cap-add NET_ADMIN img',
      false,
    ],
    [
      ['--preset', 'compat', '--secret', 'db=./pw', '--yes', '--policy', 'warn', 'img'],
      '--preset compat --secret db=./pw img',
      false,
    ],
    [['-e', 'TOKEN=hunter2', '-e', 'PLAIN', 'img'], "--env 'TOKEN=***' --env PLAIN img", true],
  ])('%j → %s', (argv, expected, hidden) => {
    const line = learnLineOf(parseRunArgv(argv));
    expect(line.args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a}'`)).join(' ')).toBe(expected);
    expect(line.hidden).toBe(hidden);
    expect(line.args.join(' ')).not.toContain('hunter2');
  });
});

describe('a container’s own command, apart from the image’s defaults', () => {
  const image = { cmd: ['nginx', '-g', 'daemon off;'], entrypoint: ['/entry.sh'] };
  it.each([
    ['the image’s defaults', ['/entry.sh'], ['nginx', '-g', 'daemon off;'], []],
    ['a command of yours', ['/entry.sh'], ['sh'], ['sh']],
    ['your entrypoint', ['/bin/sh', '-c'], ['echo hi'], ['--entrypoint', '/bin/sh', '-c', 'echo hi']],
    ['an emptied entrypoint', [], ['sh'], ['--entrypoint', '', 'sh']],
  ])('%s', (_what, entrypoint, cmd, expected) => {
    expect(ownCommand(entrypoint, cmd, image)).toEqual(expected);
  });
  it('without the image, the command as the container has it', () => {
    expect(ownCommand([], ['a', 'b'], undefined)).toEqual(['a', 'b']);
  });
});

describe('foregroundDiagnosis', () => {
  it('the block, with a hidden -e noted; nothing for an exit 0 or output that names no hardening', async () => {
    const { parsed, runPlan, request } = await planOf(['-e', 'PW=secret', 'safedock-app-nginx']);
    const engine = new FakeEngine();
    const output = 'nginx: [emerg] mkdir() "/var/lib/nginx/body" failed (30: Read-only file system)\n';
    const run = { engine, runPlan, request, parsed, cwd: ctx.cwd, id: 'c0ffee', exitCode: 1, output };
    const block = await foregroundDiagnosis(run);
    expect(block).toBe(
      [
        'safedock: the container exited 1, and its output points at the hardening:',
        '  seen:    nginx: [emerg] mkdir() "/var/lib/nginx/body" failed (30: Read-only file system)',
        '  cause:   /var/lib/nginx/body cannot be written: the root filesystem is read-only',
        '  setting: --read-only from preset strict (presets/strict.yaml: settings.read-only)',
        '  fix:     --tmpfs /var/lib/nginx:uid=65534,gid=65534',
        "  learn:   safedock learn --env 'PW=***' safedock-app-nginx   (the -e values are hidden: type them again)",
        '',
      ].join('\n'),
    );
    expect(block).not.toContain('secret');
    expect(await foregroundDiagnosis({ ...run, exitCode: 0 })).toBeUndefined();
    expect(await foregroundDiagnosis({ ...run, output: 'Segmentation fault\n' })).toBeUndefined();
  });

  it('a named user is looked up in the container; without one (--rm), the owner is left to fill in', async () => {
    const { parsed, runPlan, request } = await planOf(['-u', 'www-data', 'img']);
    const engine = new FakeEngine();
    const output = "mkdir: cannot create directory '/var/run/apache2': Read-only file system\n";
    const block = await foregroundDiagnosis({
      engine,
      runPlan,
      request,
      parsed,
      cwd: ctx.cwd,
      id: undefined,
      exitCode: 1,
      output,
    });
    expect(block).toContain('  fix:     --tmpfs /var/run/apache2:uid=UID,gid=GID\n');
  });
});
