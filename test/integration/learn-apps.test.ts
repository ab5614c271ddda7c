/**
 * Real server software from Debian packages (scripts/app-images.sh) under the default preset: it
 * dies of the hardening, the diagnosis names the path and the flag, one `safedock learn` in a fresh
 * folder writes a preset, and `safedock run` with it serves, still hardened.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  REPO_ROOT,
  TEST_LABEL,
  TEST_LABEL_ARGS,
  TRACER_IMAGE,
  inspectContainer,
  removeContainer,
  runCli,
  runDocker,
} from '../helpers/engine.js';

interface Inspect {
  State: { Running: boolean; ExitCode: number };
  Config: { User: string };
  HostConfig: { ReadonlyRootfs: boolean; CapDrop: string[] | null; SecurityOpt: string[] | null };
  NetworkSettings: { IPAddress: string; Networks: Record<string, { IPAddress: string }> };
}

interface App {
  image: string;
  probe: string;
  /** What the diagnosis must name: the path and the fixing flag. */
  path: string;
  flag: string;
  /** Whether the hardened run serves. */
  serves: (id: string, info: Inspect) => Promise<boolean>;
}

const http = async (_id: string, info: Inspect): Promise<boolean> => {
  try {
    // On a user-defined network (strict's isolated one) the address is per network only.
    const ip = info.NetworkSettings.IPAddress || Object.values(info.NetworkSettings.Networks)[0]?.IPAddress;
    const res = await fetch(`http://${ip ?? ''}/`, { signal: AbortSignal.timeout(2000) });
    return res.status === 200;
  } catch {
    return false;
  }
};

const APPS: readonly App[] = [
  {
    image: 'safedock-app-nginx',
    probe: 'http:80/',
    path: '/var/lib/nginx/body',
    flag: '--tmpfs /var/lib/nginx:uid=65534,gid=65534',
    serves: http,
  },
  {
    image: 'safedock-app-apache',
    probe: 'http:80/',
    path: '/var/run/apache2',
    flag: '--tmpfs /var/run/apache2:uid=65534,gid=65534',
    serves: http,
  },
  {
    image: 'safedock-app-postgres',
    probe: 'tcp:5432',
    path: '/var/lib/postgresql/15/main/postmaster.pid',
    flag: '-var-lib-postgresql-15-main:/var/lib/postgresql/15/main',
    serves: async (id) => (await runDocker(['exec', id, 'pg_isready', '-h', '127.0.0.1'])).code === 0,
  },
];

const containers: string[] = [];
const folders: string[] = [];
const volumes: string[] = [];

afterAll(async () => {
  for (const id of containers) await removeContainer(id);
  for (const v of volumes) await runDocker(['volume', 'rm', '-f', v]);
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function exited(id: string): Promise<Inspect> {
  let info: Inspect | undefined;
  await waitFor(async () => {
    info = await inspectContainer<Inspect>(id);
    return info?.State.Running === false;
  }, 10_000);
  if (info === undefined) throw new Error(`container ${id} is gone`);
  return info;
}

describe.each(APPS)('$image from Debian packages', (app) => {
  const folder = mkdtempSync(join(tmpdir(), 'safedock-learn-'));
  folders.push(folder);
  const env = { SAFEDOCK_PRESET: undefined, CI: 'true' };

  it('dies under the default preset, and the diagnosis names the path and the flag', async () => {
    const run = await runCli(['run', '-d', ...TEST_LABEL_ARGS, app.image], { cwd: folder, env });
    expect(run.code, run.stderr).toBe(0);
    const id = run.stdout.trim();
    containers.push(id);
    const info = await exited(id);
    expect(info.State.ExitCode).not.toBe(0);
    const diagnosis = await runCli(['diagnose', id], { cwd: folder, env });
    expect(diagnosis.code, diagnosis.stderr).toBe(0);
    expect(diagnosis.stdout).toContain(app.path);
    expect(diagnosis.stdout).toContain(app.flag);
    // The image's own default command is not repeated: the line has the user's arguments only.
    expect(diagnosis.stdout).toContain(`learn:   safedock learn ${app.image}\n`);
  });

  it('safedock learn --yes writes a preset under which safedock run serves, hardened', async () => {
    const learnt = await runCli(['learn', '--yes', '--probe', app.probe, ...TEST_LABEL_ARGS, app.image], {
      cwd: folder,
      env,
      timeoutMs: 120_000,
    });
    expect(learnt.code, `${learnt.stdout}\n${learnt.stderr}`).toBe(0);
    const name = app.image;
    const preset = readFileSync(join(folder, '.safedock', 'presets', `${name}.yaml`), 'utf8');
    expect(preset).toContain('extends: strict');
    expect(readFileSync(join(folder, '.safedock.yaml'), 'utf8')).toContain(`preset: ${name}`);
    for (const m of preset.matchAll(/^\s*- (\S+):\/var\/lib\/postgresql/gm)) if (m[1]) volumes.push(m[1]);
    if (app.image.includes('postgres'))
      expect(volumes).toContain(`${basename(folder).toLowerCase()}-var-lib-postgresql-15-main`);
    // learn removed every container it started (its trials carry this run's test label too)
    const left = await runDocker(['ps', '-aq', '--filter', 'label=safedock.learn', '--filter', `label=${TEST_LABEL}`]);
    expect(left.stdout.trim()).toBe('');

    const run = await runCli(['run', '-d', '-p', '127.0.0.1::80', ...TEST_LABEL_ARGS, app.image], { cwd: folder, env });
    expect(run.code, run.stderr).toBe(0);
    const id = run.stdout.trim();
    containers.push(id);
    let info = await inspectContainer<Inspect>(id);
    expect(await waitFor(async () => info !== undefined && (await app.serves(id, info)), 15_000)).toBe(true);
    info = await inspectContainer<Inspect>(id);
    expect(info?.State.Running).toBe(true);
    expect(info?.HostConfig.ReadonlyRootfs).toBe(true);
    expect(info?.Config.User).not.toMatch(/^(|0|root)(:.*)?$/);
    expect(info?.HostConfig.CapDrop).toContain('ALL');
    expect(info?.HostConfig.SecurityOpt).toContain('no-new-privileges');
    expect(info?.HostConfig.SecurityOpt?.some((o) => o.startsWith('seccomp='))).toBe(true);
  });
});

describe("safedock run in the foreground: the diagnosis after the container's own output", () => {
  const folder = mkdtempSync(join(tmpdir(), 'safedock-diagnosis-'));
  folders.push(folder);
  const env = { SAFEDOCK_PRESET: undefined, SAFEDOCK_QUIET: undefined, CI: 'true' };
  const image = 'safedock-app-nginx';

  it("nginx under strict dies; stderr ends with the block naming /var/lib/nginx and the flag; the exit code is docker's", async () => {
    const run = await runCli(['run', '--rm', ...TEST_LABEL_ARGS, image], { cwd: folder, env, timeoutMs: 60_000 });
    // The same container by the docker CLI: strict's settings as docker run flags.
    const docker = await runDocker([
      'run',
      '--rm',
      ...TEST_LABEL_ARGS,
      '--read-only',
      '--user',
      '65534:65534',
      '--cap-drop',
      'ALL',
      '--security-opt',
      'no-new-privileges',
      '--security-opt',
      `seccomp=${join(REPO_ROOT, 'seccomp', 'strict.json')}`,
      '--tmpfs',
      '/tmp:rw,noexec,nosuid,nodev,size=64m',
      image,
    ]);
    expect(docker.code).not.toBe(0);
    expect(run.code).toBe(docker.code);
    expect(run.stdout).toBe(docker.stdout);

    const emerg = /^.*\[emerg\].*mkdir\(\) "\/var\/lib\/nginx\/body" failed \(30: Read-only file system\)$/m;
    expect(docker.stderr).toMatch(emerg);
    const block = run.stderr.indexOf('safedock: the container exited');
    expect(block, run.stderr).toBeGreaterThan(0);
    // The container's own lines come first, untouched; the block is the last thing printed.
    expect(run.stderr.slice(0, block)).toMatch(emerg);
    const text = run.stderr.slice(block);
    expect(text).toContain(
      `safedock: the container exited ${String(docker.code)}, and its output points at the hardening:\n`,
    );
    expect(text).toContain('  cause:   /var/lib/nginx/body cannot be written: the root filesystem is read-only\n');
    expect(text).toContain('  setting: --read-only from preset strict (presets/strict.yaml: settings.read-only)\n');
    expect(text).toContain('  fix:     --tmpfs /var/lib/nginx:uid=65534,gid=65534\n');
    expect(text).toContain(`  learn:   safedock learn --label ${TEST_LABEL} ${image}\n`);
    expect(text.trimEnd().split('\n')).toHaveLength(6);
  });

  it('-q (and SAFEDOCK_QUIET) silence the block; the exit code stays', async () => {
    const quiet = await runCli(['run', '--rm', '-q', ...TEST_LABEL_ARGS, image], { cwd: folder, env });
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toMatch(/\[emerg\]/);
    expect(quiet.stderr).not.toContain('safedock:');
    const byEnv = await runCli(['run', '--rm', ...TEST_LABEL_ARGS, image], {
      cwd: folder,
      env: { ...env, SAFEDOCK_QUIET: '1' },
    });
    expect(byEnv.code).toBe(1);
    expect(byEnv.stderr).not.toContain('points at the hardening');
  });
});

describe("a system call safedock's profile refuses and the engine's default allows (ptrace)", () => {
  const folder = mkdtempSync(join(tmpdir(), 'safedock-learn-seccomp-'));
  folders.push(folder);
  const env = { SAFEDOCK_PRESET: undefined, SAFEDOCK_QUIET: undefined, CI: 'true' };
  const name = 'tracer';

  it('the run dies, and the diagnosis points at the profile with ptrace added back, not at seccomp off', async () => {
    const run = await runCli(['run', '--rm', ...TEST_LABEL_ARGS, TRACER_IMAGE], { cwd: folder, env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ptrace: Operation not permitted\n');
    expect(run.stderr).toContain(
      "  cause:   the system call ptrace was refused: the run's seccomp profile does not allow it (the engine's default profile does)\n",
    );
    expect(run.stderr).toContain(
      '  setting: --security-opt seccomp=strict.json from preset strict (presets/strict.yaml: settings.security-opt)\n',
    );
    expect(run.stderr).toContain('  fix:     the same profile with ptrace allowed (safedock learn writes it)\n');
    // The engine's own default lets the same program trace its child.
    const docker = await runDocker(['run', '--rm', ...TEST_LABEL_ARGS, TRACER_IMAGE]);
    expect(docker.code, docker.stderr).toBe(0);
  });

  it('learn writes strict.json plus ptrace next to the preset; the run then works with seccomp on', async () => {
    const learnt = await runCli(['learn', '--yes', '--name', name, ...TEST_LABEL_ARGS, TRACER_IMAGE], {
      cwd: folder,
      env,
      timeoutMs: 120_000,
    });
    expect(learnt.code, `${learnt.stdout}\n${learnt.stderr}`).toBe(0);
    expect(learnt.stdout).not.toContain('unconfined');
    const presetDir = join(folder, '.safedock', 'presets');
    const preset = readFileSync(join(presetDir, `${name}.yaml`), 'utf8');
    expect(preset).toContain(`- seccomp=${name}.seccomp.json`);
    const strict = JSON.parse(readFileSync(join(REPO_ROOT, 'seccomp', 'strict.json'), 'utf8')) as {
      syscalls: Array<{ names: string[]; action: string }>;
    };
    const derived = JSON.parse(readFileSync(join(presetDir, `${name}.seccomp.json`), 'utf8')) as typeof strict;
    expect(derived.syscalls.slice(0, -1).map((r) => r.names)).toEqual(strict.syscalls.map((r) => r.names));
    expect(derived.syscalls.at(-1)).toMatchObject({ names: ['ptrace'], action: 'SCMP_ACT_ALLOW' });
    const check = await runCli(['seccomp', 'check', join(presetDir, `${name}.seccomp.json`)], { cwd: folder, env });
    expect(check.code, check.stdout + check.stderr).toBe(0);

    const run = await runCli(['run', '--rm', ...TEST_LABEL_ARGS, TRACER_IMAGE], { cwd: folder, env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('traced\n');
    const status = await runCli(['run', '--rm', ...TEST_LABEL_ARGS, TRACER_IMAGE, 'cat', '/proc/self/status'], {
      cwd: folder,
      env,
    });
    expect(status.stdout).toMatch(/^Seccomp:\s+2$/m);
    expect(status.stdout).toMatch(/^NoNewPrivs:\s+1$/m);
    expect(status.stdout).toMatch(/^CapEff:\s+0+$/m);
    // Still refused: what the profile refused apart from ptrace (unshare, the mount family).
    const unshare = await runCli(['run', '--rm', ...TEST_LABEL_ARGS, TRACER_IMAGE, 'unshare', '-r', 'true'], {
      cwd: folder,
      env,
    });
    expect(unshare.code).not.toBe(0);
  });
});
