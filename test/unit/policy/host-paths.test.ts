import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join, posix, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENIGN_READ_ONLY, HARMLESS_DEVICES } from '../../../src/policy/sensitive-paths.js';
import {
  HOME_SENSITIVE,
  SENSITIVE_PATHS,
  benignTable,
  harmlessDevice,
  cleanPath,
  engineSockets,
  expandHome,
  isWithin,
  matchEngineSocket,
  matchSensitive,
  nodeHostView,
  pathCandidates,
  realHostPath,
  sensitiveTable,
} from '../../../src/policy/host-paths.js';
import type { HostView } from '../../../src/policy/types.js';
import { CWD, HOME, fakeHost, fakeRealpath, findingsFor, warnedRules } from './helpers.js';

describe('cleanPath and expandHome', () => {
  it.each([
    ['/var/run/', '/var/run'],
    ['//var//run/', '/var/run'],
    // Lexically, /var/run/.. is /var; the kernel would follow the /var/run link first (pathCandidates has both).
    ['/var/run/../run/docker.sock', '/var/run/docker.sock'],
    ['/./etc/./', '/etc'],
    ['/../../etc', '/etc'],
    ['/', '/'],
    ['//', '/'],
  ])('%s → %s', (path, clean) => expect(cleanPath(path)).toBe(clean));
  it.each([
    ['/a/.b', '/a/.b'],
    ['/a/..b', '/a/..b'],
    ['/a/...', '/a/...'],
    ['/a/b.', '/a/b.'],
    ['/a/.', '/a'],
    ['/a/..', '/'],
    ['/.', '/'],
    ['/..', '/'],
    ['/a//', '/a'],
    // A name ending in a line break, then the trailing slash: cleaned like any other.
    ['/tmp/a\n/', '/tmp/a\n'],
    ['/tmp/u\u2028/', '/tmp/u\u2028'],
    ['/a/./b', '/a/b'],
  ])('dot names: %s → %s', (path, clean) => expect(cleanPath(path)).toBe(clean));
  it('agrees with a full lexical resolve on every spelling (the fast path for clean paths included)', () =>
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('/', '.', 'a', 'b', '~', '\n', '\r', '\u2028', '\u2029', ' '), { maxLength: 14 }),
        fc.constantFrom('/', '/home/me/proj'),
        (parts, cwd) => {
          const path = parts.join('');
          expect(cleanPath(path, cwd)).toBe(posix.resolve(cwd, path));
        },
      ),
      { numRuns: 5000 },
    ));
  it('takes relative paths from the working folder', () =>
    expect(cleanPath('../etc', '/home/me/proj')).toBe('/home/me/etc'));
  it('expands ~ as a shell would', () => {
    expect(expandHome('~', '/home/me')).toBe('/home/me');
    expect(expandHome('~/.ssh', '/home/me')).toBe('/home/me/.ssh');
    expect(expandHome('~other/x', '/home/me')).toBe('~other/x');
    expect(expandHome('/x/~/y', '/home/me')).toBe('/x/~/y');
  });
});

describe('isWithin', () => {
  it.each([
    ['/etc/shadow', '/etc', true],
    ['/etc', '/etc', true],
    ['/etcetera', '/etc', false],
    ['/etc', '/etc/shadow', false],
    ['/anything', '/', true],
    ['/run/user/1000/docker.sock', '/run/user/*/docker.sock', true],
    ['/run/user/*/docker.sock', '/run/user/1000', true],
    ['/run/user/*/docker.sock', '/run/usr', false],
  ])('%s within %s: %s', (inner, outer, within) => expect(isWithin(inner, outer)).toBe(within));
});

describe('pathCandidates (fake Debian-like host)', () => {
  const host = fakeHost();
  it.each([
    ['/var/run', ['/var/run', '/run']],
    ['//var//run/', ['/var/run', '/run']],
    ['/var/run/../run/docker.sock', ['/var/run/docker.sock', '/run/docker.sock']],
    ['~/.ssh', ['/home/me/.ssh']],
    ['data/x', ['/home/me/proj/data/x']],
    ['/home/me/proj/etc-link/shadow', ['/home/me/proj/etc-link/shadow', '/etc/shadow']],
    ['/srv/innocent/', ['/srv/innocent', '/home/me/.ssh']],
  ])('%s', (source, candidates) => expect(pathCandidates(source, host)).toEqual(candidates));

  it('follows a link before a `..` after it, as the kernel does', () => {
    // /home/me/proj/run-link → /var/run → /run; its parent is /, not /home/me/proj.
    expect(fakeRealpath('/home/me/proj/run-link/../etc')).toBe('/etc');
    expect(pathCandidates('/home/me/proj/run-link/../etc', host)).toEqual(['/home/me/proj/etc', '/etc']);
  });
});

describe('matchSensitive', () => {
  const host = fakeHost();
  const table = sensitiveTable(host);
  const benign = benignTable(host);
  const match = (source: string, readOnly: boolean) =>
    matchSensitive(pathCandidates(source, host), readOnly, table, benign);

  it.each([
    ['/etc', false, '/etc', 'is'],
    ['/etc/shadow', true, '/etc', 'in'],
    ['/var', true, '/var/lib/docker', 'contains'],
    ['/', true, '/', 'is'],
    ['/home/me', false, '/home/me', 'is'],
    ['/home/me/.ssh/id_rsa', true, '/home/me/.ssh', 'in'],
    ['/usr/local/bin', false, '/usr', 'in'],
    ['/bin', false, '/bin', 'is'],
    ['/lib/x86_64-linux-gnu', false, '/lib', 'in'],
    ['/etc/localtime', false, '/etc', 'in'],
  ])('%s (read-only %s) exposes %s', (source, readOnly, path, relation) => {
    expect(match(source, readOnly)).toMatchObject({ entry: { path }, relation });
  });

  it.each([
    ['/home/me/proj', false],
    ['/home/me/proj/.ssh', false],
    ['/tmp/x', false],
    ['/srv/www', false],
    ['/srv/www/site', true],
    ['/opt/app/config', true],
    ['/etc/localtime', true],
    ['/etc/ssl/certs/ca.pem', true],
    ['/usr/bin', true],
    ['/usr', true],
    ['/bin', true],
    ['/lib/modules', true],
    ['/var/log/nginx', false],
    ['/home/other/project', false],
  ])('%s (read-only %s) is ordinary', (source, readOnly) => expect(match(source, readOnly)).toBeUndefined());

  it.each([['/home/other'], ['/home/other/.ssh'], ['/home/other/.aws/credentials'], ['/home']])(
    "another user's home and keys are sensitive too: %s",
    (source) => {
      expect(match(source, true)).toBeDefined();
    },
  );

  it('when the user is root, /root is their home: projects below it are ordinary, keys are not', async () => {
    const rootHost: HostView = { ...fakeHost(), home: '/root', uid: 0, cwd: '/root/proj' };
    const rootTable = sensitiveTable(rootHost);
    const m = (s: string, ro: boolean) => matchSensitive(pathCandidates(s, rootHost), ro, rootTable, benign);
    expect(m('/root/proj', false)).toBeUndefined();
    expect(m('/root/.ssh', true)).toMatchObject({ entry: { path: '/root/.ssh' } });
    expect(m('/root', true)).toMatchObject({ entry: { path: '/root' }, relation: 'is' });
    expect(warnedRules(await findingsFor('-v /root/proj:/app img', { host: rootHost }))).toEqual([]);
  });
});

describe('the tables are data with reasons', () => {
  it('every sensitive, home-relative, benign and harmless-device entry says what it holds', () => {
    for (const e of [...SENSITIVE_PATHS, ...HOME_SENSITIVE]) {
      expect(e.reason.length, e.path).toBeGreaterThan(10);
      expect(['exact', 'tree', 'write']).toContain(e.reach);
    }
    for (const e of [...BENIGN_READ_ONLY, ...HARMLESS_DEVICES]) expect(e.reason.length, e.path).toBeGreaterThan(5);
    const paths = [...SENSITIVE_PATHS, ...HOME_SENSITIVE, ...BENIGN_READ_ONLY].map((e) => e.path);
    expect(new Set(paths).size).toBe(paths.length);
  });
});

describe('benign read-only paths and their private neighbours', () => {
  const host = fakeHost();
  const table = sensitiveTable(host);
  const benign = benignTable(host);
  const match = (source: string, readOnly: boolean) =>
    matchSensitive(pathCandidates(source, host), readOnly, table, benign);

  it.each([
    '/etc/krb5.conf',
    '/etc/ssl/openssl.cnf',
    '/etc/ca-certificates.conf',
    '/etc/docker/certs.d',
    '/etc/docker/certs.d/registry.example.com/ca.crt',
    '/etc/apt/sources.list',
    '/etc/apt/sources.list.d/debian.sources',
    '/home/me/.ssh/known_hosts',
    '/home/other/.ssh/known_hosts',
  ])('%s read-only: fine', (source) => expect(match(source, true)).toBeUndefined());

  it.each([
    ['/etc/docker/certs.d/registry.example.com/client.key', '/etc/docker/certs.d/*/client.key', 'is'],
    ['/etc/krb5.keytab', '/etc', 'in'],
    ['/etc/apt', '/etc', 'in'],
    ['/etc/apt/auth.conf.d/x.conf', '/etc', 'in'],
    ['/etc/ssl/private/key.pem', '/etc', 'in'],
    ['/home/me/.ssh', '/home/me/.ssh', 'is'],
    ['/home/me/.ssh/id_ed25519', '/home/me/.ssh', 'in'],
  ])('%s read-only: sensitive (%s, %s)', (source, path, relation) =>
    expect(match(source, true)).toMatchObject({ entry: { path }, relation }),
  );

  it.each(['/etc/krb5.conf', '/home/me/.ssh/known_hosts'])('%s read-write: sensitive', (source) =>
    expect(match(source, false)).toBeDefined(),
  );

  it('harmless device nodes by their resolved name, not by a name that merely looks like one', () => {
    expect(harmlessDevice(pathCandidates('/dev/null', host))?.path).toBe('/dev/null');
    expect(harmlessDevice(pathCandidates('/dev/urandom', host))?.path).toBe('/dev/urandom');
    expect(harmlessDevice(pathCandidates('/dev/pts/3', host))).toBeUndefined();
    expect(harmlessDevice(pathCandidates('/dev/sda', host))).toBeUndefined();
    expect(harmlessDevice(pathCandidates('/srv/null', host))).toBeUndefined();
    const linked: HostView = { ...host, realpath: (p) => (p === '/srv/blank' ? '/dev/null' : fakeRealpath(p)) };
    expect(harmlessDevice(pathCandidates('/srv/blank', linked))?.path).toBe('/dev/null');
  });

  it('a regular file where /dev/null should be is not the device: judged by its path', async () => {
    const fake: HostView = { ...host, stat: () => ({ kind: 'file', uid: 0, gid: 0, mode: 0o644 }) };
    expect(warnedRules(await findingsFor('-v /dev/null:/x -u 0 img', { host: fake }))).toEqual(['SD118', 'SD120']);
    expect(warnedRules(await findingsFor('-v /dev/null:/x -u 0 img', { host }))).toEqual(['SD118']);
  });
});

describe('matchEngineSocket', () => {
  const sockets = (env: NodeJS.ProcessEnv = { XDG_RUNTIME_DIR: '/run/user/1000' }) =>
    engineSockets({ ...fakeHost(), env });
  const match = (source: string, env?: NodeJS.ProcessEnv) =>
    matchEngineSocket(pathCandidates(source, fakeHost()), sockets(env));

  it.each([
    ['/var/run/docker.sock', 'Docker', true],
    ['/run', 'Docker', false],
    ['/run/containerd', 'containerd', false],
    ['/run/user/1000', 'rootless Docker', false],
    ['/home/me/.docker', 'Docker Desktop', false],
    ['/home/me/.colima/default/docker.sock', 'Colima', true],
  ])('%s: %s (direct %s)', (source, engine, direct) =>
    expect(match(source)).toMatchObject({ engine, direct, byName: false }),
  );

  it('a socket named after an engine, in any folder', () => {
    expect(match('/srv/x/containerd.sock')).toMatchObject({ byName: true });
    expect(match('/tmp/podman-remote.sock')).toMatchObject({ byName: true });
    expect(match('/tmp/app.sock')).toBeUndefined();
    expect(match('/tmp/dockerfile')).toBeUndefined();
  });

  it('DOCKER_HOST, CONTAINER_HOST and BUILDKIT_HOST sockets, unix only', () => {
    expect(match('/srv/engine', { DOCKER_HOST: 'unix:///srv/engine/api.sock' })).toMatchObject({
      engine: 'Docker (DOCKER_HOST)',
      direct: false,
    });
    expect(match('/srv/pod/api', { CONTAINER_HOST: 'unix:///srv/pod/api' })).toMatchObject({ direct: true });
    expect(match('/srv/bk', { BUILDKIT_HOST: 'unix:///srv/bk/bk.sock' })).toMatchObject({ direct: false });
    expect(match('/srv/engine', { DOCKER_HOST: 'tcp://10.0.0.1:2376' })).toBeUndefined();
    expect(match('/srv/engine', {})).toBeUndefined();
  });

  it('a mount of the folder DOCKER_HOST points into is SD102 for a run', async () => {
    const host: HostView = { ...fakeHost(), env: { DOCKER_HOST: 'unix:///srv/engine/api.sock' } };
    expect(warnedRules(await findingsFor('-v /srv/engine:/e img', { host }))).toEqual(['SD102']);
    expect(warnedRules(await findingsFor('-v /srv/engine:/e img'))).toEqual([]);
  });
});

/**
 * Real folders and links under the temporary folder, resolved by nodeHostView: what a run on this
 * machine sees. Nothing here needs the engine or its socket.
 */
describe('real symlinks and `..` on this machine (nodeHostView)', () => {
  let t: string;
  let host: HostView;
  let server: Server;
  const servers: Server[] = [];
  const listen = (path: string): Promise<Server> =>
    new Promise((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(path, () => resolve(s));
      servers.push(s);
    });

  beforeAll(async () => {
    t = mkdtempSync(join(tmpdir(), 'safedock-paths-'));
    mkdirSync(join(t, 'a'));
    mkdirSync(join(t, 'data'));
    mkdirSync(join(t, 'home', '.ssh'), { recursive: true });
    mkdirSync(join(t, 'home', 'proj'), { recursive: true });
    writeFileSync(join(t, 'home', '.ssh', 'id_ed25519'), 'not a key');
    symlinkSync('/etc', join(t, 'etc-link'));
    symlinkSync(relative(t, '/etc'), join(t, 'rel-etc'));
    symlinkSync('/var/run', join(t, 'vr'));
    symlinkSync(join(t, 'l2'), join(t, 'l1'));
    symlinkSync('/etc', join(t, 'l2'));
    symlinkSync('../.ssh', join(t, 'home', 'proj', 'keys'));
    symlinkSync(join(t, 'home'), join(t, 'home-link'));
    writeFileSync(join(t, 'docker.sock'), '');
    server = await listen(join(t, 'podman.sock'));
    await listen(join(t, 'app.sock'));
    host = nodeHostView({}, join(t, 'home', 'proj'), { uid: 1000, gid: 1000, home: join(t, 'home') });
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    rmSync(t, { recursive: true, force: true });
  });

  const rules = async (line: string, h: HostView = host) =>
    warnedRules(await findingsFor(line, { vars: { T: t }, host: h }));

  it.each([
    ['-v $T/etc-link:/e img', ['SD120']],
    ['-v $T/etc-link/:/e:ro img', ['SD121']],
    ['-v $T/rel-etc:/e img', ['SD120']],
    ['-v $T/l1:/e:ro img', ['SD121']],
    ['-v $T/etc-link/shadow:/s:ro img', ['SD121']],
    ['-v $T/vr:/x img', ['SD102', 'SD120']],
    ['-v $T/vr/docker.sock:/s img', ['SD102']],
    ['-v $T/a/../vr/:/x:ro img', ['SD102', 'SD121']],
    ['-v $T/missing/../vr:/x img', ['SD102', 'SD120']],
    ['--mount type=bind,src=$T/vr,dst=/x img', ['SD102', 'SD120']],
    ['-v $T/docker.sock:/var/run/docker.sock img', ['SD102']],
    ['-v $T/podman.sock:/run/podman/podman.sock img', ['SD102']],
    ['-v $T/home/.ssh:/k img', ['SD120']],
    ['-v $T/home/proj/keys:/k:ro img', ['SD121']],
    ['-v ./keys/id_ed25519:/k:ro img', ['SD121']],
    ['-v $T/home-link/.ssh:/k img', ['SD120']],
    // A home folder may hold Docker Desktop's socket (~/.docker/run/docker.sock) as well as keys.
    ['-v $T/home:/h img', ['SD102', 'SD120']],
    ['-v $T/app.sock:/app.sock img', []],
    ['-v $T/data:/data img', []],
    ['-v $T/a/../data:/data img', []],
    ['-v $PWD:/app img', []],
    ['-v .:/app img', []],
  ])('%s → %j', async (line, expected) => {
    expect(await rules(line)).toEqual(expected);
  });

  it('a home reached through a symlink still guards its keys', async () => {
    const linked = nodeHostView({}, join(t, 'home-link', 'proj'), { uid: 1000, gid: 1000, home: join(t, 'home-link') });
    expect(await rules('-v $T/home/.ssh:/k img', linked)).toEqual(['SD120']);
    expect(await rules('-v $T/home/proj:/app img', linked)).toEqual([]);
  });

  it('realHostPath: symlinks resolved; a missing path keeps its tail below the longest existing parent', () => {
    const real = realpathSync(t);
    expect(realHostPath(join(t, 'etc-link'))).toBe(realpathSync('/etc'));
    expect(realHostPath(join(t, 'nope', 'x'))).toBe(join(real, 'nope', 'x'));
    expect(realHostPath(join(t, 'vr', 'not', 'there'))).toBe(join(realpathSync('/var/run'), 'not', 'there'));
    expect(realHostPath(join(t, 'a', '..', 'data'))).toBe(join(real, 'data'));
    expect(realHostPath('/no/such/root/path')).toBe('/no/such/root/path');
  });

  it('nodeHostView takes the home folder from the passwd database, never from HOME', () => {
    const own = userInfo().homedir;
    expect(nodeHostView({ HOME: '/h' }, '/w')).toMatchObject({ home: own, cwd: '/w' });
    expect(nodeHostView({ HOME: '/etc' }, '/w').home).toBe(own);
    expect(nodeHostView({}, '/w', { uid: 5, gid: 5, home: '/h' })).toMatchObject({ home: '/h', uid: 5 });
    expect(server.listening).toBe(true);
  });
});

describe('the fake host used by the tables', () => {
  it('is the documented one', () => {
    expect(fakeHost()).toMatchObject({ home: HOME, cwd: CWD });
    expect(fakeRealpath('/var/run/docker.sock')).toBe('/run/docker.sock');
    expect(fakeRealpath('/etc/localtime')).toBe('/usr/share/zoneinfo/Etc/UTC');
  });
});
