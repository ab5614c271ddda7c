import { readFile, readlink, readdir } from 'node:fs/promises';
import { parseIdMap, parseProcStatus, type IdRange, type ProcStatus } from './proc-status.js';
import { parseTcpListeners, socketInode, type TcpListener } from './proc-net.js';

/** Namespaces an audit compares between processes, by their /proc/PID/ns link (e.g. "pid:[4026532180]"). */
export const NAMESPACE_KINDS = ['pid', 'ipc', 'uts', 'net'] as const;
export type NamespaceKind = (typeof NAMESPACE_KINDS)[number];

/** A process as the host's /proc shows it. */
export interface ProcessView {
  pid: number;
  status: ProcStatus;
  uidMap: IdRange[];
  namespaces: Partial<Record<NamespaceKind, string>>;
  /** /proc/PID/cgroup, to check that the process is the container's. */
  cgroup: string;
}

/** Why a process could not be read: gone, not ours to read, or not a process this kernel describes. */
export class ProcessUnreadable extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.name = 'ProcessUnreadable';
    this.code = code;
  }
}

async function optional(read: Promise<string>): Promise<string | undefined> {
  try {
    return await read;
  } catch {
    return undefined;
  }
}

/** Reads a process's status, uid map, namespaces and cgroup from the host's /proc. */
export async function readProcess(pid: number, proc = '/proc'): Promise<ProcessView> {
  const base = `${proc}/${pid}`;
  let statusText: string;
  try {
    statusText = await readFile(`${base}/status`, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    throw new ProcessUnreadable(`cannot read ${base}/status: ${(err as Error).message}`, code);
  }
  const status = parseProcStatus(statusText);
  if (status === undefined)
    throw new ProcessUnreadable(`${base}/status lacks Uid, CapEff, NoNewPrivs or Seccomp`, 'EPROTO');
  const [uidMap, cgroup, ...links] = await Promise.all([
    optional(readFile(`${base}/uid_map`, 'utf8')),
    optional(readFile(`${base}/cgroup`, 'utf8')),
    ...NAMESPACE_KINDS.map((ns) => optional(readlink(`${base}/ns/${ns}`))),
  ]);
  const namespaces: Partial<Record<NamespaceKind, string>> = {};
  NAMESPACE_KINDS.forEach((ns, i) => {
    const link = links[i];
    if (link !== undefined) namespaces[ns] = link;
  });
  return { pid, status, uidMap: parseIdMap(uidMap ?? ''), namespaces, cgroup: cgroup ?? '' };
}

/** The command line of a process, split at its NUL bytes. */
export async function readCmdline(pid: number, proc = '/proc'): Promise<string[]> {
  const raw = await readFile(`${proc}/${pid}/cmdline`, 'utf8');
  return raw.split('\0').filter((arg, i, all) => arg !== '' || i < all.length - 1);
}

/** The inodes of a process's open sockets; throws when its fd folder cannot be read (another user's). */
export async function socketInodes(pid: number, proc = '/proc'): Promise<Set<number>> {
  const dir = `${proc}/${pid}/fd`;
  const fds = await readdir(dir);
  const links = await Promise.all(fds.map((fd) => optional(readlink(`${dir}/${fd}`))));
  const out = new Set<number>();
  for (const link of links) {
    const inode = link === undefined ? undefined : socketInode(link);
    if (inode !== undefined) out.add(inode);
  }
  return out;
}

/** Processes whose name (/proc/PID/comm) is `name`. */
export async function processesNamed(name: string, proc = '/proc'): Promise<number[]> {
  const entries = await readdir(proc).catch(() => [] as string[]);
  const pids = entries.filter((e) => /^\d+$/.test(e)).map(Number);
  const comms = await Promise.all(pids.map((pid) => optional(readFile(`${proc}/${pid}/comm`, 'utf8'))));
  return pids.filter((_, i) => comms[i]?.trim() === name);
}

/**
 * The TCP sockets a process listens on: the listening sockets of its network namespace
 * (/proc/PID/net/tcp and tcp6) that are among its open files (`inodes`, from socketInodes).
 */
export async function tcpListenersOf(pid: number, inodes: ReadonlySet<number>, proc = '/proc'): Promise<TcpListener[]> {
  const tables = await Promise.all(['tcp', 'tcp6'].map((t) => optional(readFile(`${proc}/${pid}/net/${t}`, 'utf8'))));
  return tables.flatMap((t) => parseTcpListeners(t ?? '')).filter((l) => inodes.has(l.inode));
}
