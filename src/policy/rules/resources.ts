import { originOf, type Check, type Hit } from './context.js';

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** SD126, SD127, SD128, SD133: limits the engine does not set by default. */
const limits: Check = ({ hc, options }) => {
  const hits: Hit[] = [];
  const memory = num(hc.Memory);
  if (memory <= 0) hits.push({ rule: 'SD126', detail: 'Memory is 0 (no limit)', origin: originOf(options, 'memory') });

  const pids = num(hc.PidsLimit);
  if (pids <= 0)
    hits.push({
      rule: 'SD127',
      detail: `PidsLimit is ${pids} (no limit)`,
      origin: originOf(options, 'pids-limit'),
    });

  // A quota, a weight or a CPU set each bound what the container takes from the others.
  const cpuset = typeof hc.CpusetCpus === 'string' ? hc.CpusetCpus.trim() : '';
  if (num(hc.NanoCpus) <= 0 && num(hc.CpuQuota) <= 0 && num(hc.CpuShares) <= 0 && cpuset === '') {
    hits.push({
      rule: 'SD128',
      detail: 'NanoCpus, CpuQuota and CpuShares are 0 (no limit)',
      origin: originOf(options, 'cpus'),
    });
  }

  if (hc.OomKillDisable === true && memory <= 0) {
    hits.push({
      rule: 'SD133',
      detail: 'OomKillDisable is true and Memory is 0',
      origin: originOf(options, 'oom-kill-disable'),
    });
  }
  return hits;
};

export const resourceChecks: readonly Check[] = [limits];
