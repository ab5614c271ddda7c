/**
 * The system calls a hardened container must not reach without a capability: each opens kernel
 * code that container escapes and kernel exploits start from, and the engine's own default profile
 * refuses each to a container that lacks the capability. (Calls the kernel itself keeps behind a
 * capability, such as open_by_handle_at or kexec_load, are judged by the capability rules.) A
 * custom profile that refuses by default but lets one of these through is judged as open on that
 * call. One table: the call, the arguments that make it dangerous (a rule may allow the call with
 * other arguments, as the engine's default allows clone without namespace flags), and why.
 */
import { evaluateSyscall } from './evaluate.js';
import { SYSCALL_ARCHES } from './syscalls.js';
import type { SeccompProfile } from './types.js';

const CLONE_NEWUSER = 0x10000000;
const SIGCHLD = 17;

interface EscapeCall {
  call: string;
  args: readonly number[];
  /** How the call reads in a finding, e.g. unshare(CLONE_NEWUSER). */
  shown: string;
  why: string;
}

const USERNS = 'a new user namespace, in which kernel code meant for root (mounts, netfilter) is reachable';

export const ESCAPE_CALLS: readonly EscapeCall[] = [
  { call: 'unshare', args: [CLONE_NEWUSER], shown: 'unshare(CLONE_NEWUSER)', why: USERNS },
  { call: 'clone', args: [CLONE_NEWUSER | SIGCHLD], shown: 'clone(CLONE_NEWUSER)', why: USERNS },
  // clone3 takes its flags in memory, which a filter cannot read: allowing it allows namespaces.
  { call: 'clone3', args: [], shown: 'clone3', why: USERNS },
  { call: 'keyctl', args: [], shown: 'keyctl', why: 'the kernel keyring, which is not namespaced' },
  { call: 'add_key', args: [], shown: 'add_key', why: 'the kernel keyring, which is not namespaced' },
  { call: 'request_key', args: [], shown: 'request_key', why: 'the kernel keyring, which is not namespaced' },
  { call: 'bpf', args: [], shown: 'bpf', why: 'the in-kernel BPF verifier and maps' },
  {
    call: 'userfaultfd',
    args: [],
    shown: 'userfaultfd',
    why: 'page-fault handling that kernel exploits use to win races',
  },
  { call: 'perf_event_open', args: [], shown: 'perf_event_open', why: 'kernel performance counters' },
  { call: 'io_uring_setup', args: [], shown: 'io_uring_setup', why: 'io_uring, a frequent source of kernel exploits' },
];

/**
 * The escape calls the profile lets through for a container holding `caps` (CAP_ names), on any
 * architecture safedock knows, each with the rule that allows it (undefined: the default action).
 */
export function allowedEscapeCalls(
  profile: SeccompProfile,
  caps: readonly string[],
): { shown: string; why: string; rule: number | undefined }[] {
  const out: { shown: string; why: string; rule: number | undefined }[] = [];
  for (const entry of ESCAPE_CALLS) {
    for (const arch of SYSCALL_ARCHES) {
      const verdict = evaluateSyscall(profile, entry.call, entry.args, arch, { caps });
      // SCMP_ACT_TRACE hands the call to a tracer, which may let it through (a container may
      // ptrace its own children under the engine's default): as open as allowing it.
      if (!verdict.allowed && verdict.action !== 'SCMP_ACT_TRACE') continue;
      out.push({ shown: entry.shown, why: entry.why, rule: verdict.rule });
      break;
    }
  }
  return out;
}
