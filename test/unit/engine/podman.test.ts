import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineFacts } from '../../../src/engine/engine-api.js';
import { podmanCreateBody, profileDir } from '../../../src/engine/podman.js';
import type { CreateBody } from '../../../src/api/create-body.js';

const PROFILE = '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}';
const local: EngineFacts = {
  kind: 'podman',
  engineVersion: '4.3.1',
  apiVersion: '1.41',
  rootless: false,
  cgroupVersion: '1',
  cgroupDriver: 'cgroupfs',
  socketPath: '/run/podman/podman.sock',
};

function body(host: Partial<CreateBody['HostConfig']>, extra: Partial<CreateBody> = {}): CreateBody {
  return {
    Image: 'img',
    Volumes: {},
    ...extra,
    HostConfig: { SecurityOpt: null, ReadonlyRootfs: false, Binds: null, ...host },
  } as unknown as CreateBody;
}

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});
function runtimeDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sd-podman-'));
  dirs.push(dir);
  return dir;
}

describe('podmanCreateBody: the seccomp profile as a file Podman can read', () => {
  it('writes the profile once, named by its SHA-256, and sends the path', () => {
    const env = { XDG_RUNTIME_DIR: runtimeDir() };
    const sent = podmanCreateBody(body({ SecurityOpt: ['no-new-privileges', `seccomp=${PROFILE}`] }), local, env);
    const options = sent.HostConfig.SecurityOpt ?? [];
    expect(options[0]).toBe('no-new-privileges');
    const file = (options[1] ?? '').replace(/^seccomp=/, '');
    expect(file).toMatch(new RegExp(`^${profileDir(env)}/[0-9a-f]{64}\\.json$`));
    expect(readFileSync(file, 'utf8')).toBe(PROFILE);
    // Only this user may list or change the folder.
    expect(statSync(profileDir(env)).mode & 0o777).toBe(0o700);
    // The same profile again: the same file, not rewritten.
    const mtime = statSync(file).mtimeMs;
    const again = podmanCreateBody(body({ SecurityOpt: [`seccomp=${PROFILE}`] }), local, env);
    expect(again.HostConfig.SecurityOpt).toEqual([`seccomp=${file}`]);
    expect(statSync(file).mtimeMs).toBe(mtime);
  });

  it('a file with that name but other content is replaced, never trusted', () => {
    const env = { XDG_RUNTIME_DIR: runtimeDir() };
    const sent = podmanCreateBody(body({ SecurityOpt: [`seccomp=${PROFILE}`] }), local, env);
    const file = (sent.HostConfig.SecurityOpt?.[0] ?? '').replace(/^seccomp=/, '');
    writeFileSync(file, '{"defaultAction":"SCMP_ACT_ALLOW"}');
    podmanCreateBody(body({ SecurityOpt: [`seccomp=${PROFILE}`] }), local, env);
    expect(readFileSync(file, 'utf8')).toBe(PROFILE);
  });

  it('unconfined, builtin and no seccomp option at all are sent as they are', () => {
    for (const options of [['seccomp=unconfined'], ['seccomp=builtin'], ['no-new-privileges'], null]) {
      const b = body({ SecurityOpt: options });
      expect(podmanCreateBody(b, local, {}).HostConfig.SecurityOpt).toEqual(options);
    }
  });

  it('a remote Podman is refused rather than run without the profile, and the profile is never printed', () => {
    const remote = { ...local, socketPath: undefined };
    const run = (): CreateBody => podmanCreateBody(body({ SecurityOpt: [`seccomp=${PROFILE}`] }), remote, {});
    expect(run).toThrow(/Podman on another machine/);
    expect(run).not.toThrow(/defaultAction/);
  });

  it('the folder: XDG_RUNTIME_DIR, else XDG_CACHE_HOME, else ~/.cache', () => {
    expect(profileDir({ XDG_RUNTIME_DIR: '/run/user/1000' })).toBe('/run/user/1000/safedock/seccomp');
    expect(profileDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/safedock/seccomp');
    expect(profileDir({ HOME: '/home/u' })).toBe('/home/u/.cache/safedock/seccomp');
    expect(profileDir({ XDG_RUNTIME_DIR: 'relative', HOME: '/home/u' })).toBe('/home/u/.cache/safedock/seccomp');
  });
});

describe('podmanCreateBody: --read-only stays read-only as with docker', () => {
  it('adds read-only tmpfs where Podman would mount writable ones', () => {
    const sent = podmanCreateBody(body({ ReadonlyRootfs: true, Tmpfs: { '/tmp': 'rw,noexec,size=64m' } }), local, {});
    expect(sent.HostConfig.Tmpfs).toEqual({
      '/tmp': 'rw,noexec,size=64m',
      '/var/tmp': 'ro,nosuid,nodev,noexec',
      '/run': 'ro,nosuid,nodev,noexec',
    });
  });
  it('a path the run mounts itself is left to that mount', () => {
    const sent = podmanCreateBody(
      body(
        {
          ReadonlyRootfs: true,
          Binds: ['/srv/run:/run:ro'],
          Mounts: [{ Type: 'volume', Source: 'v', Target: '/var/tmp/' }],
        },
        { Volumes: { '/tmp': {} } },
      ),
      local,
      {},
    );
    expect(sent.HostConfig.Tmpfs).toBeUndefined();
  });
  it('a writable root is not touched', () => {
    const b = body({ ReadonlyRootfs: false });
    expect(podmanCreateBody(b, local, {})).toBe(b);
  });
});
