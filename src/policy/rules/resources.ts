import { originOf, type Check, type Hit } from './context.js';

/** SD126, SD127, SD128, SD133: limits the engine does not set by default. */
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

export const resourceChecks: readonly Check[] = [limits];
