import { describe, expect, it } from 'vitest';
import { changesFromApi, parseDiffText, writtenPaths } from '../../../src/learn/docker-diff.js';
import { diagnose, type DiagnosisFacts } from '../../../src/learn/diagnose.js';
import { settingOfPreset } from '../../../src/learn/hardening-setting.js';
import { fixesArgs, presetAdditions, type Fix } from '../../../src/learn/fixes.js';
import { folderFacts, followLinks } from '../../../src/learn/learn-loop.js';
import { planMounts, type FolderFacts } from '../../../src/learn/mount-plan.js';
import { resolveIds } from '../../../src/policy/image-accounts.js';
import { TarLister, type TarEntry } from '../../../src/learn/tar-entries.js';
import { parseLearnArgv, presetNameForImage } from '../../../src/learn/learn-argv.js';
import { parseProbe } from '../../../src/learn/probe.js';

const NGINX_DIFF = `C /run
A /run/nginx.pid
C /var
C /var/lib
C /var/lib/nginx
A /var/lib/nginx/body
A /var/lib/nginx/fastcgi
A /var/lib/nginx/proxy
`;

describe('docker diff', () => {
  it('reads the CLI letters and the API kinds alike, and refuses unknown ones', () => {
    expect(parseDiffText(NGINX_DIFF)).toHaveLength(8);
    expect(changesFromApi([{ Path: '/a', Kind: 1 }])).toEqual([{ kind: 'added', path: '/a' }]);
    expect(() => changesFromApi([{ Path: '/a', Kind: 7 }])).toThrow(/unknown kind 7/);
    expect(() => parseDiffText('X /a')).toThrow(/line 1/);
  });

  it('keeps the outermost write of each branch', () => {
    const written = writtenPaths(parseDiffText(`${NGINX_DIFF}A /run/apache2\nA /run/apache2/socks\nC /etc/x.conf\n`));
    expect(written.map((c) => c.path)).toEqual([
      '/etc/x.conf',
      '/run/apache2',
      '/run/nginx.pid',
      '/var/lib/nginx/body',
      '/var/lib/nginx/fastcgi',
      '/var/lib/nginx/proxy',
    ]);
  });
});

describe('planMounts', () => {
  const empty: FolderFacts = { exists: true };
  const data: FolderFacts = { exists: true, data: '/var/lib/postgresql/15/main/PG_VERSION' };
  it.each([
    [
      'nginx: a pid file in /run, folders side by side in an empty folder',
      [
        { path: '/run/nginx.pid', isDir: false },
        { path: '/var/lib/nginx/body', isDir: true },
        { path: '/var/lib/nginx/proxy', isDir: true },
      ],
      { '/run': empty, '/var/lib/nginx': empty },
      ['tmpfs /run', 'tmpfs /var/lib/nginx'],
    ],
    [
      'apache: folders of its own keep /run/lock visible',
      [
        { path: '/run/apache2', isDir: true },
        { path: '/run/lock/apache2', isDir: true },
        { path: '/var/log/apache2/error.log', isDir: false },
      ],
      { '/run': empty, '/run/lock': empty, '/var/log/apache2': empty },
      ['tmpfs /run/apache2', 'tmpfs /var/log/apache2', 'tmpfs /run/lock/apache2'],
    ],
    [
      'postgres: a data folder gets a volume, its socket folder a tmpfs',
      [
        { path: '/var/lib/postgresql/15/main/postmaster.pid', isDir: false },
        { path: '/var/lib/postgresql/15/main/global/pg_control', isDir: false },
        { path: '/run/postgresql/.s.PGSQL.5432', isDir: false },
      ],
      { '/var/lib/postgresql/15/main': data, '/var/lib/postgresql/15/main/global': data, '/run/postgresql': empty },
      ['tmpfs /run/postgresql', 'volume /var/lib/postgresql/15/main'],
    ],
  ])('%s', (_name, written, folders, expected) => {
    const plan = planMounts(written, new Map(Object.entries(folders)));
    expect(plan.mounts.map((m) => `${m.kind} ${m.path}`).sort()).toEqual([...expected].sort());
    expect(plan.uncoverable).toEqual([]);
  });

  it('never covers a system folder: a file written straight into /etc has no mount', () => {
    const plan = planMounts(
      [{ path: '/etc/app.conf', isDir: false }],
      new Map([['/etc', { exists: true, data: '/etc/passwd' }]]),
    );
    expect(plan.mounts).toEqual([]);
    expect(plan.uncoverable).toEqual([{ path: '/etc/app.conf', isDir: false }]);
  });
});

describe('folderFacts', () => {
  const e = (name: string, type: TarEntry['type'], size = 0): TarEntry => ({
    name,
    type,
    size,
    uid: 0,
    gid: 0,
    mode: 0o644,
  });
  it('counts empty files and folders as placeholders, anything else as data, the written paths aside', () => {
    expect(folderFacts('/var/log/nginx', [e('nginx', 'dir'), e('nginx/error.log', 'file')], [])).toEqual({
      exists: true,
    });
    expect(
      folderFacts('/var/log/x', [e('x', 'dir'), e('x/big.log', 'file', 10)], [{ path: '/var/log/x/big.log' }]),
    ).toEqual({ exists: true });
    expect(folderFacts('/d', [e('d', 'dir'), e('d/PG_VERSION', 'file', 3)], [])).toEqual({
      exists: true,
      data: '/d/PG_VERSION',
    });
    expect(folderFacts('/d', undefined, [])).toEqual({ exists: false });
  });
});

describe('followLinks', () => {
  it('replaces linked folders by their targets', async () => {
    const links: Record<string, string> = { '/var/run': '/run', '/var/lock': '../run/lock', '/run/lock': '/run/lock2' };
    const stat = (p: string): Promise<TarEntry[]> =>
      Promise.resolve([
        links[p] === undefined
          ? { name: p, type: 'dir', size: 0, uid: 0, gid: 0, mode: 0o755 }
          : { name: p, type: 'symlink', size: 0, uid: 0, gid: 0, mode: 0o777, linkName: links[p] },
      ]);
    expect(await followLinks('/var/run/apache2', stat)).toBe('/run/apache2');
    expect(await followLinks('/var/lock/apache2/x', stat)).toBe('/run/lock2/apache2/x');
    expect(await followLinks('/srv/x', stat)).toBe('/srv/x');
  });
});

describe('TarLister', () => {
  function header(name: string, type: string, size: number, uid = 0): Buffer {
    const h = Buffer.alloc(512);
    h.write(name, 0);
    h.write('0000644\0', 100);
    h.write(`${uid.toString(8).padStart(7, '0')}\0`, 108);
    h.write('0000000\0', 116);
    h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
    h.write(type, 156);
    return h;
  }
  it('lists entries across chunk boundaries, skipping contents', () => {
    const body = Buffer.alloc(512);
    body.write('root:x:0:0::/root:/bin/sh\n');
    const tar = Buffer.concat([header('passwd', '0', 26, 33), body, header('dir/', '5', 0), Buffer.alloc(1024)]);
    const lister = new TarLister();
    for (let i = 0; i < tar.length; i += 100) lister.push(tar.subarray(i, i + 100));
    expect(lister.entries.map((e) => [e.name, e.type, e.size, e.uid])).toEqual([
      ['passwd', 'file', 26, 33],
      ['dir', 'dir', 0, 0],
    ]);
    expect(lister.done).toBe(true);
  });
});

describe('resolveIds (the ids learn gives a tmpfs owner, resolved as the engine resolves them)', () => {
  const accounts = {
    passwd: 'root:x:0:0::/root:/bin/sh\nwww-data:x:33:33::/var/www:/bin/false\nbad line\n',
    group: 'www-data:x:33:\nstaff:x:50:\n',
  };
  it.each([
    ['', { uid: 0, gid: 0 }],
    ['www-data', { uid: 33, gid: 33 }],
    ['33', { uid: 33, gid: 33 }],
    ['65534:65534', { uid: 65534, gid: 65534 }],
    ['1234', { uid: 1234, gid: 0 }],
    ['www-data:staff', { uid: 33, gid: 50 }],
    ['nobody', undefined],
    ['www-data:nogroup', undefined],
  ])('%s', (spec, ids) => {
    expect(resolveIds(spec, accounts)).toEqual(ids);
  });
});

describe('fixes', () => {
  const fixes: Fix[] = [
    { kind: 'tmpfs', path: '/run/apache2', uid: 65534, gid: 65534, reason: 'wrote /run/apache2' },
    { kind: 'user', user: 'www-data', uid: 33, gid: 33, reason: 'chown failed' },
    { kind: 'volume', path: '/data', name: 'p-data', reason: 'wrote /data/x' },
    { kind: 'port-start', port: 80, reason: 'bind failed' },
  ];
  it('follow the final user with the tmpfs owners, as flags and as preset settings', () => {
    expect(fixesArgs(fixes)).toEqual([
      '--tmpfs',
      '/run/apache2:uid=33,gid=33',
      '--user',
      '33:33',
      '--volume',
      'p-data:/data',
      '--sysctl',
      'net.ipv4.ip_unprivileged_port_start=80',
    ]);
    const added = presetAdditions(fixes, true);
    expect(added.settings.tmpfs?.value).toEqual(['/run/apache2:uid=33,gid=33']);
    expect(added.settings.tmpfs?.reason).toMatch(/Seen: wrote \/run\/apache2\.$/);
    expect(added.user).toEqual({ setting: { value: '33:33', reason: 'chown failed' }, forRootImage: true });
    expect(added.accept).toEqual({});
  });
  it('a wide fix is accepted by its policy rule with its reason', () => {
    const added = presetAdditions([{ kind: 'wide', wide: 'writable-root', reason: 'Nothing narrower worked.' }], false);
    expect(added.settings['read-only']).toEqual({ value: false, reason: 'Nothing narrower worked.' });
    expect(added.accept).toEqual({ SD119: 'Nothing narrower worked.' });
  });
});

describe('diagnose', () => {
  const facts: DiagnosisFacts = {
    setting: settingOfPreset('strict'),
    ids: { uid: 65534, gid: 65534 },
    readOnly: true,
    command: ['postgres', '-D', '/var/lib/postgresql/15/main'],
    env: [],
    workingDir: '/var/lib/postgresql',
    seccompRefuses: (s) => s === 'unshare' || s === 'ptrace',
    engineAllows: (s) => s === 'ptrace',
    volumeName: (p) => `proj${p.replaceAll('/', '-')}`,
    learnArgs: ['-p', '8080:80', 'nginx'],
  };
  it.each([
    ['mkdir() "/var/lib/nginx/body" failed (30: Read-only file system)', '--tmpfs /var/lib/nginx:uid=65534,gid=65534'],
    [
      "mkdir: cannot create directory '/var/run/apache2': Read-only file system",
      '--tmpfs /var/run/apache2:uid=65534,gid=65534',
    ],
    ['open() "/run/nginx.pid" failed (30: Read-only file system)', '--tmpfs /run:uid=65534,gid=65534'],
    [
      'FATAL:  could not create lock file "postmaster.pid": Read-only file system',
      '--volume proj-var-lib-postgresql-15-main:/var/lib/postgresql/15/main',
    ],
    ['bind() to 0.0.0.0:80 failed (13: Permission denied)', '--sysctl net.ipv4.ip_unprivileged_port_start=80'],
    ['cannot create /etc/motd: Read-only file system', undefined],
  ])('%s', (line, fix) => {
    const d = diagnose(1, `starting\n${line}\n`, facts);
    expect(d?.fix).toBe(fix);
    expect(d?.learn).toBe('safedock learn -p 8080:80 nginx');
  });
  it('says nothing for a clean exit, an unknown failure, or a syscall the profile allows', () => {
    expect(diagnose(0, 'mkdir() "/x/y" failed (30: Read-only file system)', facts)).toBeUndefined();
    expect(diagnose(2, 'segmentation fault', facts)).toBeUndefined();
    expect(diagnose(1, 'ping: socket: Operation not permitted', facts)).toBeUndefined();
    expect(diagnose(1, 'unshare: unshare failed: Operation not permitted', facts)?.setting).toMatch(/seccomp/);
  });
});

describe('learn arguments', () => {
  it('takes --probe and --settle out, --name as the preset name, and drops what a trial sets itself', () => {
    const a = parseLearnArgv([
      '--probe',
      'http:80/health',
      '--settle=10',
      '--name',
      'web',
      '-dp',
      '8080:80',
      '-e',
      'A=1',
      '--rm',
      'nginx',
      'nginx',
      '-g',
      'x',
    ]);
    expect(a.probe).toEqual({ kind: 'http', port: 80, path: '/health' });
    expect(a.settleSeconds).toBe(10);
    expect(a.name).toBe('web');
    expect(a.trialOptions).toEqual(['--env=A=1']);
    expect(a.run.image).toBe('nginx');
    expect(a.run.command).toEqual(['nginx', '-g', 'x']);
  });
  it.each([
    [['--probe', 'udp:53', 'x'], /--probe udp:53: expected tcp:PORT or http:PORT/],
    [['--settle', '-1', 'x'], /--settle -1: expected a number of seconds/],
    [['--name', 'Bad Name', 'x'], /--name Bad Name: a preset name/],
    [['--probe'], /flag needs an argument: --probe/],
  ])('%j is refused clearly', (argv, message) => {
    expect(() => parseLearnArgv(argv)).toThrow(message);
  });
  it('names the preset after the image', () => {
    expect(presetNameForImage('registry.example:5000/team/Web_App:1.2@sha256:abc')).toBe('web_app');
    expect(presetNameForImage('postgres:15')).toBe('postgres');
    expect(parseProbe('tcp:0')).toMatch(/1-65535/);
  });
});
