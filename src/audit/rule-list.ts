import { RULES } from '../policy/catalog.js';
import type { RuleId } from '../policy/types.js';

/**
 * Rule ids, short: runs of ids that are consecutive in the catalog become "SD101-SD133"
 * ("SD101, SD102" stay as they are).
 */
export function ruleList(ids: readonly RuleId[]): string {
  const order = new Map(RULES.map((r, i) => [r.id, i]));
  const sorted = [...new Set(ids)].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (
      j + 1 < sorted.length &&
      (order.get(sorted[j + 1] ?? 'SD0') ?? -2) === (order.get(sorted[j] ?? 'SD0') ?? -9) + 1
    )
      j++;
    const first = sorted[i] ?? '';
    const last = sorted[j] ?? '';
    if (j - i >= 2) parts.push(`${first}-${last}`);
    else parts.push(...sorted.slice(i, j + 1));
    i = j + 1;
  }
  return parts.join(', ');
}
