import { describeAcceptedBy } from './accept.js';
import type { AcceptedFinding, Decision } from './decide.js';

/** Label keys stamped on a container that runs with accepted risks (reverse-DNS, as Docker recommends). */
export const LABEL_ACCEPTED = 'io.safedock.accepted';
export const labelForRule = (rule: string): string => `io.safedock.accepted.${rule}`;
/** The preset a container was started under: marks it as started by safedock (not drift). */
export const LABEL_PRESET = 'io.safedock.preset';
/** The pass-through preset: its runs send exactly what docker run sends, labels included (no preset, no warn trace). */
export const PASS_THROUGH = 'none';

/** Every io.safedock.* key is safedock's own (accepted, warned, preset): a --label with one would pass for it. */
export const isReservedLabel = (key: string): boolean => key.startsWith('io.safedock.');
/** Every accepted finding by its key (JSON), so that an audit can tell which item was accepted. */
export const LABEL_ACCEPTED_KEYS = 'io.safedock.accepted.keys';
/** High and critical findings that ran because the mode was warn (JSON): a decision, not drift. */
export const LABEL_WARNED = 'io.safedock.warned';

/** One accepted finding in LABEL_ACCEPTED_KEYS: the reason, who accepted it, and the key they wrote. */
export interface AcceptedKeyRecord {
  reason: string;
  by: string;
  /** The acceptance as written: the same key, or a bare rule id that accepts every finding of the rule. */
  accepted: string;
  /** Where the accepted setting came from (your flags, the preset, the image, docker's default). */
  origin: string;
}

/**
 * Labels recording every accepted finding:
 * - `io.safedock.accepted=SD111,SD118` and, per rule, `io.safedock.accepted.SD118=<reason> (<who>)`
 *   (the first reason of the rule);
 * - `io.safedock.accepted.keys={"SD111:NET_ADMIN":{"reason":…,"by":…,"accepted":"SD111:NET_ADMIN",…},…}`,
 *   one entry per finding key.
 * An audit of running containers can then tell a risk accepted on purpose from drift, item by
 * item. Nothing is added when nothing was accepted.
 */
export function acceptedLabels(accepted: readonly AcceptedFinding[]): Record<string, string> {
  const rules = [...new Set(accepted.map((f) => f.rule))].sort();
  if (rules.length === 0) return {};
  const labels: Record<string, string> = { [LABEL_ACCEPTED]: rules.join(',') };
  const keys: Record<string, AcceptedKeyRecord> = {};
  for (const f of accepted) {
    const by = describeAcceptedBy(f.acceptance.by);
    labels[labelForRule(f.rule)] ??= `${f.acceptance.reason} (${by})`;
    keys[f.key] ??= { reason: f.acceptance.reason, by, accepted: f.acceptance.key, origin: f.origin };
  }
  labels[LABEL_ACCEPTED_KEYS] = JSON.stringify(sortKeys(keys));
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

/** What LABEL_WARNED holds: the mode, where it came from, and the keys that ran unaccepted. */
export interface WarnedRecord {
  mode: 'warn';
  from: string;
  keys: string[];
}

/**
 * `io.safedock.warned={"mode":"warn","from":"SAFEDOCK_POLICY","keys":["SD111:SYS_ADMIN"]}` when
 * high or critical findings ran under warn; nothing otherwise.
 */
export function warnedLabels(decision: Pick<Decision, 'warned' | 'modeFrom'>): Record<string, string> {
  if (decision.warned.length === 0) return {};
  const record: WarnedRecord = {
    mode: 'warn',
    from: decision.modeFrom,
    keys: [...new Set(decision.warned.map((f) => f.key))].sort(),
  };
  return { [LABEL_WARNED]: JSON.stringify(record) };
}

/** Every label a decision stamps on the container. */
export function decisionLabels(decision: Decision): Record<string, string> {
  return { ...acceptedLabels(decision.accepted), ...warnedLabels(decision) };
}

const sortKeys = <T>(record: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
