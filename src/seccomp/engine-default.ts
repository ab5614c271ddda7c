/**
 * What the engine's own default seccomp profile (the one a container gets without
 * --security-opt seccomp=…) lets a container without added capabilities make, for the system calls
 * an allow-list profile like safedock's may refuse. A refusal of one of these is safedock's choice,
 * not the engine's: the narrower way out is a profile of safedock's with that call added back,
 * rather than no profile at all. One table: each call, and the engines whose default allows it to
 * every caller with any arguments (a call the default allows only with some arguments, some
 * capabilities or on some architectures is not listed: adding it wholesale would allow more than
 * the default does).
 *
 * Facts (moby's default profile and its history; Podman's containers/common profile):
 * - ptrace, process_vm_readv/writev, kcmp, pidfd_getfd, process_madvise: one rule gated on
 *   kernel 4.8 (on older kernels only with CAP_SYS_PTRACE); Podman allows them unconditionally.
 * - io_uring_setup/enter/register: allowed by Docker Engine before 25.0, never by Podman's.
 * - the rest: allowed unconditionally by both.
 */
/** Which engines' default profile allows a call. */
interface Allowed {
  /** Docker Engine: every version, or those before `until`. */
  docker: true | { until: string };
  podman: boolean;
}

const BOTH: Allowed = { docker: true, podman: true };
const BEFORE_25: Allowed = { docker: { until: '25.0' }, podman: false };

const ENGINE_DEFAULT_ALLOWS: Readonly<Record<string, Allowed>> = {
  ptrace: BOTH,
  process_vm_readv: BOTH,
  process_vm_writev: BOTH,
  kcmp: BOTH,
  pidfd_getfd: BOTH,
  process_madvise: BOTH,
  io_uring_setup: BEFORE_25,
  io_uring_enter: BEFORE_25,
  io_uring_register: BEFORE_25,
  adjtimex: BOTH,
  vmsplice: { docker: true, podman: false },
  remap_file_pages: BOTH,
  name_to_handle_at: BOTH,
  fanotify_mark: BOTH,
  io_pgetevents: { docker: true, podman: false },
};

/** The engine whose default counts: its kind and version (undefined: not known, then only what every engine allows). */
export interface EngineFlavour {
  kind: 'docker' | 'podman';
  version: string;
}

/** Whether the engine's default profile lets any container make `syscall`, with any arguments. */
export function engineDefaultAllows(syscall: string, engine: EngineFlavour | undefined): boolean {
  const allowed = Object.hasOwn(ENGINE_DEFAULT_ALLOWS, syscall) ? ENGINE_DEFAULT_ALLOWS[syscall] : undefined;
  if (allowed === undefined) return false;
  if (engine === undefined) return allowed.docker === true && allowed.podman;
  if (engine.kind === 'podman') return allowed.podman;
  return allowed.docker === true || !versionAtLeast(engine.version, allowed.docker.until);
}

/** Whether a dotted version is at least `min`. */
function versionAtLeast(version: string, min: string): boolean {
  const a = version.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const b = min.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < b.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}
