import { realpathSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import type { Invoker } from './facts.js';
import { invokingUser, isOwnHomeFolder } from './host-user.js';
import type { HostView } from './types.js';

/**
 * How far a sensitive entry reaches:
 * - exact: the path itself and every folder above it (mounting /var exposes /var/lib/docker);
 * - tree:  also anything below it (/etc/shadow, ~/.ssh/id_rsa, /proc/1);
 * - write: like tree, but only for read-write mounts: host programs and libraries hold nothing
 *          secret (a read-only /usr or /usr/share/zoneinfo leaks nothing), while a writable
 *          /usr/bin replaces the programs the host runs.
 */
export type Reach = 'exact' | 'tree' | 'write';

export interface SensitivePath {
  path: string;
  reach: Reach;
  /** What the path holds, for the finding's detail ("/etc holds …"). */
  reason: string;
}

/** Host paths that must not be mounted. Home-relative entries follow (HOME_SENSITIVE). */
export const SENSITIVE_PATHS: readonly SensitivePath[] = [
  { path: '/', reach: 'exact', reason: "the host's whole file system" },
  {
    path: '/etc',
    reach: 'tree',
    reason: 'host configuration: users, password hashes, sudoers, SSH host keys, service credentials',
  },
  { path: '/proc', reach: 'tree', reason: "the host's processes and kernel settings" },
  { path: '/sys', reach: 'tree', reason: 'kernel and device settings of the host' },
  { path: '/dev', reach: 'tree', reason: "the host's device nodes (disks, memory, terminals)" },
  { path: '/boot', reach: 'tree', reason: 'the kernel, initramfs and boot loader configuration' },
  { path: '/root', reach: 'tree', reason: "root's SSH keys, shell history and credentials" },
  { path: '/home', reach: 'exact', reason: "every user's home folder" },
  { path: '/usr', reach: 'write', reason: "the host's programs and libraries" },
  { path: '/bin', reach: 'write', reason: "the host's programs" },
  { path: '/sbin', reach: 'write', reason: "the host's system programs" },
  { path: '/lib', reach: 'write', reason: "the host's libraries and kernel modules" },
  { path: '/lib32', reach: 'write', reason: "the host's libraries" },
  { path: '/lib64', reach: 'write', reason: "the host's libraries and dynamic loader" },
  {
    path: '/var/lib/docker',
    reach: 'tree',
    reason: "Docker's data: every container's files, volumes and image layers",
  },
  { path: '/var/lib/containerd', reach: 'tree', reason: "containerd's data: every container's files and image layers" },
  {
    path: '/var/lib/containers',
    reach: 'tree',
    reason: "Podman and CRI-O data: every container's files and image layers",
  },
  {
    path: '/var/lib/kubelet',
    reach: 'tree',
    reason: "the kubelet's data, with every pod's secrets and service account tokens",
  },
  { path: '/var/lib/rancher', reach: 'tree', reason: 'k3s and RKE2 data, with the cluster token and credentials' },
  { path: '/var/log', reach: 'exact', reason: "the host's logs, authentication logs included" },
  { path: '/var/backups', reach: 'tree', reason: 'backups of system files, such as shadow.bak with password hashes' },
  { path: '/var/spool/cron', reach: 'tree', reason: 'crontabs, which run commands as their owners' },
  { path: '/run/secrets', reach: 'tree', reason: 'decrypted secrets placed there by secret managers' },
  { path: '/run/credentials', reach: 'tree', reason: 'credentials systemd hands to services' },
  {
    path: '/run/dbus',
    reach: 'tree',
    reason: 'the system D-Bus socket, through which root can have systemd run commands on the host',
  },
  { path: '/run/systemd', reach: 'tree', reason: "systemd's control sockets" },
];

/** Sensitive paths below the user's home; the home folder itself is an `exact` entry. */
export const HOME_SENSITIVE: readonly SensitivePath[] = [
  { path: '.ssh', reach: 'tree', reason: 'SSH private keys and trusted hosts' },
  { path: '.gnupg', reach: 'tree', reason: 'GnuPG private keys' },
  { path: '.docker', reach: 'tree', reason: "registry credentials (config.json) and Docker Desktop's engine socket" },
  { path: '.aws', reach: 'tree', reason: 'AWS credentials' },
  { path: '.azure', reach: 'tree', reason: 'Azure CLI credentials' },
  { path: '.config/gcloud', reach: 'tree', reason: 'Google Cloud credentials' },
  { path: '.kube', reach: 'tree', reason: 'Kubernetes cluster credentials' },
  { path: '.config/gh', reach: 'tree', reason: "the GitHub CLI's token" },
  { path: '.config/containers', reach: 'tree', reason: 'Podman registry credentials (auth.json)' },
  { path: '.netrc', reach: 'tree', reason: 'passwords for FTP, HTTP and git hosts' },
  { path: '.git-credentials', reach: 'tree', reason: "git's stored passwords and tokens" },
  { path: '.npmrc', reach: 'tree', reason: 'npm registry tokens' },
  { path: '.pypirc', reach: 'tree', reason: 'PyPI upload credentials' },
  { path: '.vault-token', reach: 'tree', reason: 'a HashiCorp Vault token' },
  { path: '.terraform.d', reach: 'tree', reason: 'Terraform Cloud credentials' },
  { path: '.password-store', reach: 'tree', reason: "pass's encrypted password store" },
  { path: '.local/share/keyrings', reach: 'tree', reason: "the desktop keyring's saved passwords" },
  {
    path: '.bashrc',
    reach: 'tree',
    reason: 'shell startup commands: they often export tokens, and a write plants commands you will run',
  },
  {
    path: '.bash_profile',
    reach: 'tree',
    reason: 'shell startup commands: they often export tokens, and a write plants commands you will run',
  },
  {
    path: '.profile',
    reach: 'tree',
    reason: 'shell startup commands: they often export tokens, and a write plants commands you will run',
  },
  {
    path: '.zshrc',
    reach: 'tree',
    reason: 'shell startup commands: they often export tokens, and a write plants commands you will run',
  },
];

/**
 * Files below a sensitive tree that hold nothing private and are commonly mounted read-only
 * (time zone, CA certificates, the user list without password hashes). Each covers what is below it.
 */
export const BENIGN_READ_ONLY: readonly string[] = [
  '/etc/localtime', // the host's time zone
  '/etc/timezone', // the host's time zone name
  '/etc/hostname',
  '/etc/hosts', // name resolution, public on the host
  '/etc/resolv.conf',
  '/etc/nsswitch.conf',
  '/etc/machine-id', // read by journald clients to find the host's journal
  '/etc/os-release',
  '/etc/passwd', // user names and uids (the hashes live in /etc/shadow)
  '/etc/group',
  '/etc/ssl/certs', // public CA certificates (/etc/ssl/private stays sensitive)
  '/etc/ca-certificates',
  '/etc/pki/ca-trust',
  '/etc/pki/tls/certs',
];

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

/** Lexically clean: `..`, `.`, repeated and trailing slashes. Relative paths are taken from `cwd`. */
export function cleanPath(path: string, cwd = '/'): string {
  return posix.resolve(cwd, path);
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

/** The benign-when-read-only table, with canonical forms. */
export function benignTable(host: HostView): string[] {
  return unique(BENIGN_READ_ONLY.flatMap((p) => resolveForms(p, host)));
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
    if (readOnly && benign.some((b) => isWithin(candidate, b))) continue;
    // The entry the source equals, else one it contains, else one it lies in (the most specific).
    let above: SensitivePath | undefined;
    let below: SensitivePath | undefined;
    let belowDepth = -1;
    for (const { entry, forms } of table) {
      if (entry.reach === 'write' && readOnly) continue;
      for (const form of forms) {
        if (candidate === form) return { entry, path: candidate, relation: 'is' };
        if (isWithin(form, candidate)) above ??= entry;
        else if (isWithin(candidate, form) && entry.reach !== 'exact') {
          const depth = segments(form).length;
          if (depth > belowDepth) [below, belowDepth] = [entry, depth];
        }
      }
    }
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
    if (real !== null) return posix.join(real, ...rest);
    if (dir === '/') return posix.join('/', ...rest);
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
  return { env, cwd, home: user.home, uid: user.uid, realpath: (path) => realHostPath(path, cache) };
}
