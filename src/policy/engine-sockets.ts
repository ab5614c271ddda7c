/**
 * What the host paths a run mounts really are, gathered before judging (the rules read the result
 * as plain data). An engine socket is recognised by what it is, not what it is called: its device
 * and inode (a hard link under another name is the same socket), the other places the same file
 * is mounted on this host (bind mounts), and the engines' run folders, which hold their sockets
 * (containerd's shim sockets, plugin sockets). The same pass records which part of a path another
 * user could replace between the check and the mount.
 */
import { lstatSync, readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { posix } from 'node:path';
import type { HostFacts, HostPathFacts, Invoker } from './facts.js';
import { hasAcl } from './host-acl.js';
import { childPath, cleanPath, engineSockets, expandHome, isWithin, oncePerView } from './host-paths.js';
import type { HostView } from './types.js';

/** Folders where engines keep their sockets and runtime state; `*` matches one name, `~` is the home. */
export const ENGINE_RUN_DIRS: readonly { path: string; engine: string }[] = [
  { path: '/run/docker', engine: 'Docker' },
  { path: '/run/containerd', engine: 'containerd' },
  { path: '/run/k3s', engine: 'k3s' },
  { path: '/run/podman', engine: 'Podman' },
  { path: '/run/libpod', engine: 'Podman' },
  { path: '/run/crio', engine: 'CRI-O' },
  { path: '/run/buildkit', engine: 'BuildKit' },
  { path: '/run/runc', engine: 'runc' },
  { path: '/run/user/*/docker', engine: 'rootless Docker' },
  { path: '/run/user/*/containerd', engine: 'rootless containerd' },
  { path: '/run/user/*/podman', engine: 'rootless Podman' },
  { path: '/run/user/*/libpod', engine: 'rootless Podman' },
  { path: '/run/user/*/buildkit', engine: 'rootless BuildKit' },
  { path: '/var/snap/microk8s/common/run', engine: 'MicroK8s' },
  { path: '/var/snap/lxd/common/lxd', engine: 'LXD' },
  { path: '/var/lib/incus', engine: 'Incus' },
  { path: '/run/incus', engine: 'Incus' },
  { path: '/run/libvirt', engine: 'libvirt' },
  { path: '~/.docker/run', engine: 'Docker Desktop' },
  { path: '~/.colima', engine: 'Colima' },
  { path: '~/.rd', engine: 'Rancher Desktop' },
  { path: '~/.orbstack/run', engine: 'OrbStack' },
];

/** The engine run folders for this host (home expanded, symlinks resolved). */
export function engineRunDirs(host: HostView): { path: string; engine: string; forms: string[] }[] {
  return oncePerView(host, 'engineRunDirs', () => engineRunDirsNow(host));
}

function engineRunDirsNow(host: HostView): { path: string; engine: string; forms: string[] }[] {
  const out: { path: string; engine: string; forms: string[] }[] = [];
  for (const d of ENGINE_RUN_DIRS) {
    if (d.path.startsWith('~/') && host.home === '') continue;
    const path = expandHome(d.path, host.home);
    const forms = path.includes('*') ? [path] : [...new Set([cleanPath(path), cleanPath(host.realpath(path))])];
    out.push({ ...d, path, forms });
  }
  return out;
}

/** The engine run folder a path lies in or contains, if any (pure: paths only). */
export function matchRunDir(
  candidates: readonly string[],
  dirs: readonly { path: string; engine: string; forms: string[] }[],
): { dir: string; engine: string; relation: 'in' | 'contains' } | undefined {
  for (const candidate of candidates) {
    for (const d of dirs) {
      for (const form of d.forms) {
        if (isWithin(candidate, form)) return { dir: d.path, engine: d.engine, relation: 'in' };
        if (isWithin(form, candidate)) return { dir: d.path, engine: d.engine, relation: 'contains' };
      }
    }
  }
  return undefined;
}

interface SocketIdentity {
  engine: string;
  path: string;
  dev: number;
  ino: number;
  nlink: number;
  gid: number;
  /** Other paths the same file is mounted at on this host. */
  aliases: string[];
}

const statOrUndefined = (path: string, follow = true): Stats | undefined => {
  try {
    return follow ? statSync(path) : lstatSync(path);
  } catch {
    return undefined;
  }
};

/** `/run/user/*` patterns expanded against the folders that exist. */
function expandWildcards(path: string): string[] {
  const star = path.indexOf('/*/');
  if (star < 0) return [path];
  const parent = path.slice(0, star);
  const rest = path.slice(star + 3);
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  return names.flatMap((n) => expandWildcards(posix.join(parent, n, rest)));
}

interface MountEntry {
  majorMinor: string;
  root: string;
  point: string;
}

/** mountinfo fields escape space, tab, newline and backslash in octal. */
const unescape = (field: string): string =>
  field.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

function readMounts(): MountEntry[] {
  let text: string;
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((line) => {
      const f = line.split(' ');
      return { majorMinor: f[2] ?? '', root: unescape(f[3] ?? ''), point: unescape(f[4] ?? '') };
    });
}

/** Linux's dev_t encoding, as stat reports it: major and minor of a mountinfo line. */
function devOf(majorMinor: string): number {
  const [major = 0, minor = 0] = majorMinor.split(':').map(Number);
  return (major & 0xfff) * 256 + (minor & 0xff) + (minor & ~0xff) * 4096 + (major & ~0xfff) * 2 ** 32;
}

/** Where else a file is visible: mounts of its file system whose root is the file or a folder above it. */
function mountAliases(path: string, dev: number, mounts: readonly MountEntry[]): string[] {
  const same = mounts.filter((m) => devOf(m.majorMinor) === dev);
  const holder = same.filter((m) => isWithin(path, m.point)).sort((a, b) => b.point.length - a.point.length)[0];
  if (holder === undefined) return [];
  const inFs = posix.join(holder.root, posix.relative(holder.point, path));
  const aliases: string[] = [];
  for (const m of same) {
    if (m === holder || !isWithin(inFs, m.root)) continue;
    aliases.push(posix.join(m.point, posix.relative(m.root, inFs)));
  }
  return aliases;
}

/** The engine sockets on this host, by identity. */
function socketIdentities(host: HostView): SocketIdentity[] {
  const mounts = readMounts();
  const out: SocketIdentity[] = [];
  const seen = new Set<string>();
  for (const { entry } of engineSockets(host)) {
    for (const path of expandWildcards(entry.path)) {
      const st = statOrUndefined(path);
      if (st?.isSocket() !== true) continue;
      const key = `${st.dev}:${st.ino}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const real = host.realpath(path);
      out.push({
        engine: entry.engine,
        path: real,
        dev: st.dev,
        ino: st.ino,
        nlink: st.nlink,
        gid: st.gid,
        aliases: mountAliases(real, st.dev, mounts),
      });
    }
  }
  return out;
}

/**
 * A breadth-first walk below `roots` (symlinks not followed) of at most `limit` entries: `visit`
 * sees each entry and returns true to stop; a folder is entered when `enter` says so. Where the
 * limit stopped it, `unsearched` names the folder it was in.
 */
function walkBelow(
  roots: readonly string[],
  limit: number,
  enter: (st: Stats) => boolean,
  visit: (path: string, st: Stats) => boolean,
): { unsearched?: string } {
  const queue = roots.map((root) => cleanPath(root));
  let seen = 0;
  while (queue.length > 0) {
    const current = queue.shift() ?? '';
    let names: string[];
    try {
      names = readdirSync(current);
    } catch {
      continue;
    }
    for (const name of names) {
      if (++seen > limit) return { unsearched: current };
      // A clean folder and a name read from it (never `.`, `..` or with a slash): joined as
      // posix.join would, without its normalizer, which hundreds of entries would make hot.
      const path = childPath(current, name);
      const st = statOrUndefined(path, false);
      if (st === undefined) continue;
      if (visit(path, st)) return {};
      if (st.isDirectory() && enter(st)) queue.push(path);
    }
  }
  return {};
}

/** How many entries the walk of one engine run folder may look at: they hold some dozens. */
const RUN_DIR_LIMIT = 2_000;

/**
 * Every socket in the engines' run folders beyond the named ones: containerd's shim and debug
 * sockets, the engine's metrics and libnetwork sockets, plugin sockets. Each answers requests that
 * act on containers or the engine, so a hard link to one elsewhere is that engine's socket too.
 */
function runDirSockets(host: HostView, known: readonly SocketIdentity[]): SocketIdentity[] {
  const mounts = readMounts();
  const out: SocketIdentity[] = [];
  const seen = new Set(known.map((s) => `${s.dev}:${s.ino}`));
  for (const d of engineRunDirs(host)) {
    walkBelow(
      d.forms.flatMap(expandWildcards),
      RUN_DIR_LIMIT,
      () => true,
      (path, st) => {
        if (!st.isSocket() || seen.has(`${st.dev}:${st.ino}`)) return false;
        seen.add(`${st.dev}:${st.ino}`);
        out.push({
          engine: d.engine,
          path,
          dev: st.dev,
          ino: st.ino,
          nlink: st.nlink,
          gid: st.gid,
          aliases: mountAliases(path, st.dev, mounts),
        });
        return false;
      },
    );
  }
  return out;
}

/** How many entries a folder walk for hard-linked sockets may look at before giving up (and refusing). */
const WALK_LIMIT = 20_000;

/**
 * A socket below `dir` that is one of `sockets` by device and inode. Only the file systems of
 * sockets with more than one name are walked: a hard link cannot cross file systems.
 */
function findLinkedSocket(
  dir: string,
  sockets: readonly SocketIdentity[],
): { found?: { at: string; socket: SocketIdentity }; unsearched?: string } {
  const devices = new Set(sockets.filter((s) => s.nlink > 1).map((s) => s.dev));
  if (devices.size === 0) return {};
  let found: { at: string; socket: SocketIdentity } | undefined;
  const walked = walkBelow(
    [dir],
    WALK_LIMIT,
    (st) => devices.has(st.dev),
    (path, st) => {
      if (!st.isSocket() || !devices.has(st.dev)) return false;
      const socket = sockets.find((s) => s.dev === st.dev && s.ino === st.ino);
      if (socket !== undefined) found = { at: path, socket };
      return found !== undefined;
    },
  );
  return found !== undefined ? { found } : walked;
}

/**
 * Whether someone other than the invoking user (or root) can write to a folder: its owner, any
 * user through o+w, or a group other than the user's own and root's through g+w.
 */
function writableByOthers(path: string, st: Stats, invoker: Invoker): string | undefined {
  if (st.uid !== invoker.uid && st.uid !== 0) return `it belongs to uid ${st.uid}`;
  if ((st.mode & 0o002) !== 0) return 'every user may write to it';
  if ((st.mode & 0o020) !== 0 && st.gid !== invoker.gid && st.gid !== 0) return `group ${st.gid} may write to it`;
  if ((st.mode & 0o020) !== 0 && hasAcl(path)) return 'its access control list may let other users write to it';
  return undefined;
}

/**
 * The first component of a canonical path another user could replace (with a symlink to /etc,
 * say) between the check and the mount: it lies in a folder others may write to, unless that
 * folder is sticky (like /tmp) and the component is the invoking user's or root's.
 */
export function replaceablePart(real: string, invoker: Invoker): { path: string; why: string } | undefined {
  const parts = real.split('/').filter((p) => p !== '');
  let parent = '/';
  for (const part of parts) {
    const path = posix.join(parent, part);
    const dir = statOrUndefined(parent, false);
    if (dir === undefined) return undefined;
    const why = writableByOthers(parent, dir, invoker);
    if (why !== undefined) {
      // In a sticky folder (like /tmp) others may not rename or remove an entry that is not
      // theirs, as long as the folder itself is not theirs either.
      const own = statOrUndefined(path, false);
      const trusted = (uid: number): boolean => uid === invoker.uid || uid === 0;
      const safe = (dir.mode & 0o1000) !== 0 && trusted(dir.uid) && own !== undefined && trusted(own.uid);
      if (!safe) return { path, why: `${parent} ${why}${own === undefined ? ` and ${part} does not exist yet` : ''}` };
    }
    parent = path;
  }
  return undefined;
}

/** The host facts for the paths a run mounts. */
export function gatherHostFacts(paths: readonly string[], host: HostView, invoker: Invoker): HostFacts {
  const named = socketIdentities(host);
  // The run folders are walked only when a mounted path is a socket or a folder: most runs mount none.
  const kinds = paths.map((p) => statOrUndefined(host.realpath(p)));
  const sockets = kinds.some((st) => st?.isSocket() === true || st?.isDirectory() === true)
    ? [...named, ...runDirSockets(host, named)]
    : named;
  const facts: HostFacts = {
    invoker,
    paths: {},
    socketGroups: named.map((s) => ({ gid: s.gid, socket: s.path })),
  };
  const shadow = hostGroupId('shadow');
  if (shadow !== undefined) facts.shadowGid = shadow;
  for (const path of new Set(paths)) {
    // Through the host view: the rules resolve the same path through it and must see the same answer.
    const real = host.realpath(path);
    const st = statOrUndefined(real);
    const fact: HostPathFacts = {
      real,
      kind:
        st === undefined
          ? 'missing'
          : st.isSocket()
            ? 'socket'
            : st.isDirectory()
              ? 'directory'
              : st.isFile()
                ? 'file'
                : 'other',
    };
    const replaceable = replaceablePart(real, invoker);
    if (replaceable !== undefined) fact.replaceable = replaceable;
    if (st?.isSocket() === true) {
      const socket = sockets.find((s) => s.dev === st.dev && s.ino === st.ino);
      if (socket !== undefined) fact.engineSocket = { engine: socket.engine, socket: socket.path, found: real };
    } else if (st?.isDirectory() === true) {
      const alias = sockets.flatMap((s) => s.aliases.map((a) => ({ a, s }))).find(({ a }) => isWithin(a, real));
      if (alias !== undefined) {
        fact.engineSocket = { engine: alias.s.engine, socket: alias.s.path, found: alias.a };
      } else {
        const walked = findLinkedSocket(real, sockets);
        if (walked.found !== undefined)
          fact.engineSocket = {
            engine: walked.found.socket.engine,
            socket: walked.found.socket.path,
            found: walked.found.at,
          };
        if (walked.unsearched !== undefined) fact.unsearched = walked.unsearched;
      }
    }
    if (fact.engineSocket === undefined && st?.isSocket() === true) {
      const alias = sockets.find((s) => s.aliases.includes(real));
      if (alias !== undefined) fact.engineSocket = { engine: alias.engine, socket: alias.path, found: real };
    }
    facts.paths[path] = fact;
  }
  return facts;
}

/** A group's gid in this host's /etc/group. */
function hostGroupId(name: string): number | undefined {
  try {
    const line = readFileSync('/etc/group', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${name}:`));
    const gid = Number(line?.split(':')[2]);
    return line === undefined || !Number.isInteger(gid) ? undefined : gid;
  } catch {
    return undefined;
  }
}

/** The key under which a mount source's facts are kept: absolute, ~ expanded, not cleaned. */
export function hostPathKey(source: string, host: Pick<HostView, 'home' | 'cwd'>): string {
  const expanded = expandHome(source, host.home);
  return expanded.startsWith('/') ? expanded : posix.join(host.cwd, expanded);
}
