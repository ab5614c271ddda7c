/**
 * The ways around the risk policy of issue #12, tried on the real engine in the scripted case
 * (CI=1, no terminal: a refusal is the only protection). Every refusal is proven to come before
 * any create or pull: `safedock run` talks to the engine through a recording proxy, and the test
 * checks what reached it. The only container a run may create before judging is the never-started
 * one that reads the image's /etc/passwd (labelled io.safedock.facts), and it is gone afterwards.
 * Accepted runs then show the effect the finding was about.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  chmodSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_IMAGE,
  TEST_LABEL,
  TEST_LABEL_ARGS,
  dockerJson,
  engineSocket,
  inspectContainer,
  listContainers,
  removeContainer,
  runCli,
  runDocker,
  type RunResult,
} from '../helpers/engine.js';
import { startRecordingProxy, type RecordedRequest, type RecordingProxy } from '../helpers/recording-proxy.js';

let dir: string;
let proxy: RecordingProxy;
/** Images and volumes this file creates, removed at the end by name. */
let accountsImage = '';
const volumes: string[] = [];
const containers: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'safedock-ways-'));
  chmodSync(dir, 0o755);
  proxy = await startRecordingProxy(join(dir, 'engine.sock'), engineSocket(), { forwardCreates: true });
  // An image whose /etc/passwd names root under other names, and whose USER is one of them.
  const context = join(dir, 'accounts-image');
  mkdirSync(context);
  writeFileSync(
    join(context, 'passwd'),
    [
      'root:x:0:0:root:/root:/bin/sh',
      'toor:x:0:0::/root:/bin/sh',
      'nobody:x:0:0::/:/bin/sh',
      'app:x:0:0::/app:/bin/sh',
      'wrap:x:4294967296:100::/:/bin/sh',
      'odd:x:abc:100::/:/bin/sh',
      'web:x:1000:1000::/srv:/bin/sh',
    ].join('\n') + '\n',
  );
  writeFileSync(join(context, 'group'), ['root:x:0:', 'shadow:x:42:', 'web:x:1000:'].join('\n') + '\n');
  writeFileSync(
    join(context, 'Dockerfile'),
    `FROM ${TEST_IMAGE}\nCOPY passwd /etc/passwd\nCOPY group /etc/group\nUSER app\nLABEL ${TEST_LABEL}\n`,
  );
  accountsImage = `safedock-test-accounts-${randomUUID().slice(0, 8)}:latest`;
  const built = spawnSync('docker', ['build', '-q', '-t', accountsImage, context], {
    env: { ...process.env, DOCKER_BUILDKIT: '0' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (built.status !== 0) throw new Error(`docker build of the accounts image failed: ${built.stderr}${built.stdout}`);
}, 180_000);

afterAll(async () => {
  await proxy.close();
  for (const id of containers) await removeContainer(id);
  for (const name of volumes) await dockerJson(`/volumes/${name}?force=1`, { method: 'DELETE' }).catch(() => undefined);
  if (accountsImage !== '') await dockerJson(`/images/${accountsImage}`, { method: 'DELETE' }).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

/** A run through the proxy, scripted: CI=1, no terminal. Returns what reached the engine. */
async function scripted(
  args: readonly string[],
  opts: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<RunResult & { sent: RecordedRequest[] }> {
  const from = proxy.requests.length;
  const r = await runCli(['run', ...TEST_LABEL_ARGS, ...args], {
    cwd: opts.cwd ?? dir,
    env: {
      CI: '1',
      DOCKER_HOST: `unix://${proxy.socketPath}`,
      SAFEDOCK_POLICY: undefined,
      SAFEDOCK_PRESET: undefined,
      ...opts.env,
    },
    timeoutMs: 60_000,
  });
  return { ...r, sent: proxy.requests.slice(from) };
}

const path = (r: RecordedRequest): string => r.path.replace(/^\/v[\d.]+/, '');

/** What a request changes on the engine: creates, pulls, starts, volume creations (not reads). */
function changes(sent: readonly RecordedRequest[]): string[] {
  const facts = (r: RecordedRequest): boolean =>
    path(r).startsWith('/containers/create') &&
    (r.body as { Labels?: Record<string, string> } | null)?.Labels?.['io.safedock.facts'] === 'accounts';
  // The facts container's removal: a DELETE of a container by its full id.
  const cleanup = (r: RecordedRequest): boolean =>
    r.method === 'DELETE' && /^\/containers\/[0-9a-f]{64}\?/.test(path(r));
  return sent
    .filter((r) => r.method !== 'GET' && r.method !== 'HEAD' && !facts(r) && !cleanup(r))
    .map((r) => `${r.method} ${path(r)}`);
}

/**
 * Requests other than the reads a run sends while it converts the flags and reads the preset (who
 * the engine is, and the image's facts when it is there: src/cli/run-main.ts connectEarly). A
 * refusal judged without the engine may come after those, never after anything else.
 */
function beyondEarlyReads(sent: readonly RecordedRequest[]): string[] {
  const early = (r: RecordedRequest): boolean =>
    r.method === 'GET' && /^\/(_ping|version|info|images\/[^/]+\/json)$/.test(path(r).split('?')[0] ?? '');
  return sent.filter((r) => !early(r)).map((r) => `${r.method} ${path(r)}`);
}

/** stderr with its lines joined: findings wrap at 80 columns on a pipe. */
const flat = (text: string): string => text.replace(/\s*\n\s*/g, ' ');

function refusedBeforeAnything(r: RunResult & { sent: RecordedRequest[] }, rule: string): void {
  expect(r.code, r.stderr).toBe(125);
  // A finding shows its key: the rule id, then `:ITEM` for a per-item rule (SD134:/p); a key too
  // long to share its line (a temporary folder's path) ends its line.
  expect(r.stderr).toMatch(new RegExp(`\\n\\s+${rule}(:\\S+)?\\s`));
  expect(r.stderr).toContain('safedock: refused:');
  expect(changes(r.sent)).toEqual([]);
}

/** A volume created on the engine for a test, labelled and removed at the end. */
async function volume(options: Record<string, string>): Promise<string> {
  const name = `safedock-test-${randomUUID().slice(0, 12)}`;
  await dockerJson('/volumes/create', {
    method: 'POST',
    body: { Name: name, Driver: 'local', DriverOpts: options, Labels: { 'safedock.test': TEST_LABEL.split('=')[1] } },
  });
  volumes.push(name);
  return name;
}

/** A container created (never started) on the engine, labelled and removed at the end. */
async function container(args: readonly string[]): Promise<string> {
  const name = `safedock-test-${randomUUID().slice(0, 12)}`;
  const r = await runDocker(['create', '--name', name, ...TEST_LABEL_ARGS, ...args, TEST_IMAGE, 'true']);
  if (r.code !== 0) throw new Error(`docker create failed: ${r.stderr}`);
  containers.push(r.stdout.trim());
  return name;
}

describe('1. host file systems through volume options', () => {
  it.each([
    [['--mount', 'type=volume,dst=/h,volume-opt=type=ext4,volume-opt=device=/dev/vda'], 'SD134'],
    [['--mount', 'type=volume,dst=/p,volume-opt=type=proc,volume-opt=device=proc'], 'SD134'],
    [['--mount', 'type=volume,src=sdproc,dst=/p,volume-opt=type=proc,volume-opt=device=proc'], 'SD134'],
    [['--mount', 'type=volume,dst=/s,volume-opt=type=sysfs,volume-opt=device=sysfs'], 'SD134'],
    [
      ['--mount', 'type=volume,dst=/o,volume-opt=type=overlay,volume-opt=device=overlay,"volume-opt=o=lowerdir=/etc"'],
      'SD121',
    ],
    [['--mount', 'type=volume,dst=/x,volume-opt=type=none,volume-opt=o=bind,volume-opt=device=/var/run'], 'SD102'],
    [['--mount', 'type=volume,dst=/x,volume-opt=type=zzfs,volume-opt=device=x'], 'SD135'],
    // ro then rw: the engine mounts it writable (its options are matched exactly, in order).
    [
      [
        '--preset',
        'compat',
        '--mount',
        'type=volume,dst=/h,volume-opt=type=none,"volume-opt=o=bind,ro,rw",volume-opt=device=/usr/local/share',
      ],
      'SD120',
    ],
    [
      [
        '--preset',
        'compat',
        '--mount',
        'type=volume,dst=/h,volume-opt=type=none,"volume-opt=o=bind,RO",volume-opt=device=/usr/local/share',
      ],
      'SD120',
    ],
  ])('%j: refused, nothing created', async (flags, rule) => {
    refusedBeforeAnything(await scripted(['--rm', ...flags, TEST_IMAGE, 'true']), rule);
  });

  it('a named volume created earlier with such options (docker volume create --opt) is judged by its options', async () => {
    const proc = await volume({ type: 'proc', device: 'proc' });
    const run = await volume({ type: 'none', o: 'bind', device: '/var/run' });
    refusedBeforeAnything(await scripted(['--rm', '-v', `${proc}:/p`, TEST_IMAGE, 'true']), 'SD134');
    refusedBeforeAnything(
      await scripted(['--rm', '--mount', `source=${run},target=/r,readonly`, TEST_IMAGE, 'true']),
      'SD102',
    );
  });

  it('a chain of joined containers is followed to the host, and one deeper than safedock follows is refused', async () => {
    // The engine lets a container join one that joins another: each link here shares the host's PIDs.
    let prev = await container(['--pid', 'host']);
    const chain = [prev];
    for (let i = 0; i < 6; i++) {
      prev = await container(['--pid', `container:${prev}`]);
      chain.push(prev);
    }
    const near = await scripted(['--rm', '--pid', `container:${chain[2] ?? ''}`, TEST_IMAGE, 'true']);
    refusedBeforeAnything(near, 'SD104');
    refusedBeforeAnything(
      await scripted(['--rm', '--pid', `container:/${chain[2] ?? ''}`, TEST_IMAGE, 'true']),
      'SD104',
    );
    const deep = await scripted(['--rm', '--pid', `container:${chain[6] ?? ''}`, TEST_IMAGE, 'true']);
    refusedBeforeAnything(deep, 'SD135');
    expect(deep.stderr).toContain('more than 5 containers deep');
  });

  it('--volumes-from a container holding the engine socket or such a volume is judged by what it holds', async () => {
    const sock = await container(['-v', '/var/run/docker.sock:/var/run/docker.sock']);
    const proc = await container(['-v', `${await volume({ type: 'proc', device: 'proc' })}:/p`]);
    const r = await scripted(['--rm', '--volumes-from', `${sock}:ro`, TEST_IMAGE, 'true']);
    refusedBeforeAnything(r, 'SD102');
    expect(flat(r.stderr)).toContain(`container ${sock}'s mount /var/run/docker.sock is the Docker socket`);
    refusedBeforeAnything(await scripted(['--rm', '--volumes-from', proc, TEST_IMAGE, 'true']), 'SD134');
    // The engine takes a name with its leading slash (as inspect shows it): judged the same.
    refusedBeforeAnything(await scripted(['--rm', '--volumes-from', `/${sock}`, TEST_IMAGE, 'true']), 'SD102');
    refusedBeforeAnything(await scripted(['--rm', '--volumes-from', `/no-such-${sock}`, TEST_IMAGE, 'true']), 'SD135');
  });

  it("accepted on the command line, a proc volume is the host's process tree (what SD134 is about)", async () => {
    const r = await runCli(
      [
        'run',
        '--rm',
        ...TEST_LABEL_ARGS,
        '--mount',
        'type=volume,dst=/hostproc,volume-opt=type=proc,volume-opt=device=proc',
        '--accept',
        'SD134:/hostproc',
        '--reason',
        'test: show the effect',
        TEST_IMAGE,
        'sh',
        '-c',
        'cat /hostproc/1/comm; ls /hostproc | grep -c "^[0-9]"; ls /proc | grep -c "^[0-9]"',
      ],
      { env: { CI: '1' } },
    );
    expect(r.code, r.stderr).toBe(0);
    const [comm, hostCount, ownCount] = r.stdout.trim().split('\n');
    // The container's own PID 1 is sh; the volume shows the host's PID 1 and many more processes.
    expect(comm).not.toBe('sh');
    expect(Number(hostCount)).toBeGreaterThan(Number(ownCount) + 5);
  });
});

describe('2. seccomp off by the profile contents', () => {
  it.each([
    ['null', 'null'],
    ['case', '{"defaultAction":"SCMP_ACT_ERRNO","DefaultAction":"SCMP_ACT_ALLOW"}'],
    ['empty', '{"defaultAction":"SCMP_ACT_ERRNO","DefaultAction":""}'],
  ])('a %s profile is refused, nothing created', async (name, text) => {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, text);
    refusedBeforeAnything(await scripted(['--rm', '--security-opt', `seccomp=${file}`, TEST_IMAGE, 'true']), 'SD114');
  });

  it('accepted, the engine indeed reads them as no filter or an allow-all one', async () => {
    const run = async (text: string, name: string): Promise<RunResult> => {
      const file = join(dir, `${name}-accepted.json`);
      writeFileSync(file, text);
      return runCli(
        [
          'run',
          '--rm',
          ...TEST_LABEL_ARGS,
          '--security-opt',
          `seccomp=${file}`,
          '--accept',
          'SD114',
          '--reason',
          'test',
          TEST_IMAGE,
          'grep',
          'Seccomp:',
          '/proc/self/status',
        ],
        { env: { CI: '1' } },
      );
    };
    const off = await run('null', 'null');
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout).toMatch(/Seccomp:\s+0/);
    const empty = await run('{"defaultAction":"SCMP_ACT_ERRNO","DefaultAction":""}', 'empty');
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toMatch(/Seccomp:\s+0/);
    // Read as JSON.parse reads it, this profile refuses every call and nothing could even start;
    // the engine keeps the last key, allows everything, and the command runs.
    const allow = await run('{"defaultAction":"SCMP_ACT_ERRNO","DefaultAction":"SCMP_ACT_ALLOW"}', 'allow');
    expect(allow.code, allow.stderr).toBe(0);
    expect(allow.stdout).toMatch(/Seccomp:\s+2/);
  });
});

describe('a network share with a password', () => {
  it('the engine fails to mount it here; its error reaches the user without the password, nothing stays', async () => {
    const label = `safedock.cifs=${randomUUID().slice(0, 8)}`;
    const r = await runCli(
      [
        'run',
        '--rm',
        ...TEST_LABEL_ARGS,
        '--label',
        label,
        '--mount',
        // A password with a space, a quote (doubled in docker's --mount syntax) and a colon.
        'type=volume,dst=/n,volume-opt=type=cifs,volume-opt=device=//127.0.0.1/share,"volume-opt=o=username=bob,password=Kx7 Wq""9Jv:Pz"',
        TEST_IMAGE,
        'true',
      ],
      { env: { CI: '1' } },
    );
    // Medium (SD137): a scripted run goes ahead, and the engine (no cifs here) fails the mount.
    expect(r.code, r.stderr).not.toBe(0);
    expect(r.stderr).toContain('SD137');
    expect(r.stderr).toContain('password=********');
    // The engine's own reason stays; no part of the password is shown.
    expect(r.stderr).toMatch(/data: username=bob,password=\*{8}: no such device/);
    for (const part of ['Kx7', 'Wq', '9Jv', 'Pz']) expect(r.stderr + r.stdout).not.toContain(part);
    expect(await listContainers(label)).toEqual([]);
  });
});

describe('a host disk as a device', () => {
  it('is critical: refused in CI even under warn, and a project file cannot accept it', async () => {
    const warn = await scripted(['--rm', '--device', '/dev/vda', TEST_IMAGE, 'true'], {
      env: { SAFEDOCK_POLICY: 'warn' },
    });
    refusedBeforeAnything(warn, 'SD123');
    const project = mkdtempSync(join(dir, 'disk-'));
    writeFileSync(join(project, '.safedock.yaml'), 'accept:\n  SD123: the backup tool reads the disk\n');
    const filed = await scripted(['--rm', '--device', '/dev/vda', TEST_IMAGE, 'true'], { cwd: project });
    refusedBeforeAnything(filed, 'SD123');
  });
});

describe('2b. seccomp open by name: a refusing default with escape calls allowed', () => {
  // safedock's own profile with one rule more: unshare for every caller.
  const openProfile = (): string => {
    const profile = JSON.parse(readFileSync(join(process.cwd(), 'seccomp', 'strict.json'), 'utf8')) as {
      syscalls: unknown[];
    };
    profile.syscalls.push({ names: ['unshare'], action: 'SCMP_ACT_ALLOW' });
    const file = join(dir, 'open-unshare.json');
    writeFileSync(file, JSON.stringify(profile));
    return file;
  };

  it('is refused before anything is created', async () => {
    refusedBeforeAnything(
      await scripted(['--rm', '--security-opt', `seccomp=${openProfile()}`, TEST_IMAGE, 'true']),
      'SD114',
    );
  });

  it('a refusing rule equal to the default before the allow does not hide it (runc drops such a rule)', async () => {
    const profile = JSON.parse(readFileSync(join(process.cwd(), 'seccomp', 'strict.json'), 'utf8')) as {
      defaultAction: string;
      defaultErrnoRet?: number;
      syscalls: unknown[];
    };
    profile.syscalls.push(
      { names: ['unshare'], action: profile.defaultAction, errnoRet: profile.defaultErrnoRet },
      { names: ['unshare'], action: 'SCMP_ACT_ALLOW' },
    );
    const file = join(dir, 'shadowed-unshare.json');
    writeFileSync(file, JSON.stringify(profile));
    refusedBeforeAnything(await scripted(['--rm', '--security-opt', `seccomp=${file}`, TEST_IMAGE, 'true']), 'SD114');
    const accepted = await runCli(
      [
        'run',
        '--rm',
        ...TEST_LABEL_ARGS,
        '--security-opt',
        `seccomp=${file}`,
        '--accept',
        'SD114',
        '--reason',
        'test',
        TEST_IMAGE,
        'unshare',
        '-U',
        'true',
      ],
      { env: { CI: '1' } },
    );
    // The engine indeed lets the call through: the finding was real.
    expect(accepted.code, accepted.stderr).toBe(0);
  });

  it("accepted, the container indeed makes a user namespace that safedock's own profile refuses", async () => {
    const unshare = (extra: string[]): Promise<RunResult> =>
      runCli(['run', '--rm', ...TEST_LABEL_ARGS, ...extra, TEST_IMAGE, 'unshare', '-U', 'true'], {
        env: { CI: '1' },
      });
    const open = await unshare(['--security-opt', `seccomp=${openProfile()}`, '--accept', 'SD114', '--reason', 'test']);
    expect(open.code, open.stderr).toBe(0);
    const strict = await unshare([]);
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toContain('Operation not permitted');
  });
});

describe('3. root by name', () => {
  it.each([
    [['-u', 'toor'], 'SD118'],
    [['-u', 'nobody'], 'SD118'],
    [['-u', 'wrap'], 'SD118'],
    [['-u', 'odd'], 'SD118'],
    [['--preset', 'none', '--pids-limit', '10', '--memory', '64m', '--cpus', '1'], 'SD118'],
    [['-u', 'web', '--group-add', 'shadow'], 'SD138'],
    [['-u', 'web', '--group-add', '0'], 'SD138'],
    [['-u', 'web:root'], 'SD138'],
  ])('%j: refused; only the never-started facts container was created, and it is gone', async (flags, rule) => {
    const r = await scripted(['--rm', ...flags, accountsImage, 'id', '-u']);
    refusedBeforeAnything(r, rule);
    const facts = r.sent.filter((x) => path(x).startsWith('/containers/create'));
    expect(facts).toHaveLength(1);
    expect(r.sent.some((x) => /\/start/.test(path(x)))).toBe(false);
    expect(await listContainers('io.safedock.facts')).toEqual([]);
  });

  it("the engine socket's group is refused", async () => {
    const gid = statSync(engineSocket()).gid;
    refusedBeforeAnything(
      await scripted(['--rm', '-u', 'web', '--group-add', String(gid), accountsImage, 'true']),
      'SD138',
    );
  });

  it('accepted, the name is uid 0 indeed; strict replaces the image USER that is root by another name', async () => {
    const r = await runCli(
      [
        'run',
        '--rm',
        ...TEST_LABEL_ARGS,
        '-u',
        'toor',
        '--accept',
        'SD118',
        '--reason',
        'test',
        accountsImage,
        'id',
        '-u',
      ],
      {
        env: { CI: '1' },
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('0\n');
    const strict = await runCli(['run', '--rm', ...TEST_LABEL_ARGS, accountsImage, 'id', '-u'], { env: { CI: '1' } });
    expect(strict.code, strict.stderr).toBe(0);
    expect(strict.stdout).toBe('65534\n');
    expect(strict.stderr).toContain(
      'the image runs as "app", which its /etc/passwd maps to uid 0; running it as 65534:65534',
    );
  });
});

describe('4. host namespaces through a joined container', () => {
  it.each([
    [['--pid', 'host'], '--pid', 'SD104'],
    [['--ipc', 'host'], '--ipc', 'SD105'],
    [['--network', 'host'], '--network', 'SD106'],
  ])('a container created with %j, joined with %s container:X, raises %s; nothing created', async (own, flag, rule) => {
    const x = await container([...own]);
    const r = await scripted(['--rm', flag, `container:${x}`, TEST_IMAGE, 'true']);
    refusedBeforeAnything(r, rule);
    expect(flat(r.stderr)).toContain(`through container ${x}`);
  });
});

describe('5. project files as a way in', () => {
  it('a planted project preset named strict cannot make a plain run privileged', async () => {
    const project = mkdtempSync(join(dir, 'project-'));
    writeFileSync(join(project, '.safedock.yaml'), '');
    mkdirSync(join(project, '.safedock', 'presets'), { recursive: true });
    writeFileSync(
      join(project, '.safedock', 'presets', 'strict.yaml'),
      'name: strict\nsummary: planted\nextends: strict\nsettings:\n  privileged:\n    value: true\n  pid:\n    value: host\naccept:\n  SD101: planted\n  SD104: planted\n',
    );
    const r = await scripted(['--rm', TEST_IMAGE, 'true'], { cwd: project });
    refusedBeforeAnything(r, 'SD101');
    expect(r.stderr).toContain('not the built-in strict: a file of that name replaces the built-in');
    expect(r.stderr).toContain('SD101 is critical: no preset or project file can accept it');
    // Only the reads a run sends while it converts the flags reached the engine: no pull, no create.
    expect(beyondEarlyReads(r.sent)).toEqual([]);
  });

  it('a project config others can write is ignored with a warning', async () => {
    const project = mkdtempSync(join(dir, 'shared-'));
    chmodSync(project, 0o777);
    writeFileSync(join(project, '.safedock.yaml'), 'preset: none\n');
    // Not through the proxy: the run attaches to the container, which the proxy does not relay.
    const r = await runCli(['run', '--rm', ...TEST_LABEL_ARGS, TEST_IMAGE, 'id', '-u'], {
      cwd: project,
      env: { CI: '1' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('65534\n');
    expect(r.stderr).toContain(`ignored the project config ${join(project, '.safedock.yaml')}`);
  });
});

describe('6. engine sockets and hard links', () => {
  it('a hard link to the engine socket under another name is the socket', async () => {
    // /tmp and /run share a file system here: a hard link to the engine socket is possible. It
    // lives only for this test (while it exists, every run looks through folders for it).
    const links = mkdtempSync(join(tmpdir(), 'safedock-links-'));
    chmodSync(links, 0o700);
    linkSync(engineSocket(), join(links, 'eng'));
    try {
      refusedBeforeAnything(await scripted(['--rm', '-v', `${join(links, 'eng')}:/e`, TEST_IMAGE, 'true']), 'SD102');
      refusedBeforeAnything(await scripted(['--rm', '-v', `${links}:/e:ro`, TEST_IMAGE, 'true']), 'SD102');
    } finally {
      unlinkSync(join(links, 'eng'));
      rmSync(links, { recursive: true, force: true });
    }
  });

  it("a hard link to any socket in the engines' run folders (containerd's debug socket, the metrics socket) is that engine's", async () => {
    const others = ['/run/docker/containerd/containerd-debug.sock', '/run/docker/metrics.sock'].filter((p) => {
      try {
        return statSync(p).isSocket();
      } catch {
        return false;
      }
    });
    // The engine started by scripts/engine.sh makes both; without them this test would prove nothing.
    expect(others.length).toBeGreaterThan(0);
    const links = mkdtempSync(join(tmpdir(), 'safedock-links-'));
    chmodSync(links, 0o700);
    try {
      for (const [i, socket] of others.entries()) {
        linkSync(socket, join(links, `s${i}`));
        refusedBeforeAnything(
          await scripted(['--rm', '-v', `${join(links, `s${i}`)}:/e`, TEST_IMAGE, 'true']),
          'SD102',
        );
      }
      refusedBeforeAnything(await scripted(['--rm', '-v', `${links}:/e:ro`, TEST_IMAGE, 'true']), 'SD102');
    } finally {
      rmSync(links, { recursive: true, force: true });
    }
  });

  it("a log driver pointed at the engine socket (the engine writes the container's output to it) is refused", async () => {
    const r = await scripted([
      '--rm',
      '--log-driver',
      'syslog',
      '--log-opt',
      `syslog-address=unix://${engineSocket()}`,
      TEST_IMAGE,
      'true',
    ]);
    refusedBeforeAnything(r, 'SD102');
    expect(r.stderr.replace(/\s+/g, ' ')).toContain('the engine writes every line the container prints to it');
  });

  it("an engine's run folder holds its sockets (containerd's shims), under compat too", async () => {
    refusedBeforeAnything(
      await scripted(['--rm', '--preset', 'compat', '-v', '/run/containerd:/c', TEST_IMAGE, 'true']),
      'SD102',
    );
    refusedBeforeAnything(await scripted(['--rm', '-v', '/run/docker/containerd:/c:ro', TEST_IMAGE, 'true']), 'SD102');
  });
});

describe('7. the check-then-mount race', () => {
  it('the engine gets the resolved path the policy judged', async () => {
    const real = mkdtempSync(join(dir, 'real-'));
    writeFileSync(join(real, 'marker'), 'judged\n');
    const link = join(dir, `alias-${randomUUID().slice(0, 8)}`);
    symlinkSync(real, link);
    const r = await runCli(
      ['run', '-d', ...TEST_LABEL_ARGS, '-v', `${link}:/data:ro`, TEST_IMAGE, 'cat', '/data/marker'],
      { env: { CI: '1' } },
    );
    expect(r.code, r.stderr).toBe(0);
    const id = r.stdout.trim();
    containers.push(id);
    expect(r.stderr).toContain(`the engine gets ${real}, the path the policy judged`);
    const c = await inspectContainer<{ HostConfig: { Binds: string[] } }>(id);
    expect(c?.HostConfig.Binds).toEqual([`${real}:/data:ro`]);
  });

  it('a symlink flipped between a safe folder and /etc never gets /etc into a run that goes ahead', async () => {
    const safe = mkdtempSync(join(dir, 'safe-'));
    chmodSync(safe, 0o755);
    writeFileSync(join(safe, 'hostname'), 'the-safe-folder\n', { mode: 0o644 });
    const link = join(dir, `flip-${randomUUID().slice(0, 8)}`);
    symlinkSync(safe, link);
    // Flips the link as fast as it can, for as long as the runs take; each flip is an atomic rename,
    // so the link always exists and points at one of the two.
    const flip = (to: string): string => `ln -sfn ${to} ${link}.new && mv -Tf ${link}.new ${link}`;
    const flipper = spawn('sh', ['-c', `while :; do ${flip('/etc')}; ${flip(safe)}; done`], { stdio: 'ignore' });
    try {
      const outcomes: string[] = [];
      for (let i = 0; i < 8; i++) {
        const r = await runCli(
          ['run', '--rm', ...TEST_LABEL_ARGS, '-v', `${link}:/x:ro`, TEST_IMAGE, 'cat', '/x/hostname'],
          {
            env: { CI: '1' },
          },
        );
        if (r.code === 0) {
          expect(r.stdout).toBe('the-safe-folder\n');
          outcomes.push('ran on the safe folder');
        } else {
          expect(r.code, r.stderr).toBe(125);
          expect(flat(r.stderr)).toMatch(/SD121:\S* .*\/etc/);
          outcomes.push('refused: /etc');
        }
      }
      expect(outcomes).toHaveLength(8);
    } finally {
      flipper.kill('SIGKILL');
    }
  }, 120_000);

  it('a path under a folder other users can write to is refused', async () => {
    const shared = mkdtempSync(join(dir, 'open-'));
    chmodSync(shared, 0o777);
    mkdirSync(join(shared, 'work'));
    refusedBeforeAnything(await scripted(['--rm', '-v', `${join(shared, 'work')}:/w`, TEST_IMAGE, 'true']), 'SD139');
  });
});

describe('8. HOME does not make protected folders ordinary', () => {
  it.each([
    ['/etc', ['-v', '/etc/shadow:/x:ro'], 'SD121'],
    ['/etc', ['-v', '/etc/cron.d:/x'], 'SD120'],
    ['/proc', ['-v', '/proc/1:/x:ro'], 'SD121'],
  ])('HOME=%s %j: refused', async (home, flags, rule) => {
    refusedBeforeAnything(await scripted(['--rm', ...flags, TEST_IMAGE, 'true'], { env: { HOME: home } }), rule);
  });
});

describe('10. judged before any pull or registry contact', () => {
  it('CI=1 safedock run --privileged missing-image sends nothing at all to the engine', async () => {
    const missing = `safedock-test-missing-${randomUUID().slice(0, 8)}:latest`;
    const r = await scripted(['--rm', '--privileged', missing, 'true']);
    refusedBeforeAnything(r, 'SD101');
    expect(beyondEarlyReads(r.sent)).toEqual([]);
    expect(r.sent.some((x) => path(x).startsWith('/images/create'))).toBe(false);
  });

  it('a refusal that needs the engine facts still comes before the pull', async () => {
    const proc = await volume({ type: 'proc', device: 'proc' });
    const missing = `safedock-test-missing-${randomUUID().slice(0, 8)}:latest`;
    const r = await scripted(['--rm', '-v', `${proc}:/p`, missing, 'true']);
    refusedBeforeAnything(r, 'SD134');
    expect(r.sent.some((x) => path(x).startsWith('/images/create'))).toBe(false);
  });

  it('apparmor=unconfined and no-new-privileges=false are high: refused', async () => {
    refusedBeforeAnything(
      await scripted(['--rm', '--security-opt', 'apparmor=unconfined', TEST_IMAGE, 'true']),
      'SD115',
    );
    refusedBeforeAnything(
      await scripted(['--rm', '--security-opt', 'no-new-privileges=false', TEST_IMAGE, 'true']),
      'SD117',
    );
  });
});
