import { realpathSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import type { Invoker } from './facts.js';
import { invokingUser, isOwnHomeFolder } from './host-user.js';
import {
  BENIGN_READ_ONLY,
  HARMLESS_DEVICES,
  HOME_SENSITIVE,
  SENSITIVE_PATHS,
  type BenignPath,
  type SensitivePath,
} from './sensitive-paths.js';
import type { HostStat, HostView } from './types.js';

export type { Reach, SensitivePath } from './sensitive-paths.js';
export { BENIGN_READ_ONLY, HOME_SENSITIVE, SENSITIVE_PATHS } from './sensitive-paths.js';

export interface EngineSocket {
  /** Absolute, `~/…` (home), or `$XDG_RUNTIME_DIR/…`; a `*` segment matches any one name. */
  path: string;
  engine: string;
}

/** Where container engines listen by default (plus DOCKER_HOST, CONTAINER_HOST and BUILDKIT_HOST). */
export const ENGINE_SOCKETS: readonly EngineSocket[] = [
  { path: '/run/docker.sock', engine: 'Docker' },
  { path: '/var/run/docker.sock', engine: 'Docker' },
  { path: '/run/docker/containerd/containerd.sock', engine: "Docker's containerd" },
  { path: '/run/containerd/containerd.sock', engine: 'containerd' },
  { path: '/run/containerd/containerd.sock.ttrpc', engine: 'containerd' },
  { path: '/run/k3s/containerd/containerd.sock', engine: "k3s's containerd" },
  { path: '/var/snap/microk8s/common/run/containerd.sock', engine: "MicroK8s's containerd" },
  { path: '/run/podman/podman.sock', engine: 'Podman' },
  { path: '/run/crio/crio.sock', engine: 'CRI-O' },
  { path: '/run/cri-dockerd.sock', engine: 'cri-dockerd' },
  { path: '/run/dockershim.sock', engine: 'dockershim' },
  { path: '/run/buildkit/buildkitd.sock', engine: 'BuildKit' },
  { path: '/run/user/*/docker.sock', engine: 'rootless Docker' },
  { path: '/run/user/*/podman/podman.sock', engine: 'rootless Podman' },
  { path: '/run/user/*/buildkit/buildkitd.sock', engine: 'rootless BuildKit' },
  { path: '$XDG_RUNTIME_DIR/docker.sock', engine: 'rootless Docker' },
  { path: '$XDG_RUNTIME_DIR/podman/podman.sock', engine: 'rootless Podman' },
  { path: '$XDG_RUNTIME_DIR/buildkit/buildkitd.sock', engine: 'rootless BuildKit' },
  { path: '~/.docker/run/docker.sock', engine: 'Docker Desktop' },
  { path: '~/.docker/desktop/docker.sock', engine: 'Docker Desktop' },
  { path: '~/.colima/*/docker.sock', engine: 'Colima' },
  { path: '~/.rd/docker.sock', engine: 'Rancher Desktop' },
  { path: '~/.orbstack/run/docker.sock', engine: 'OrbStack' },
  // Not docker's kind, but each API gives its callers root on the host (containers, VMs, snaps).
  { path: '/var/snap/lxd/common/lxd/unix.socket', engine: 'LXD' },
  { path: '/var/lib/lxd/unix.socket', engine: 'LXD' },
  { path: '/var/lib/incus/unix.socket', engine: 'Incus' },
  { path: '/run/incus/unix.socket', engine: 'Incus' },
  { path: '/run/libvirt/libvirt-sock', engine: 'libvirt' },
  { path: '/var/run/libvirt/libvirt-sock', engine: 'libvirt' },
  { path: '/run/snapd.socket', engine: 'snapd' },
];

/** A socket file named after an engine, wherever it lies (/tmp/x/docker.sock, /srv/podman.sock). */
const ENGINE_SOCKET_NAME =
  /^(?:[\w.-]*[-_.])?(?:docker|podman|containerd|crio|cri-dockerd|dockershim|buildkitd)(?:[-_.][\w.-]*)?\.sock(?:\.ttrpc)?$/i;

/** The environment variables that name an engine's address. */
const ENGINE_HOST_VARS: readonly [string, string][] = [
  ['DOCKER_HOST', 'Docker (DOCKER_HOST)'],
  ['CONTAINER_HOST', 'Podman (CONTAINER_HOST)'],
  ['BUILDKIT_HOST', 'BuildKit (BUILDKIT_HOST)'],
];

/** Tables already resolved for a view, by name. */
const resolvedTables = new WeakMap<HostView, Map<string, unknown>>();

/**
 * A table resolved for this view, once: a run judges its plan more than once with one view, and
 * resolving every table entry each time (a few hundred path operations) made Node's path code hot
 * enough for V8 to optimise it, at a cost larger than the work. The view already resolves each
 * path once (its realpath cache), so the table cannot differ between two judgements.
 */
export function oncePerView<T>(host: HostView, name: string, make: () => T): T {
  let tables = resolvedTables.get(host);
  if (tables === undefined) {
    tables = new Map();
    resolvedTables.set(host, tables);
  }
  if (!tables.has(name)) tables.set(name, make());
  return tables.get(name) as T;
}

/**
 * What makes an absolute path unclean: a repeated slash, a `.` or `..` segment, a trailing slash
 * (the root itself, `/`, is clean). The `s` flag: a name may end in a line break before its slash.
 */
const UNCLEAN = /\/\/|\/\.\.?(?:\/|$)|.\/$/s;

/** Lexically clean: `..`, `.`, repeated and trailing slashes. Relative paths are taken from `cwd`. */
export function cleanPath(path: string, cwd = '/'): string {
  // A run cleans a few hundred table paths, nearly all clean already. Answering those without
  // Node's normalizer keeps it from growing hot: V8 would compile it with its optimizing compiler
  // (CPU on a second thread, and megabytes of the runtime's own code paged in) for a process that
  // lives a quarter of a second.
  if (path.startsWith('/') && !UNCLEAN.test(path)) return path;
  return posix.resolve(cwd, path);
}

/** `folder/name` for a clean absolute folder and a plain name (no slash, not `.` or `..`). */
export function childPath(folder: string, name: string): string {
  return folder.endsWith('/') ? folder + name : `${folder}/${name}`;
}

/** `~` and `~/x` as the shell would expand them; docker itself does not. */
export function expandHome(path: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return posix.join(home, path.slice(2));
  return path;
}

/**
 * Every name the host may give a mount source: cleaned lexically, and resolved through symlinks
 * both as written (the kernel resolves `link/..` after the link) and after cleaning.
 */
export function pathCandidates(source: string, host: HostView): string[] {
  const expanded = expandHome(source, host.home);
  const raw = expanded.startsWith('/') ? expanded : posix.join(host.cwd, expanded);
  const clean = cleanPath(raw);
  return unique([clean, cleanPath(host.realpath(raw)), cleanPath(host.realpath(clean))]);
}

const unique = (paths: readonly string[]): string[] => [...new Set(paths)];

const segments = (path: string): string[] => path.split('/').filter((s) => s !== '');

/** `inner` is `outer` or lies below it. A `*` segment (in table patterns) matches any one name. */
export function isWithin(inner: string, outer: string): boolean {
  const i = segments(inner);
  const o = segments(outer);
  return o.length <= i.length && o.every((seg, k) => seg === '*' || i[k] === '*' || seg === i[k]);
}

/** An entry with its canonical forms (a table path may itself be a symlink, /var/run → /run). */
export interface Resolved<T> {
  entry: T;
  forms: string[];
}

function resolveForms(path: string, host: HostView): string[] {
  // Wildcard entries cannot be resolved; their fixed prefix is matched as written.
  return path.includes('*') ? [path] : unique([cleanPath(path), cleanPath(host.realpath(path))]);
}

/** The sensitive-path table for this host (home-relative entries expanded). */
export function sensitiveTable(host: HostView): Resolved<SensitivePath>[] {
  return oncePerView(host, 'sensitiveTable', () => sensitiveTableNow(host));
}

function sensitiveTableNow(host: HostView): Resolved<SensitivePath>[] {
  const entries: SensitivePath[] = [];
  const home = host.home === '' ? undefined : cleanPath(host.home);
  for (const e of SENSITIVE_PATHS) {
    // When the user is root, /root is their home: their own projects below it are ordinary. Never
    // for a system folder, whatever the home folder says (src/policy/host-user.ts).
    if (home !== undefined && e.reach === 'tree' && e.path === home && isOwnHomeFolder(home, host.uid ?? -1)) continue;
    entries.push(e);
  }
  if (home !== undefined) {
    entries.push({ path: home, reach: 'exact', reason: 'your files, keys and credentials (your home folder)' });
    for (const e of HOME_SENSITIVE) entries.push({ ...e, path: posix.join(home, e.path) });
  }
  // Other users' homes hold the same keys (and under sudo, HOME is /root, not theirs).
  entries.push({ path: '/home/*', reach: 'exact', reason: "a user's files, keys and credentials (a home folder)" });
  for (const e of HOME_SENSITIVE) entries.push({ ...e, path: posix.join('/home/*', e.path) });
  return entries.map((entry) => ({ entry, forms: resolveForms(entry.path, host) }));
}

/** The benign-when-read-only table for this host (`~/…` below your home and every /home/*), with canonical forms. */
export function benignTable(host: HostView): string[] {
  return oncePerView(host, 'benignTable', () => benignTableNow(host));
}

function benignTableNow(host: HostView): string[] {
  const paths = BENIGN_READ_ONLY.flatMap((b: BenignPath) => {
    if (!b.path.startsWith('~/')) return [b.path];
    const below = b.path.slice(2);
    return [...(host.home === '' ? [] : [posix.join(host.home, below)]), posix.join('/home/*', below)];
  });
  return unique(paths.flatMap((p) => resolveForms(p, host)));
}

/** The harmless device node of HARMLESS_DEVICES a source resolves to, or undefined. */
export function harmlessDevice(candidates: readonly string[]): BenignPath | undefined {
  // The name the source finally resolves to must be the device: a link named /dev/null elsewhere is not.
  const last = candidates.at(-1);
  return HARMLESS_DEVICES.find((d) => d.path === last);
}

export interface SensitiveMatch {
  entry: SensitivePath;
  /** The name of the source that matched (after cleaning or symlink resolution). */
  path: string;
  /** The source is the entry, a folder above it, or lies below it. */
  relation: 'is' | 'contains' | 'in';
}

/**
 * The sensitive entry a mount source exposes, or undefined. A source is sensitive when it is an
 * entry, a folder above one, or (per the entry's reach) lies below it.
 */
export function matchSensitive(
  candidates: readonly string[],
  readOnly: boolean,
  table: readonly Resolved<SensitivePath>[],
  benign: readonly string[],
): SensitiveMatch | undefined {
  for (const candidate of candidates) {
    // Read-only, a benign path is fine, unless a more specific sensitive entry names the source
    // itself or holds it (/etc/docker/certs.d is benign, a client.key in it is not).
    const benignDepth = readOnly
      ? Math.max(-1, ...benign.filter((b) => isWithin(candidate, b)).map((b) => segments(b).length))
      : -1;
    // The entry the source equals, else one it contains, else one it lies in (the most specific).
    let above: SensitivePath | undefined;
    let below: SensitivePath | undefined;
    let belowDepth = -1;
    let exact: SensitivePath | undefined;
    for (const { entry, forms } of table) {
      if (entry.reach === 'write' && readOnly) continue;
      for (const form of forms) {
        if (isWithin(candidate, form) && isWithin(form, candidate)) {
          if (segments(form).length > benignDepth) exact ??= entry;
        } else if (isWithin(form, candidate)) {
          if (benignDepth < 0) above ??= entry;
        } else if (isWithin(candidate, form) && entry.reach !== 'exact') {
          const depth = segments(form).length;
          if (depth > belowDepth && depth > benignDepth) [below, belowDepth] = [entry, depth];
        }
      }
    }
    if (exact !== undefined) return { entry: exact, path: candidate, relation: 'is' };
    if (above !== undefined) return { entry: above, path: candidate, relation: 'contains' };
    if (below !== undefined) return { entry: below, path: candidate, relation: 'in' };
  }
  return undefined;
}

export interface SocketMatch {
  /** The socket's path as the table names it. */
  socket: string;
  /** The name of the source that matched (after cleaning or symlink resolution). */
  path: string;
  engine: string;
  /** Whether the mount source is the socket itself (else a folder above it). */
  direct: boolean;
  /** Found by its file name alone (docker.sock in a folder no table names). */
  byName: boolean;
}

/** The engine sockets of this host: the table, with home and XDG_RUNTIME_DIR expanded, and the *_HOST variables. */
export function engineSockets(host: HostView): Resolved<EngineSocket>[] {
  return oncePerView(host, 'engineSockets', () => engineSocketsNow(host));
}

function engineSocketsNow(host: HostView): Resolved<EngineSocket>[] {
  const out: EngineSocket[] = [];
  const runtime = host.env.XDG_RUNTIME_DIR;
  for (const s of ENGINE_SOCKETS) {
    if (s.path.startsWith('~/')) {
      if (host.home !== '') out.push({ ...s, path: expandHome(s.path, host.home) });
    } else if (s.path.startsWith('$XDG_RUNTIME_DIR/')) {
      if (runtime?.startsWith('/'))
        out.push({ ...s, path: posix.join(runtime, s.path.slice('$XDG_RUNTIME_DIR/'.length)) });
    } else {
      out.push(s);
    }
  }
  for (const [name, engine] of ENGINE_HOST_VARS) {
    const value = host.env[name]?.trim();
    if (value?.startsWith('unix://') && value.length > 'unix://'.length)
      out.push({ path: value.slice('unix://'.length), engine });
  }
  return out.map((entry) => ({ entry, forms: resolveForms(entry.path, host) }));
}

/** The engine socket a mount source reaches (the socket itself or a folder above it), or undefined. */
export function matchEngineSocket(
  candidates: readonly string[],
  sockets: readonly Resolved<EngineSocket>[],
): SocketMatch | undefined {
  for (const candidate of candidates) {
    for (const { entry, forms } of sockets) {
      for (const form of forms) {
        if (isWithin(form, candidate)) {
          return {
            socket: entry.path,
            path: candidate,
            engine: entry.engine,
            direct: segments(form).length === segments(candidate).length,
            byName: false,
          };
        }
      }
    }
  }
  for (const candidate of candidates) {
    if (ENGINE_SOCKET_NAME.test(posix.basename(candidate)))
      return { socket: candidate, path: candidate, engine: 'container engine', direct: true, byName: true };
  }
  return undefined;
}

/**
 * Canonical path of an absolute path: symlinks resolved as the kernel does; for a missing path,
 * the canonical path of its longest existing parent plus the rest. `cache` spares repeated
 * system calls for the many table paths that share parents (/run/…, ~/…).
 */
export function realHostPath(path: string, cache: Map<string, string | null> = new Map()): string {
  const direct = path.startsWith('/') ? tryRealpath(path, cache) : null;
  if (direct !== null) return direct;
  let dir = cleanPath(path);
  const rest: string[] = [];
  for (;;) {
    const real = dir === path ? null : tryRealpath(dir, cache);
    // rest holds the names of a clean path: plain names, joined without the normalizer.
    if (real !== null) return rest.reduce(childPath, real);
    if (dir === '/') return rest.reduce(childPath, '/');
    rest.unshift(posix.basename(dir));
    dir = posix.dirname(dir);
  }
}

/** The canonical path, or null when the path is missing or unreadable. */
function tryRealpath(path: string, cache: Map<string, string | null>): string | null {
  const known = cache.get(path);
  if (known !== undefined) return known;
  let real: string | null = null;
  try {
    // Most table paths are missing on a given host: stat says so without the cost of an exception.
    if (statSync(path, { throwIfNoEntry: false }) !== undefined) real = realpathSync.native(path);
  } catch {
    // Unreadable (EACCES, ELOOP): resolved as far as its parents allow, like a missing path.
  }
  cache.set(path, real);
  return real;
}

/**
 * The host as a run sees it. The home folder is the invoking user's from the passwd database:
 * HOME is part of the environment a run is given and must not decide what the policy protects.
 */
export function nodeHostView(env: NodeJS.ProcessEnv, cwd: string, user: Invoker = invokingUser()): HostView {
  const cache = new Map<string, string | null>();
  return {
    env,
    cwd,
    home: user.home,
    uid: user.uid,
    realpath: (path) => realHostPath(path, cache),
    stat: statHostPath,
  };
}

/** What lies at a host path (symlinks followed), or undefined when it is missing or unreadable. */
export function statHostPath(path: string): HostStat | undefined {
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    if (st === undefined) return undefined;
    const kind = st.isFile()
      ? 'file'
      : st.isDirectory()
        ? 'directory'
        : st.isCharacterDevice()
          ? 'char-device'
          : st.isBlockDevice()
            ? 'block-device'
            : 'other';
    return { kind, uid: st.uid, gid: st.gid, mode: st.mode & 0o7777 };
  } catch {
    return undefined;
  }
}
