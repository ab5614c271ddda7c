import type { RuleId } from './types.js';

/**
 * What a rule looks at, from its id's hundreds:
 * - settings (SD1xx): a container's settings, judged by `safedock run` before it starts and by
 *   `safedock audit` once it exists;
 * - daemon (SD2xx): the engine's daemon, judged by `safedock audit --daemon`;
 * - runtime (SD3xx): what only an existing container shows (its restart and health settings, its
 *   place among other containers, its process), judged by `safedock audit`.
 */
export const RULE_SCOPES = ['settings', 'daemon', 'runtime'] as const;
export type RuleScope = (typeof RULE_SCOPES)[number];

const BY_HUNDRED: Readonly<Record<string, RuleScope>> = { '1': 'settings', '2': 'daemon', '3': 'runtime' };

export function ruleScope(id: RuleId): RuleScope {
  const scope = BY_HUNDRED[id.charAt(2)];
  if (scope === undefined) throw new Error(`rule ${id} is outside the known id ranges (SD1xx, SD2xx, SD3xx)`);
  return scope;
}
