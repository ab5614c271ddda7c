import { describeAcceptedBy } from './accept.js';
import type { AcceptedFinding } from './decide.js';

/** Label keys stamped on a container that runs with accepted risks (reverse-DNS, as Docker recommends). */
export const LABEL_ACCEPTED = 'io.safedock.accepted';
export const labelForRule = (rule: string): string => `io.safedock.accepted.${rule}`;
/** The preset a container was started under: marks it as started by safedock (not drift). */
export const LABEL_PRESET = 'io.safedock.preset';
/** The pass-through preset: its runs send exactly what docker run sends, labels included. */
const PASS_THROUGH = 'none';

/** Every io.safedock.* key is safedock's own: a --label with one would pass for safedock's record. */
export const isReservedLabel = (key: string): boolean => key.startsWith('io.safedock.');

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

/**
 * The labels safedock stamps on a container it runs: the accepted findings, and the preset it ran
 * under (`io.safedock.preset=strict`), so that an audit knows the container passed the policy.
 * The pass-through preset adds no preset label: its request must equal docker run's.
 */
export function runLabels(accepted: readonly AcceptedFinding[], preset: string): Record<string, string> {
  const labels = acceptedLabels(accepted);
  return preset === PASS_THROUGH ? labels : { [LABEL_PRESET]: preset, ...labels };
}
