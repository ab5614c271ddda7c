import type { RuleId, Severity } from '../policy/types.js';

/** One rule firing on one item; the catalog supplies title and fix unless overridden. */
export interface AuditHit {
  rule: RuleId;
  /** A settings finding's key (SD111:NET_ADMIN), so that an acceptance of one item covers that item only. */
  key?: string;
  detail: string;
  /** When this item is less severe than the rule's own severity. */
  severity?: Severity;
  fix?: string;
}

/** Who accepted a finding, as the audit learns it. */
export interface AuditAcceptance {
  reason: string;
  /** As the run described it ("--accept", "the project config /p/.safedock.yaml", …). */
  by: string;
  /** Where the audit found it: the container's labels, or the project config of this folder. */
  source: 'label' | 'project';
}

/**
 * - open:     nobody accepted it, on something safedock started or on the daemon;
 * - drift:    nobody accepted it, on a container started without safedock (no policy saw it);
 * - accepted: accepted on purpose, with a reason.
 */
export type FindingStatus = 'open' | 'drift' | 'accepted';

export interface AuditFinding {
  rule: RuleId;
  severity: Severity;
  title: string;
  detail: string;
  fix: string;
  status: FindingStatus;
  acceptance?: AuditAcceptance;
}

/** A rule that could not be judged, and why (e.g. the daemon's command line is on another host). */
export interface Unchecked {
  rules: RuleId[];
  reason: string;
}
