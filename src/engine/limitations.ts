import type { HostConfig } from '../api/create-body.js';
import type { EngineFacts } from './engine-api.js';

/** The cgroup settings of a run, with the docker flag that sets each. */
const CGROUP_LIMITS: ReadonlyArray<[keyof HostConfig, string]> = [
  ['Memory', '--memory'],
  ['MemoryReservation', '--memory-reservation'],
  ['MemorySwap', '--memory-swap'],
  ['NanoCpus', '--cpus'],
  ['CpuShares', '--cpu-shares'],
  ['CpuQuota', '--cpu-quota'],
  ['CpuPeriod', '--cpu-period'],
  ['CpusetCpus', '--cpuset-cpus'],
  ['CpusetMems', '--cpuset-mems'],
  ['PidsLimit', '--pids-limit'],
  ['BlkioWeight', '--blkio-weight'],
];

/** What an engine accepts but cannot enforce, and why: the facts for a finding or a warning. */
export interface UnenforcedLimits {
  /** The flags of the run whose limits do not apply, e.g. ["--memory", "--cpus", "--pids-limit"]. */
  flags: string[];
  reason: string;
}

/**
 * A rootless engine on cgroup v1 has no cgroups of its own to put a container in (its cgroup
 * driver is "none"): it accepts memory, CPU and process limits, shows them in `docker inspect`,
 * and applies none of them, without a warning. Measured here with rootless Docker 20.10: a
 * container created with --memory 512m --pids-limit 256 sees no memory limit and no pids cgroup.
 * Returns the limits of this run that are not in effect, or undefined when all are (or none is set).
 */
export function unenforcedLimits(
  facts: Pick<EngineFacts, 'rootless' | 'cgroupVersion' | 'cgroupDriver'>,
  host: Partial<HostConfig>,
): UnenforcedLimits | undefined {
  if (!facts.rootless || (facts.cgroupVersion !== '1' && facts.cgroupDriver !== 'none')) return undefined;
  const flags = CGROUP_LIMITS.filter(([key]) => isSet(host[key])).map(([, flag]) => flag);
  if (flags.length === 0) return undefined;
  const where = facts.cgroupVersion === '1' ? 'on cgroup v1' : 'without a cgroup driver';
  return {
    flags,
    reason: `the engine is rootless ${where}: it cannot create cgroups for the container, so it accepts these limits and enforces none of them`,
  };
}

function isSet(value: unknown): boolean {
  if (typeof value === 'number') return value !== 0 && value !== -1;
  if (typeof value === 'string') return value !== '';
  return false;
}

/** The one-line warning a run prints when its limits are not in effect. */
export function unenforcedLimitsNote(found: UnenforcedLimits): string {
  return `WARNING: ${found.flags.join(', ')} not in effect: ${found.reason} (cgroup v2 with delegated controllers, or a rootful engine, enforces them)`;
}
