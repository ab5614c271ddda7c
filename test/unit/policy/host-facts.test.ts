/**
 * Families 6, 7 and 8 of issue #12 on this machine's real file system: engine sockets recognised
 * by what they are (a hard link under another name, a folder holding one, an engine's run folder),
 * host paths another user could swap before the mount, and the home folder taken from the passwd
 * database rather than HOME. A socket of the test's own stands for the engine's (named by
 * DOCKER_HOST, as a run's engine is), so nothing here needs the engine.
 */
import { chmodSync, chownSync, linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invoker } from '../../../src/policy/facts.js';
import { replaceablePart } from '../../../src/policy/engine-sockets.js';
import { nodeHostView } from '../../../src/policy/host-paths.js';
import { isOwnHomeFolder } from '../../../src/policy/host-user.js';
import type { HostView } from '../../../src/policy/types.js';
import { hostFactsFor } from '../../../src/run/gather-facts.js';
import { pinHostPaths, verifyPins } from '../../../src/run/pin-paths.js';
import { fakeHost, findingsFor, planLine, warnedRules } from './helpers.js';

const me: Invoker = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, home: '/nonexistent-home' };

let t: string;
let host: HostView;
const servers: Server[] = [];
const listen = (path: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(path, () => resolve());
    servers.push(s);
  });

beforeAll(async () => {
  t = mkdtempSync(join(tmpdir(), 'safedock-host-facts-'));
  chmodSync(t, 0o755);
  mkdirSync(join(t, 'engine'));
  await listen(join(t, 'engine', 'api.sock'));
  await listen(join(t, 'app.sock'));
  mkdirSync(join(t, 'x'));
  mkdirSync(join(t, 'x', 'deep', 'er'), { recursive: true });
  // A hard link to the engine's socket under names that say nothing.
  linkSync(join(t, 'engine', 'api.sock'), join(t, 'x', 'eng'));
  linkSync(join(t, 'engine', 'api.sock'), join(t, 'x', 'deep', 'er', 'notes.txt'));
  symlinkSync(join(t, 'x', 'eng'), join(t, 'link-to-link'));
  mkdirSync(join(t, 'clean'));
  writeFileSync(join(t, 'clean', 'a.txt'), 'a');
  // Shared folders: one every user may write to, one sticky like /tmp.
  mkdirSync(join(t, 'open'));
  chmodSync(join(t, 'open'), 0o777);
  mkdirSync(join(t, 'open', 'proj'));
  mkdirSync(join(t, 'sticky'));
  chmodSync(join(t, 'sticky'), 0o1777);
  mkdirSync(join(t, 'sticky', 'mine'));
  mkdirSync(join(t, 'groupw'));
  chmodSync(join(t, 'groupw'), 0o775);
  host = nodeHostView({ DOCKER_HOST: `unix://${join(t, 'engine', 'api.sock')}` }, t, me);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  rmSync(t, { recursive: true, force: true });
});

/** Plans a line, gathers this host's facts for it as a run does, and returns the rules that fire. */
async function judged(line: string, h: HostView = host): Promise<string[]> {
  const planned = await planLine(line, { vars: { T: t }, host: h });
  const facts = hostFactsFor(planned, undefined, h, me);
  return warnedRules(
    await findingsFor(line, { vars: { T: t }, host: h, facts: { stage: 'full', host: facts } }),
  ).filter((id) => ['SD102', 'SD120', 'SD121', 'SD135', 'SD139'].includes(id));
}

describe('6. engine sockets by what they are', () => {
  it.each([
    ['-v $T/x/eng:/e img', ['SD102']],
    ['-v $T/x/eng:/e:ro img', ['SD102']],
    ['--mount type=bind,src=$T/x/eng,dst=/e,readonly img', ['SD102']],
    ['-v $T/link-to-link:/e img', ['SD102']],
    ['-v $T/x/deep/er/notes.txt:/n.txt:ro img', ['SD102']],
    // A folder holding a hard link, however deep.
    ['-v $T/x:/x img', ['SD102']],
    ['-v $T/x/deep:/d:ro img', ['SD102']],
    ['--mount type=volume,dst=/v,volume-opt=type=none,volume-opt=o=bind,volume-opt=device=$T/x img', ['SD102']],
    // The socket itself (by DOCKER_HOST's path) and its folder.
    ['-v $T/engine/api.sock:/s img', ['SD102']],
    ['-v $T/engine:/s img', ['SD102']],
    // Ordinary sockets and folders.
    ['-v $T/app.sock:/app.sock img', []],
    ['-v $T/clean:/c img', []],
  ])('%s → %j', async (line, expected) => {
    expect(await judged(line)).toEqual(expected);
  });

  it('says which socket the other name is', async () => {
    const planned = await planLine('-v $T/x/eng:/e img', { vars: { T: t }, host });
    const facts = hostFactsFor(planned, undefined, host, me);
    const f = await findingsFor('-v $T/x/eng:/e img', { vars: { T: t }, host, facts: { stage: 'full', host: facts } });
    expect(f.find((x) => x.rule === 'SD102')?.detail).toBe(
      `${t}/x/eng is the Docker (DOCKER_HOST) socket ${t}/engine/api.sock under another name (the same file: device and inode) (-v ${t}/x/eng:/e)`,
    );
  });

  it.each([
    ['-v /run/containerd:/c img'],
    ['-v /run/containerd/s:/s img'],
    ['-v /run/containerd/s/0123456789abcdef:/s img'],
    ['-v /run/docker/plugins:/p img'],
    ['-v /run/docker/containerd/containerd-debug.sock:/d img'],
    ['-v /var/run/docker/metrics.sock:/m img'],
    ['-v /run/podman:/p:ro img'],
    ['-v /run/crio/crio.sock:/c img'],
    ['-v /run/k3s/containerd:/k img'],
    ['-v /run/user/1000/podman:/p img'],
  ])("an engine's run folder holds its sockets: %s → SD102", async (line) => {
    expect(warnedRules(await findingsFor(line, { host: fakeHost() }))).toContain('SD102');
    expect(await judged(line)).toContain('SD102');
  });
});

describe('7. the check-then-mount race', () => {
  it.each([
    ['-v $T/open/proj:/p img', ['SD139']],
    ['-v $T/open/missing:/p img', ['SD139']],
    ['-v $T/sticky/missing:/p img', ['SD139']],
    ['-v $T/sticky/mine:/p img', []],
    ['-v $T/clean:/c img', []],
    ['--mount type=bind,src=$T/open/proj,dst=/p img', ['SD139']],
    ['--mount type=volume,dst=/v,volume-opt=type=none,volume-opt=o=bind,volume-opt=device=$T/open/proj img', ['SD139']],
  ])('%s → %j', async (line, expected) => {
    expect(await judged(line)).toEqual(expected);
  });

  it("a folder of the user's own group may be group-writable; another group's may not", () => {
    expect(replaceablePart(join(t, 'groupw', 'x'), me)).toBeUndefined();
    chownSync(join(t, 'groupw'), me.uid, 4242);
    expect(replaceablePart(join(t, 'groupw', 'x'), me)?.why).toContain('group 4242 may write to it');
  });

  it.runIf(me.uid === 0)('a folder that belongs to another user, even sticky, is theirs to change', () => {
    mkdirSync(join(t, 'theirs'));
    chownSync(join(t, 'theirs'), 4242, 4242);
    chmodSync(join(t, 'theirs'), 0o1777);
    mkdirSync(join(t, 'theirs', 'mine'));
    expect(replaceablePart(join(t, 'theirs', 'mine'), me)?.why).toContain('it belongs to uid 4242');
  });

  it('the engine gets the resolved path the policy judged, with a note', async () => {
    mkdirSync(join(t, 'real'));
    symlinkSync(join(t, 'real'), join(t, 'alias'));
    const planned = await planLine('-v $T/alias:/a:ro --mount type=bind,src=$T/alias,dst=/b img', {
      vars: { T: t },
      host,
    });
    const facts = hostFactsFor(planned, undefined, host, me);
    const pinned = pinHostPaths(planned.spec, facts, host);
    const sources = pinned.spec.mounts.flatMap((m) =>
      m.via === 'volume' ? [m.raw] : m.via === 'mount' && m.mount.Type === 'bind' ? [m.mount.Source] : [],
    );
    expect(sources).toEqual([`${t}/real:/a:ro`, `${t}/real`]);
    expect(pinned.pinned).toEqual([`${t}/real`, `${t}/real`]);
    expect(pinned.notes[0]).toBe(
      `-v ${t}/alias:/a:ro: the engine gets ${t}/real, the path the policy judged (symlinks resolved now, not again when the container starts)`,
    );
  });
});

describe('7. checked once more before the start', () => {
  it('a pinned path that became a link, or changeable by others, stops the start', () => {
    const pinned = join(t, 'pinned');
    mkdirSync(pinned);
    expect(() => verifyPins([pinned], me, new Set())).not.toThrow();
    rmSync(pinned, { recursive: true });
    symlinkSync('/etc', pinned);
    expect(() => verifyPins([pinned], me, new Set())).toThrow(
      `${pinned} changed after it was checked: it now resolves to /etc`,
    );
    rmSync(pinned);
    mkdirSync(join(t, 'opened'));
    const inside = join(t, 'opened', 'x');
    mkdirSync(inside);
    expect(() => verifyPins([inside], me, new Set())).not.toThrow();
    chmodSync(join(t, 'opened'), 0o777);
    expect(() => verifyPins([inside], me, new Set())).toThrow('became changeable by another user');
    // Judged so (and accepted) at check time: only a change of what it resolves to stops it.
    expect(() => verifyPins([inside], me, new Set([inside]))).not.toThrow();
  });
});

describe('8. HOME does not make protected folders ordinary', () => {
  it.each([
    ['/home/me', 1000, true],
    ['/home/me/', 1000, true],
    ['/root', 0, true],
    ['/root', 1000, false],
    ['/etc', 1000, false],
    ['/etc', 0, false],
    ['/proc', 0, false],
    ['/', 0, false],
    ['/usr/sbin', 2, false],
    ['/var/lib/postgresql', 110, false],
    ['/tmp/x', 1000, false],
    ['', 1000, false],
    ['relative', 1000, false],
  ])('isOwnHomeFolder(%s, uid %s) is %s', (home, uid, expected) => {
    expect(isOwnHomeFolder(home, uid)).toBe(expected);
  });

  it.each([
    ['/etc', '-v /etc/shadow:/x:ro img', ['SD121']],
    ['/etc', '-v /etc/cron.d:/x img', ['SD120']],
    ['/etc', '-v /etc:/x img', ['SD120']],
    ['/proc', '-v /proc/1/root:/x img', ['SD120']],
    ['/proc', '-v /proc:/p:ro img', ['SD121']],
    ['/', '-v /etc/shadow:/x:ro img', ['SD121']],
    ['/var/lib/docker', '-v /var/lib/docker/volumes:/v img', ['SD120']],
  ])('a home folder of %s: %s → %j', async (home, line, expected) => {
    const h = { ...fakeHost(), home, uid: 0 };
    expect(warnedRules(await findingsFor(line, { host: h })).filter((id) => id.startsWith('SD12'))).toEqual(expected);
  });

  it('HOME is never read: the passwd home decides', () => {
    for (const HOME of ['/etc', '/proc', '/', '/var/lib/docker'])
      expect(nodeHostView({ HOME }, '/w').home).toBe(userInfo().homedir);
  });
});
