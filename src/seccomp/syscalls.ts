import { AARCH64_SYSCALLS } from './syscalls-aarch64.js';
import { X86_64_SYSCALLS } from './syscalls-x86_64.js';

/** The architectures whose syscall tables safedock carries. */
export type SyscallArch = 'x86_64' | 'aarch64';
export const SYSCALL_ARCHES: readonly SyscallArch[] = ['x86_64', 'aarch64'];

const TABLES: Record<SyscallArch, ReadonlySet<string>> = {
  x86_64: new Set(X86_64_SYSCALLS),
  aarch64: new Set(AARCH64_SYSCALLS),
};

/** Every name from both tables, x86_64's first (so did-you-mean prefers the more common spelling). */
export const ALL_SYSCALL_NAMES: readonly string[] = [...new Set([...X86_64_SYSCALLS, ...AARCH64_SYSCALLS])];

export function isSyscall(name: string, arch: SyscallArch): boolean {
  return TABLES[arch].has(name);
}

/** The architectures (of those safedock knows) that define `name`. */
export function syscallArches(name: string): SyscallArch[] {
  return SYSCALL_ARCHES.filter((a) => TABLES[a].has(name));
}
