/**
 * The one table of error-line shapes that point at the hardening, most specific first: a line is
 * read by the first row that matches it and gives a finding. Each row names the programs seen to
 * print that shape; test/unit/learn/evidence.test.ts holds real lines from each.
 */
import { ALL_SYSCALL_NAMES } from '../seccomp/syscalls.js';
import { CAPABILITIES } from '../seccomp/types.js';
import type { Evidence, EvidencePattern, PrivilegedOp } from './evidence-types.js';

/** The error texts, as C's strerror, Go, Node, Python, Java and MySQL spell them. */
const READ_ONLY = /Read-only file system|\bEROFS\b|\[Errno 30\]|\berrno 30\b|Errcode: 30\b|\(30\)|\(30: /i;
const DENIED = /Permission denied|\bEACCES\b|\[Errno 13\]|Errcode: 13\b|\(13\)|\(13: |AccessDeniedException/i;

const SYSCALLS = new Set(ALL_SYSCALL_NAMES);
const CAPS = new Set<string>(CAPABILITIES);

/** The operations whose EPERM means a missing capability, by the names programs print. */
const PRIVILEGED: Readonly<Record<string, PrivilegedOp>> = {
  chown: 'chown',
  lchown: 'chown',
  fchown: 'chown',
  fchownat: 'chown',
  chmod: 'chmod',
  fchmod: 'chmod',
  setuid: 'setuid',
  seteuid: 'setuid',
  setresuid: 'setuid',
  setgid: 'setgid',
  setegid: 'setgid',
  setresgid: 'setgid',
  setgroups: 'setgroups',
  initgroups: 'setgroups',
  chroot: 'chroot',
  setrlimit: 'setrlimit',
  setpriority: 'nice',
  nice: 'nice',
};

interface Located {
  text: string;
  at: number;
}

/**
 * The path a message is about: of the paths in the line (quoted ones, and absolute ones outside
 * quotes), the last one before the error text, else the first one after it. A shell names its
 * script first and the file last (`/entrypoint.sh: 12: cannot create /etc/x: Read-only file
 * system`); Node names the file after the error (`EROFS: read-only file system, open '/x'`).
 */
export function pathNear(line: string, errorAt: number): string | undefined {
  const found: Located[] = [];
  const quoted = /"([^"\n]+)"|(?<![A-Za-z])'([^'\n]+)'|`([^`\n]+)'|\u2018([^\u2019\n]+)\u2019/g;
  const spans: Array<[number, number]> = [];
  for (let m = quoted.exec(line); m !== null; m = quoted.exec(line)) {
    spans.push([m.index, m.index + m[0].length]);
    const text = m[1] ?? m[2] ?? m[3] ?? m[4] ?? '';
    if (looksLikePath(text)) found.push({ text, at: m.index });
  }
  const bare = /(?:^|[\s(=[<,])(\/[\w.@+~%-][^\s"'():,;\]>]*|\/(?=[\s:]))/g;
  for (let m = bare.exec(line); m !== null; m = bare.exec(line)) {
    const at = m.index + m[0].indexOf('/');
    if (spans.some(([from, to]) => at >= from && at < to)) continue;
    found.push({ text: (m[1] ?? '').replace(/\.+$/, ''), at });
  }
  found.sort((a, b) => a.at - b.at);
  const before = found.filter((f) => f.at < errorAt).at(-1);
  return (before ?? found.find((f) => f.at >= errorAt))?.text;
}

function looksLikePath(text: string): boolean {
  if (/\s/.test(text) || text.length > 4096) return false;
  return text.includes('/') ? !/^[a-z][a-z0-9+.-]*:\/\//i.test(text) : /^[\w.-]+\.[A-Za-z]\w*$/.test(text);
}

/** The port at the end of an address: `0.0.0.0:80`, `[::]:80`, `*:80`, `http-nio-80`. */
function portOf(address: string): number | undefined {
  const m = /(?:^|[:-])(\d{1,5})\]?$/.exec(address.trim().replace(/["')]+$/, ''));
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/** A failed bind is the hardening's doing only below 1024, the kernel's privileged ports. */
function bind(address: string, line: string): Evidence | undefined {
  const port = portOf(address);
  return port !== undefined && port > 0 && port < 1024 ? { kind: 'bind', port, line } : undefined;
}

function withPath(kind: 'read-only' | 'denied', line: string, errorAt: number): Evidence | undefined {
  const path = pathNear(line, errorAt);
  return path === undefined ? undefined : { kind, path, line };
}

function privileged(name: string, line: string, path?: string): Evidence | undefined {
  const op = PRIVILEGED[name.toLowerCase()];
  if (op === undefined) return undefined;
  return path === undefined ? { kind: 'not-permitted', op, line } : { kind: 'not-permitted', op, path, line };
}

const user = (name: string | undefined, line: string): Evidence | undefined =>
  name === undefined || name === '' ? undefined : { kind: 'no-user', user: name, line };

export const EVIDENCE_PATTERNS: readonly EvidencePattern[] = [
  // --- a user the image does not define -----------------------------------------------------
  {
    from: 'the engine at start, gosu, su-exec',
    pattern: /unable to find (?:user|group) ([^\s:]+): no matching entries in (?:passwd|group) file/i,
    read: (m, line) => user(m[1], line),
  },
  { from: 'nginx', pattern: /getpwnam\("([^"]+)"\) failed/, read: (m, line) => user(m[1], line) },
  { from: 'nginx', pattern: /getgrnam\("([^"]+)"\) failed/, read: (m, line) => user(m[1], line) },
  { from: 'apache2', pattern: /bad (?:user|group) name (\S+)/, read: (m, line) => user(m[1], line) },
  { from: 'coreutils chown', pattern: /invalid (?:user|group|spec): '([^':]+)/, read: (m, line) => user(m[1], line) },
  { from: 'su, runuser', pattern: /\buser (\S+) does not exist/, read: (m, line) => user(m[1], line) },
  {
    from: 'php-fpm',
    pattern: /cannot get [ug]id for (?:user|group) '([^']+)'/,
    read: (m, line) => user(m[1], line),
  },
  {
    from: 'mysqld, mariadbd',
    pattern: /Can't change to run as user '([^']+)'/,
    read: (m, line) => user(m[1], line),
  },
  {
    from: 'initdb, pg_ctl',
    pattern: /could not look up effective user ID (\d+)/,
    read: (m, line) => user(m[1], line),
  },
  {
    from: 'sudo, whoami, id',
    pattern: /(?:unknown uid|cannot find name for user ID) (\d+)/,
    read: (m, l) => user(m[1], l),
  },
  { from: 'sshd, cron', pattern: /No passwd entry for user '([^']+)'/, read: (m, line) => user(m[1], line) },

  // --- a program that must start as root says it is not ------------------------------------
  {
    from: 'su, sudo, supervisord, Debian start scripts',
    pattern:
      /must be (?:suid|setuid|run as root)|effective uid is not 0|"no new privileges" flag is set|Can't drop privilege as nonroot user|must be run as root|requires root privileges/i,
    read: (_m, line) => ({ kind: 'needs-root', line }),
  },

  // --- a capability named in the message ------------------------------------------------------
  {
    from: 'ping, arping, capsh, setcap-aware programs',
    pattern: /\bcap[_ ]([a-z_]{3,})(?:\+[eip]+)?\b|\bCAP_([A-Z_]{3,})\b/,
    read: (m, line) => {
      const name = `CAP_${(m[1] ?? m[2] ?? '').toUpperCase()}`;
      return CAPS.has(name) ? { kind: 'capability', capability: name.slice(4), line } : undefined;
    },
  },

  // --- a port below 1024 ----------------------------------------------------------------------
  {
    from: 'nginx',
    pattern: /bind\(\) to (\S+) failed \(13: Permission denied\)/,
    read: (m, line) => bind(m[1] ?? '', line),
  },
  {
    from: 'apache2',
    pattern: /Permission denied: (?:AH\d+: )?make_sock: could not bind to address (\S+)/,
    read: (m, line) => bind(m[1] ?? '', line),
  },
  { from: 'node', pattern: /listen EACCES: permission denied (\S+)/, read: (m, line) => bind(m[1] ?? '', line) },
  {
    from: 'redis-server, valkey',
    pattern: /listening socket (\S+): bind: Permission denied/,
    read: (m, line) => bind(m[1] ?? '', line),
  },
  {
    from: 'php-fpm',
    pattern: /unable to bind listening socket for address '([^']+)': Permission denied/,
    read: (m, line) => bind(m[1] ?? '', line),
  },
  {
    from: 'sshd',
    pattern: /Bind to port (\d+) on \S+ failed: Permission denied/,
    read: (m, line) => bind(m[1] ?? '', line),
  },
  {
    from: 'Go net/http, caddy, traefik',
    pattern: /listen tcp[46]? (\S+): bind: permission denied/i,
    read: (m, line) => bind(m[1] ?? '', line),
  },
  {
    from: 'python asyncio, uvicorn, gunicorn',
    pattern: /error while attempting to bind on address \('([^']+)', (\d+)\)[^\n]*permission denied/i,
    read: (m, line) => bind(`:${m[2] ?? ''}`, line),
  },
  {
    from: 'dnsmasq, haproxy, lighttpd, others',
    pattern: /\bbind(?:ing)?\b[^\n]*?(?:port[: ]+(\d{1,5})|(\S+:\d{1,5}))[^\n]*(?:Permission denied|EACCES)/i,
    read: (m, line) => bind(m[1] === undefined ? (m[2] ?? '') : `:${m[1]}`, line),
  },

  // --- EPERM on an operation that needs a capability -----------------------------------------
  {
    from: 'nginx',
    pattern: /\b(chown|chmod|setgid|setuid|setgroups|initgroups|chroot|setrlimit|setpriority)\(([^)]*)\) failed \(1: /,
    read: (m, line) => privileged(m[1] ?? '', line, /"([^"]+)"/.exec(m[2] ?? '')?.[1]),
  },
  {
    from: 'coreutils chown, chgrp',
    pattern: /(?:chown|chgrp): changing (?:ownership|group) of '([^']+)': Operation not permitted/,
    read: (m, line) => privileged('chown', line, m[1]),
  },
  {
    from: 'coreutils chmod',
    pattern: /chmod: changing permissions of '([^']+)': Operation not permitted/,
    read: (m, line) => privileged('chmod', line, m[1]),
  },
  {
    from: 'busybox chown, s6-chown',
    pattern: /\b(chown|chmod)\b:? (?:unable to \w+ )?([^\s:']+): Operation not permitted/,
    read: (m, line) => privileged(m[1] ?? '', line, m[2]),
  },
  {
    from: 'node',
    pattern: /EPERM: operation not permitted, (l?chown|fchown|chmod|fchmod) '([^']+)'/,
    read: (m, line) => privileged(m[1] ?? '', line, m[2]),
  },
  {
    from: 'php-fpm',
    pattern: /failed to (setgid|setuid|initgroups|chown\(\) the socket '([^']+)')/,
    read: (m, line) => privileged(m[2] === undefined ? (m[1] ?? '') : 'chown', line, m[2]),
  },
  {
    from: 'gosu, su-exec, setpriv',
    pattern: /failed switching to "[^"]+": operation not permitted|setpriv: setresuid failed/i,
    read: (_m, line) => privileged('setuid', line),
  },
  {
    from: 'apache2, sshd, cron, busybox',
    pattern:
      /\b(setgid|setuid|initgroups|setgroups|chroot|seteuid|setegid|setresuid|setresgid)\b[^\n]*Operation not permitted|Operation not permitted[^\n]*\b(setgid|setuid|initgroups|setgroups)\b/,
    read: (m, line) => privileged(m[1] ?? m[2] ?? '', line, /chroot\("([^"]+)"\)/.exec(line)?.[1]),
  },
  {
    from: 'nice, renice, chrt',
    pattern: /cannot set niceness|failed to set priority|setpriority[^\n]*Permission denied/i,
    read: (_m, line) => privileged('nice', line),
  },

  // --- EPERM on a system call the message names (seccomp) -----------------------------------
  {
    from: 'nginx, libuv, util-linux, many C programs',
    pattern:
      /\b([a-z_][a-z0-9_]*)(?:\(\))?(?: failed)?(?: \(1: |: |, )(?:Operation not permitted|EPERM)|\b([a-z_][a-z0-9_]*)\(\) failed[^\n]*Operation not permitted/,
    read: (m, line) => {
      const name = m[1] ?? m[2] ?? '';
      return SYSCALLS.has(name) && PRIVILEGED[name] === undefined
        ? { kind: 'syscall', syscall: name, line }
        : undefined;
    },
  },

  // --- a write under the read-only root ------------------------------------------------------
  {
    from: 'redis-server',
    pattern:
      /Failed opening (?:the )?(?:temp )?RDB file (\S+) \(in server root dir (\/\S*)\)[^\n]*Read-only file system/,
    read: (m, line) => ({ kind: 'read-only', path: `${(m[2] ?? '').replace(/\/$/, '')}/${m[1] ?? ''}`, line }),
  },
  {
    from: 'every program (strerror, Go, Node, Python, Java, MySQL spellings)',
    pattern: READ_ONLY,
    read: (m, line) => withPath('read-only', line, m.index),
  },

  // --- a path the container's user may not use ---------------------------------------------
  {
    from: 'redis-server',
    pattern: /Failed opening (?:the )?(?:temp )?RDB file (\S+) \(in server root dir (\/\S*)\)[^\n]*Permission denied/,
    read: (m, line) => ({ kind: 'denied', path: `${(m[2] ?? '').replace(/\/$/, '')}/${m[1] ?? ''}`, line }),
  },
  {
    from: 'every program (strerror, Go, Node, Python, Java, MySQL spellings)',
    pattern: DENIED,
    read: (m, line) => withPath('denied', line, m.index),
  },
];
