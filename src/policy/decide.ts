import { covers, isRuleWide, type Acceptance } from './accept.js';
import { mayAccept } from './accept-limits.js';
import type { ModeSource, PolicyMode } from './mode.js';
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
  /** Where the mode came from (--policy, SAFEDOCK_POLICY, or the default for this terminal and CI). */
  modeFrom: ModeSource;
  /** Whether CI is set: then warn lets no critical finding through without an acceptance. */
  ci: boolean;
  /** Every finding, info included, most severe first. */
  findings: Finding[];
  /** Findings someone accepted on purpose (their acceptance attached). */
  accepted: AcceptedFinding[];
  /** Findings of severity low and above that nobody accepted: the warnings. */
  warnings: Finding[];
  /** Warnings that stop the run until accepted: high and critical ones (under warn, only critical ones in CI). */
  blocking: Finding[];
  /** High and critical warnings that run anyway because the mode is warn: stamped in labels as warned-through. */
  warned: Finding[];
  /** Acceptances from the command line that matched no finding of this run. */
  unused: Acceptance[];
  verdict: Verdict;
}

/** Precedence of acceptances: the command line's, then the project's, then a preset's; a key before a bare id. */
const RANK: Record<Acceptance['by']['kind'], number> = { terminal: 0, flag: 1, project: 2, preset: 3 };
const order = (a: Acceptance): number => RANK[a.by.kind] * 2 + (a.item === undefined ? 1 : 0);

export interface DecideOptions {
  modeFrom?: ModeSource;
  ci?: boolean;
  /** Whether high and critical findings that run under warn are recorded (not under the pass-through preset). */
  traceWarn?: boolean;
}

/**
 * The policy's decision for a run. Pure: the caller asks the question when the verdict is `ask`
 * and a terminal is there, and refuses otherwise. Each finding is matched against the acceptances
 * by its key (rule and item); an acceptance counts only where its author may vouch (accept.ts).
 * Under warn, high and critical findings run and are recorded as warned-through, except critical
 * ones in CI: an unattended pipeline must say why it runs them (--accept), as under enforce.
 */
export function decide(
  findings: readonly Finding[],
  acceptances: readonly Acceptance[],
  mode: PolicyMode,
  options: DecideOptions = {},
): Decision {
  const ranked = [...acceptances].sort((x, y) => order(x) - order(y));
  const ci = options.ci ?? false;
  const accepted: AcceptedFinding[] = [];
  const warnings: Finding[] = [];
  const used = new Set<Acceptance>();
  for (const finding of findings) {
    // The highest-ranked acceptance that names this finding, from an author who may vouch for it
    // (accept.ts: a preset only for its own settings) and may accept its severity (accept-limits.ts).
    const may = (a: Acceptance): boolean => covers(a, finding) && mayAccept(a, finding);
    const acceptance = ranked.find(may);
    for (const a of acceptances) if (may(a)) used.add(a);
    if (acceptance !== undefined) accepted.push({ ...finding, acceptance });
    else if (atLeast(finding.severity, 'low')) warnings.push(finding);
  }
  const unused = acceptances.filter((a) => a.by.kind === 'flag' && !used.has(a));
  const needConsent = warnings.filter((f) => atLeast(f.severity, CONSENT_SEVERITY));
  const blocking = mode === 'warn' ? (ci ? needConsent.filter((f) => f.severity === 'critical') : []) : needConsent;
  const warned = mode === 'warn' && options.traceWarn !== false ? needConsent.filter((f) => !blocking.includes(f)) : [];
  const verdict: Verdict = blocking.length === 0 ? 'proceed' : mode === 'ask' ? 'ask' : 'refuse';
  return {
    mode,
    modeFrom: options.modeFrom ?? 'default',
    ci,
    findings: [...findings],
    accepted,
    warnings,
    blocking,
    warned,
    unused,
    verdict,
  };
}

/** After a yes on the terminal: the blocking findings become accepted, each by its own key. */
export function acceptOnTerminal(decision: Decision, reason: string): Decision {
  const confirmed: AcceptedFinding[] = decision.blocking.map((f) => ({
    ...f,
    acceptance: {
      rule: f.rule,
      ...(f.item === undefined ? {} : { item: f.item }),
      key: f.key,
      reason,
      by: { kind: 'terminal' },
    },
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

/** Rule-wide acceptances that were used, for a reminder that they cover more than one finding. */
export function ruleWideAccepts(decision: Decision): Acceptance[] {
  return [...new Set(decision.accepted.map((f) => f.acceptance))].filter(isRuleWide);
}
