/**
 * Tables for the settings that reach past the container into the host: per-process limits that
 * guard host resources (SD151), and container runtimes (SD153). Data with reasons; the rules that
 * read them are in rules/host-settings.ts.
 */
import type { Severity } from './types.js';

export interface UlimitBound {
  /** The --ulimit name. */
  name: string;
  /** The highest hard limit that is still ordinary; -1 (unlimited) is always beyond it. */
  max: number;
  /** Why more reaches the host. */
  reason: string;
  /** Only judged when the container has no memory limit (which bounds what the limit gives). */
  withoutMemoryLimit?: true;
}

/**
 * Limits judged by their hard value (a process may raise its soft limit up to the hard one).
 * Limits that only bound the container itself (cpu, fsize, data, stack, nproc under a pids
 * limit) are not listed: raising them costs the container alone.
 */
export const ULIMIT_BOUNDS: readonly UlimitBound[] = [
  {
    name: 'nofile',
    max: 1048576,
    reason:
      "above the kernel's default per-process ceiling (fs.nr_open, 1048576): open files come from a table the whole host shares",
  },
  {
    name: 'memlock',
    max: 64 * 1024 * 1024,
    reason: 'memory locked out of swap that the host cannot reclaim; a --memory limit would bound it',
    withoutMemoryLimit: true,
  },
  {
    name: 'rtprio',
    max: 0,
    reason: "real-time scheduling priority: a busy loop at real-time priority starves the host's own processes",
  },
  {
    name: 'nice',
    max: 20,
    reason: "a nice limit above 20 lets processes raise their priority over the host's",
  },
  {
    name: 'msgqueue',
    max: 8 * 1024 * 1024,
    reason: 'POSIX message queues live in kernel memory, which the container is not charged for on cgroup v1',
  },
];

export interface RuntimeKind {
  /** Runtime names as engines are commonly configured with them. */
  names: readonly string[];
  /** undefined: runc itself, nothing to report. */
  severity: Severity | undefined;
  what: string;
}

/**
 * What a --runtime name usually stands for. The engine maps names to programs in its own
 * configuration, which the policy does not read: the name is a hint, never proof.
 */
export const RUNTIMES: readonly RuntimeKind[] = [
  { names: ['runc', 'io.containerd.runc.v2', 'io.containerd.runc.v1'], severity: undefined, what: 'runc' },
  {
    names: ['runsc', 'io.containerd.runsc.v1', 'gvisor'],
    severity: 'low',
    what: "gVisor, a tightening: the container's system calls go to a user-space kernel",
  },
  {
    names: ['kata', 'kata-runtime', 'kata-qemu', 'kata-fc', 'kata-clh', 'io.containerd.kata.v2'],
    severity: 'low',
    what: 'Kata Containers, a tightening: the container runs in its own virtual machine',
  },
  {
    names: ['sysbox-runc'],
    severity: 'low',
    what: 'Sysbox, a tightening: the container gets its own user namespace',
  },
  {
    names: ['crun', 'youki', 'io.containerd.crun.v2'],
    severity: 'low',
    what: 'another OCI runtime with the same isolation model as runc, not measured by the escape suite',
  },
  {
    names: ['nvidia', 'nvidia-container-runtime'],
    severity: 'medium',
    what: "a runc wrapper that injects the host's GPU devices, driver libraries and hooks",
  },
];
