import { unenforcedLimits } from '../../engine/limitations.js';
import { originOf, type Check, type Hit } from './context.js';

/** SD126, SD127, SD128, SD133 (and SD170 below): limits the engine does not set by default. */
const limits: Check = (ctx) => {
  const { spec } = ctx;
  const hits: Hit[] = [];
  if (spec.memory <= 0) hits.push({ rule: 'SD126', detail: 'Memory is 0 (no limit)', origin: originOf(ctx, 'memory') });
  if (spec.pidsLimit <= 0)
    hits.push({
      rule: 'SD127',
      detail: `PidsLimit is ${spec.pidsLimit} (no limit)`,
      origin: originOf(ctx, 'pidsLimit'),
    });
  if (spec.nanoCpus <= 0 && spec.cpuQuota <= 0 && spec.cpuShares <= 0 && spec.cpusetCpus.trim() === '') {
    hits.push({
      rule: 'SD128',
      detail: 'NanoCpus, CpuQuota and CpuShares are 0 (no limit)',
      origin: originOf(ctx, 'nanoCpus'),
    });
  }
  if (spec.oomKillDisable && spec.memory <= 0) {
    hits.push({
      rule: 'SD133',
      detail: 'OomKillDisable is true and Memory is 0',
      origin: originOf(ctx, 'oomKillDisable'),
    });
  }
  return hits;
};

/** SD170: the limits this run sets, on an engine that accepts them and enforces none. */
const enforced: Check = (ctx) => {
  const engine = ctx.facts?.engineLimits;
  if (engine === undefined) return [];
  const { spec } = ctx;
  const found = unenforcedLimits(engine, {
    Memory: spec.memory,
    MemoryReservation: spec.memoryReservation,
    MemorySwap: spec.memorySwap,
    NanoCpus: spec.nanoCpus,
    CpuShares: spec.cpuShares,
    CpuQuota: spec.cpuQuota,
    CpuPeriod: spec.cpuPeriod,
    CpusetCpus: spec.cpusetCpus,
    CpusetMems: spec.cpusetMems,
    PidsLimit: spec.pidsLimit,
    BlkioWeight: spec.blkioWeight,
  });
  if (found === undefined) return [];
  return [
    {
      rule: 'SD170',
      detail: `${found.flags.join(', ')} not in effect: ${found.reason}`,
      origin: originOf(ctx, 'memory'),
      item: 'limits',
    },
  ];
};

export const resourceChecks: readonly Check[] = [limits, enforced];
