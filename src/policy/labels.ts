import { describeAcceptedBy } from './accept.js';
import type { AcceptedFinding } from './decide.js';

/** Label keys stamped on a container that runs with accepted risks (reverse-DNS, as Docker recommends). */
export const LABEL_ACCEPTED = 'io.safedock.accepted';
export const labelForRule = (rule: string): string => `io.safedock.accepted.${rule}`;

/**
 * Labels recording every accepted finding: `io.safedock.accepted=SD104,SD118` and, per rule,
 * `io.safedock.accepted.SD118=<reason> (<who accepted it>)`. An audit of running containers can
 * then tell a risk accepted on purpose from drift. Nothing is added when nothing was accepted.
 */
export function acceptedLabels(accepted: readonly AcceptedFinding[]): Record<string, string> {
  const rules = [...new Set(accepted.map((f) => f.rule))].sort();
  if (rules.length === 0) return {};
  const labels: Record<string, string> = { [LABEL_ACCEPTED]: rules.join(',') };
  for (const f of accepted)
    labels[labelForRule(f.rule)] ??= `${f.acceptance.reason} (${describeAcceptedBy(f.acceptance.by)})`;
  return labels;
}
