import { type SyscallArch, isSyscall } from './syscalls.js';
import type { SeccompAction, SeccompArg, SeccompFilter, SeccompProfile, SeccompRule } from './types.js';

export interface EvaluateOptions {
  /** The container's capability bounding set, for includes/excludes.caps (default: none, as under --cap-drop ALL). */
  caps?: readonly string[];
  /** The host kernel version for includes/excludes.minKernel (default: every minKernel is met). */
  kernel?: string;
}

export interface SeccompVerdict {
  action: SeccompAction;
  /** The errno for SCMP_ACT_ERRNO. */
  errno?: number;
  /** Index of the deciding rule in `syscalls`; absent when the default action applied. */
  rule?: number;
  /** True for SCMP_ACT_ALLOW and SCMP_ACT_LOG: the call reaches the kernel. */
  allowed: boolean;
}

/** Go's name for each architecture, as the engine matches includes/excludes.arches. */
const GOARCH: Record<SyscallArch, string> = { x86_64: 'amd64', aarch64: 'arm64' };
/** EPERM: what runc returns for SCMP_ACT_ERRNO without an errno. */
const EPERM = 1;
const MASK64 = (1n << 64n) - 1n;

function kernelAtLeast(kernel: string, min: string): boolean {
  const a = kernel.split('.').map((x) => Number.parseInt(x, 10));
  const b = min.split('.').map((x) => Number.parseInt(x, 10));
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/** moby's setupSeccomp: whether a rule reaches the filter at all on this host and container. */
function ruleApplies(rule: SeccompRule, arch: SyscallArch, options: EvaluateOptions): boolean {
  const caps = options.caps ?? [];
  const inc: SeccompFilter = rule.includes ?? {};
  const exc: SeccompFilter = rule.excludes ?? {};
  if (inc.arches !== undefined && inc.arches.length > 0 && !inc.arches.includes(GOARCH[arch])) return false;
  if (inc.caps !== undefined && !inc.caps.every((c) => caps.includes(c))) return false;
  if (inc.minKernel !== undefined && options.kernel !== undefined && !kernelAtLeast(options.kernel, inc.minKernel))
    return false;
  if (exc.arches !== undefined && exc.arches.includes(GOARCH[arch])) return false;
  if (exc.caps !== undefined && exc.caps.some((c) => caps.includes(c))) return false;
  if (exc.minKernel !== undefined && (options.kernel === undefined || kernelAtLeast(options.kernel, exc.minKernel)))
    return false;
  return true;
}

function compare(arg: SeccompArg, actual: bigint): boolean {
  const value = BigInt(arg.value);
  switch (arg.op) {
    case 'SCMP_CMP_NE':
      return actual !== value;
    case 'SCMP_CMP_LT':
      return actual < value;
    case 'SCMP_CMP_LE':
      return actual <= value;
    case 'SCMP_CMP_EQ':
      return actual === value;
    case 'SCMP_CMP_GE':
      return actual >= value;
    case 'SCMP_CMP_GT':
      return actual > value;
    case 'SCMP_CMP_MASKED_EQ':
      return (actual & value) === BigInt(arg.valueTwo ?? 0);
  }
}

/**
 * runc's reading of a rule's conditions: all must hold, except that several conditions on the same
 * argument are separate rules (any one may hold).
 */
function argsMatch(conditions: readonly SeccompArg[], args: readonly bigint[]): boolean {
  const holds = (c: SeccompArg) => compare(c, args[c.index] ?? 0n);
  const indexes = conditions.map((c) => c.index);
  if (new Set(indexes).size < indexes.length) return conditions.some(holds);
  return conditions.every(holds);
}

/**
 * What the profile does with one call of `name` on `arch`, as moby + runc + libseccomp would: rules
 * are filtered by includes/excludes, names the architecture lacks are skipped, and the first rule
 * whose argument conditions hold decides (the engine's profiles keep rules for one syscall disjoint).
 * Missing arguments count as 0; arguments are 64-bit unsigned.
 */
export function evaluateSyscall(
  profile: SeccompProfile,
  name: string,
  args: readonly (number | bigint)[] = [],
  arch: SyscallArch = 'x86_64',
  options: EvaluateOptions = {},
): SeccompVerdict {
  const values = args.map((a) => BigInt(a) & MASK64);
  if (isSyscall(name, arch)) {
    for (const [i, rule] of profile.syscalls.entries()) {
      if (!rule.names.includes(name) || !ruleApplies(rule, arch, options)) continue;
      if (rule.args !== undefined && !argsMatch(rule.args, values)) continue;
      return verdict(rule.action, rule.errnoRet, i);
    }
  }
  return verdict(profile.defaultAction, profile.defaultErrnoRet, undefined);
}

function verdict(action: SeccompAction, errnoRet: number | undefined, rule: number | undefined): SeccompVerdict {
  const v: SeccompVerdict = { action, allowed: action === 'SCMP_ACT_ALLOW' || action === 'SCMP_ACT_LOG' };
  if (action === 'SCMP_ACT_ERRNO') v.errno = errnoRet ?? EPERM;
  if (rule !== undefined) v.rule = rule;
  return v;
}
