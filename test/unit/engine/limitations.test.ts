import { describe, expect, it } from 'vitest';
import type { HostConfig } from '../../../src/api/create-body.js';
import { unenforcedLimits, unenforcedLimitsNote } from '../../../src/engine/limitations.js';

const limited = {
  Memory: 536870912,
  NanoCpus: 1e9,
  PidsLimit: 256,
  CpuShares: 0,
  MemorySwap: 0,
} as unknown as HostConfig;
const rootlessV1 = { rootless: true, cgroupVersion: '1', cgroupDriver: 'none' };

describe('unenforcedLimits', () => {
  it.each<[string, { rootless: boolean; cgroupVersion: string; cgroupDriver: string }, string[] | undefined]>([
    ['rootless on cgroup v1', rootlessV1, ['--memory', '--cpus', '--pids-limit']],
    [
      'rootless on cgroup v2 without a cgroup driver',
      { rootless: true, cgroupVersion: '2', cgroupDriver: 'none' },
      ['--memory', '--cpus', '--pids-limit'],
    ],
    ['rootless on cgroup v2 with systemd', { rootless: true, cgroupVersion: '2', cgroupDriver: 'systemd' }, undefined],
    ['rootful on cgroup v1', { rootless: false, cgroupVersion: '1', cgroupDriver: 'cgroupfs' }, undefined],
  ])('%s', (_name, facts, flags) => {
    expect(unenforcedLimits(facts, limited)?.flags).toEqual(flags);
  });
  it('a run without limits has nothing to report', () => {
    expect(unenforcedLimits(rootlessV1, { Memory: 0, PidsLimit: -1, CpusetCpus: '' })).toBeUndefined();
  });
  it('says which flags, why, and what enforces them', () => {
    const found = unenforcedLimits(rootlessV1, { CpusetCpus: '0', PidsLimit: 10 });
    expect(found === undefined ? '' : unenforcedLimitsNote(found)).toBe(
      'WARNING: --cpuset-cpus, --pids-limit not in effect: the engine is rootless on cgroup v1: it cannot create cgroups for the container, so it accepts these limits and enforces none of them (cgroup v2 with delegated controllers, or a rootful engine, enforces them)',
    );
  });
});
