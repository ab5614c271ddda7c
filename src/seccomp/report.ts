import { formatFinding } from './validate.js';
import type { SeccompCheck, SeccompProfile } from './types.js';

export interface SeccompReport {
  stdout: string[];
  stderr: string[];
  /** 0: valid; 1: problems (or an unreadable file). */
  exitCode: 0 | 1;
}

const archName = (a: string): string => a.replace(/^SCMP_ARCH_/, '').toLowerCase();

/** "SCMP_ACT_ERRNO (errno 1)", "x86_64+x86+x32, aarch64+arm". */
export function describeDefault(p: SeccompProfile): string {
  return p.defaultAction === 'SCMP_ACT_ERRNO'
    ? `${p.defaultAction} (errno ${p.defaultErrnoRet ?? 1})`
    : p.defaultAction;
}

export function describeArches(p: SeccompProfile): string {
  if (p.archMap !== undefined) {
    return p.archMap.map((m) => [m.architecture, ...m.subArchitectures].map(archName).join('+')).join(', ');
  }
  if (p.architectures !== undefined && p.architectures.length > 0) return p.architectures.map(archName).join(', ');
  return 'native only';
}

/** What `safedock seccomp check` prints for one file. */
export function renderSeccompCheck(check: SeccompCheck): SeccompReport {
  const notes = check.notes.map((n) => formatFinding(check.source, n).replace(/^/, 'note: '));
  if (check.profile !== undefined) {
    const p = check.profile;
    const n = p.syscalls.length;
    return {
      stdout: [
        `${check.source}: valid (${n} rule${n === 1 ? '' : 's'}, default ${describeDefault(p)}, archs ${describeArches(p)})`,
        ...notes,
      ],
      stderr: [],
      exitCode: 0,
    };
  }
  const k = check.problems.length;
  return {
    stdout: [],
    stderr: [
      ...check.problems.map((p) => formatFinding(check.source, p)),
      ...notes,
      `${check.source}: invalid (${k} problem${k === 1 ? '' : 's'})`,
    ],
    exitCode: 1,
  };
}
