import type { Acceptance } from './accept.js';
import { mayAccept } from './accept-limits.js';
import type { PolicyMode } from './mode.js';
import { SEVERITIES, type Finding, type Severity } from './types.js';

/** Findings at or above this severity need consent: an acceptance, or a yes on the terminal. */
export const CONSENT_SEVERITY: Severity = 'high';

export const atLeast = (severity: Severity, floor: Severity): boolean =>
  SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(floor);

export interface AcceptedFinding extends Finding {
  acceptance: Acceptance;
}

export type Verdict = 'proceed' | 'ask' | 'refuse';

export interface Decision {
  mode: PolicyMode;
  /** Every finding, info included, most severe first. */
  findings: Finding[];
  /** Findings someone accepted on purpose (their acceptance attached). */
  accepted: AcceptedFinding[];
  /** Findings of severity low and above that nobody accepted: the warnings. */
  warnings: Finding[];
  /** Warnings that need consent (high, critical). */
  blocking: Finding[];
  /** Acceptances from the command line that matched no finding of this run. */
  unused: Acceptance[];
  verdict: Verdict;
}

/** Precedence of acceptances for one rule: the command line's reason, then the project's, then a preset's. */
const RANK: Record<Acceptance['by']['kind'], number> = { terminal: 0, flag: 1, project: 2, preset: 3 };

/**
 * The policy's decision for a run. Pure: the caller asks the question when the verdict is `ask`
 * and a terminal is there, and refuses otherwise.
 */
export function decide(findings: readonly Finding[], acceptances: readonly Acceptance[], mode: PolicyMode): Decision {
  const ranked = [...acceptances].sort((x, y) => RANK[x.by.kind] - RANK[y.by.kind]);
  const accepted: AcceptedFinding[] = [];
  const warnings: Finding[] = [];
  for (const finding of findings) {
    // The highest-ranked acceptance of the rule that may stand for this finding (src/policy/accept-limits.ts).
    const acceptance = ranked.find((a) => a.rule === finding.rule && mayAccept(a, finding));
    if (acceptance !== undefined) accepted.push({ ...finding, acceptance });
    else if (atLeast(finding.severity, 'low')) warnings.push(finding);
  }
  const fired = new Set(findings.map((f) => f.rule));
  const unused = acceptances.filter((a) => a.by.kind === 'flag' && !fired.has(a.rule));
  const blocking = warnings.filter((f) => atLeast(f.severity, CONSENT_SEVERITY));
  const verdict: Verdict = blocking.length === 0 || mode === 'warn' ? 'proceed' : mode === 'ask' ? 'ask' : 'refuse';
  return { mode, findings: [...findings], accepted, warnings, blocking, unused, verdict };
}

/** After a yes on the terminal: the blocking findings become accepted, by the terminal. */
export function acceptOnTerminal(decision: Decision, reason: string): Decision {
  const confirmed: AcceptedFinding[] = decision.blocking.map((f) => ({
    ...f,
    acceptance: { rule: f.rule, reason, by: { kind: 'terminal' } },
  }));
  const blocked = new Set(decision.blocking);
  return {
    ...decision,
    accepted: [...decision.accepted, ...confirmed],
    warnings: decision.warnings.filter((f) => !blocked.has(f)),
    blocking: [],
    verdict: 'proceed',
  };
}
