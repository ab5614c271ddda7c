/**
 * The diagnosis of a container that died of the hardening: from its exit code, the tail of its
 * output and what safedock knows of the run, the cause, the preset setting responsible, the flag
 * that would fix it and the `safedock learn` line that finds every fix. Pure.
 */
import { posix } from 'node:path';
import { shellQuote } from '../presets/render.js';
import { parseEvidence, type Evidence } from './evidence.js';
import { NEVER_COVER } from './mount-plan.js';

/** The parts of the hardening a diagnosis may blame. */
export type Hardening = 'read-only' | 'user' | 'cap-drop' | 'seccomp' | 'no-new-privileges';

export interface DiagnosisFacts {
  /** The setting responsible for a part of the hardening, as the run's provenance names it (hardening-setting.ts). */
  setting: (part: Hardening) => string;
  /** The container's user as numbers, for a tmpfs owned by it (undefined: not known). */
  ids: { uid: number; gid: number } | undefined;
  readOnly: boolean;
  /** The command the container ran (entrypoint and arguments), for a relative path's folder. */
  command: readonly string[];
  env: readonly string[];
  workingDir: string;
  /** Whether the run's seccomp profile refuses a system call (undefined: not known). */
  seccompRefuses: (syscall: string) => boolean | undefined;
  /** Whether the engine's own default profile lets any container make it (src/seccomp/engine-default.ts). */
  engineAllows: (syscall: string) => boolean;
  /** The name a volume for a folder gets. */
  volumeName: (path: string) => string;
  /** The arguments of `safedock learn` that repeat the run (options, image, command). */
  learnArgs: readonly string[];
}

export interface Diagnosis {
  cause: string;
  setting: string;
  /** The flag that fixes this failure, when one narrower than the hardening itself exists. */
  fix: string | undefined;
  /** A fix that is no single flag but narrower than giving the hardening up (safedock learn makes it). */
  remedy?: string;
  learn: string;
  evidence: Evidence;
}

/** Folders whose content lives only while the program runs: a tmpfs is the right fix there. */
const TRANSIENT = ['/run', '/var/run', '/var/lock', '/tmp', '/var/tmp', '/var/log', '/var/cache'];
const isTransient = (path: string): boolean => TRANSIENT.some((t) => path === t || path.startsWith(`${t}/`));

/** A diagnosis when the exit was non-zero and the output points at the hardening; otherwise undefined. */
export function diagnose(exitCode: number, output: string, facts: DiagnosisFacts): Diagnosis | undefined {
  if (exitCode === 0) return undefined;
  for (const evidence of parseEvidence(output)) {
    const d = explain(evidence, facts);
    if (d !== undefined)
      return { ...d, evidence, learn: `safedock learn ${facts.learnArgs.map(shellQuote).join(' ')}` };
  }
  return undefined;
}

function explain(e: Evidence, facts: DiagnosisFacts): Omit<Diagnosis, 'learn' | 'evidence'> | undefined {
  const { setting } = facts;
  const owner =
    facts.ids === undefined ? 'uid=UID,gid=GID' : `uid=${String(facts.ids.uid)},gid=${String(facts.ids.gid)}`;
  const tmpfs = (path: string): string => `--tmpfs ${shellQuote(`${path}:${owner}`)}`;
  switch (e.kind) {
    case 'read-only': {
      if (!facts.readOnly) return undefined;
      const path = absolutePath(e.path, facts);
      const isDir = /mkdir|director/i.test(e.line);
      const folder = isDir ? madeFolderMount(path) : posix.dirname(path);
      let fix: string | undefined;
      if (NEVER_COVER.has(folder)) fix = undefined;
      else if (isDir || isTransient(folder)) fix = tmpfs(folder);
      else fix = `--volume ${shellQuote(`${facts.volumeName(folder)}:${folder}`)}`;
      return {
        cause: `${path} cannot be written: the root filesystem is read-only`,
        setting: setting('read-only'),
        fix,
      };
    }
    case 'denied': {
      const path = absolutePath(e.path, facts);
      const folder = posix.dirname(path);
      return {
        cause: `the container's user may not use ${path} (it belongs to another user)`,
        setting: setting('user'),
        fix: isTransient(folder) && !NEVER_COVER.has(folder) ? tmpfs(folder) : undefined,
      };
    }
    case 'not-permitted':
      return {
        cause: `${e.op}${e.path === undefined ? '' : ` on ${e.path}`} is not permitted: the program switches to its own user or gives files to it, which needs capabilities docker gives only to root`,
        setting: `${setting('cap-drop')}; ${setting('user')}`,
        fix: undefined,
      };
    case 'bind':
      return {
        cause: `port ${String(e.port)} is below 1024 and the container's user holds no capability to bind it`,
        setting: `${setting('cap-drop')}; ${setting('user')}`,
        fix: `--sysctl net.ipv4.ip_unprivileged_port_start=${String(e.port)}`,
      };
    case 'syscall': {
      if (facts.seccompRefuses(e.syscall) !== true) return undefined;
      const engineAllows = facts.engineAllows(e.syscall);
      return {
        cause: engineAllows
          ? `the system call ${e.syscall} was refused: the run's seccomp profile does not allow it (the engine's default profile does)`
          : `the system call ${e.syscall} was refused: the run's seccomp profile does not allow it, nor does the engine's default`,
        setting: setting('seccomp'),
        fix: undefined,
        ...(engineAllows ? { remedy: `the same profile with ${e.syscall} allowed (safedock learn writes it)` } : {}),
      };
    }
    case 'no-user':
      return {
        cause: `the image defines no user ${e.user}`,
        setting: setting('user'),
        fix: undefined,
      };
    case 'capability':
      return {
        cause: `the program needs the capability ${e.capability}`,
        setting: setting('cap-drop'),
        fix: facts.ids?.uid === 0 ? `--cap-add ${e.capability}` : undefined,
      };
    case 'needs-root':
      return {
        cause: 'the program must start as root to switch users',
        setting: `${setting('user')}; ${setting('no-new-privileges')}`,
        fix: undefined,
      };
  }
}

/**
 * The folder to mount for a folder the program makes: its parent when that is the program's own
 * folder (/var/lib/nginx for /var/lib/nginx/body), else the folder itself (/var/run/apache2).
 */
function madeFolderMount(path: string): string {
  const parent = posix.dirname(path);
  const depth = parent.split('/').filter((p) => p !== '').length;
  return depth >= 3 && !NEVER_COVER.has(parent) && !isTransientRoot(parent) ? parent : path;
}

const isTransientRoot = (path: string): boolean => TRANSIENT.includes(path) || path === '/run/lock';

/** A relative path from a message, made absolute: against a data folder the command names, else the working folder. */
function absolutePath(path: string, facts: DiagnosisFacts): string {
  if (path.startsWith('/')) return path;
  const dataFlag = facts.command.findIndex((a) => /^(-D|--datadir|--data-dir|--pgdata|--dir)$/.test(a));
  const inline = facts.command
    .map((a) => /^--(?:datadir|data-dir|pgdata|dir)=(\/.+)$/.exec(a)?.[1])
    .find((d) => d !== undefined);
  const fromEnv = facts.env.map((v) => /^PGDATA=(\/.+)$/.exec(v)?.[1]).find((d) => d !== undefined);
  const next = dataFlag >= 0 ? facts.command[dataFlag + 1] : undefined;
  const base = (next?.startsWith('/') === true ? next : undefined) ?? inline ?? fromEnv ?? (facts.workingDir || '/');
  return posix.join(base, path);
}

/** The block printed after the container's own output. */
export function diagnosisText(d: Diagnosis, exitCode: number): string {
  const lines = [
    `safedock: the container exited ${String(exitCode)}, and its output points at the hardening:`,
    `  seen:    ${d.evidence.line.trim()}`,
    `  cause:   ${d.cause}`,
    `  setting: ${d.setting}`,
    d.fix !== undefined
      ? `  fix:     ${d.fix}`
      : d.remedy !== undefined
        ? `  fix:     ${d.remedy}`
        : '  fix:     no single flag; let safedock learn find the smallest change',
    `  learn:   ${d.learn}`,
  ];
  return `${lines.join('\n')}\n`;
}
