import { SEVERITIES, type Severity } from '../policy/types.js';
import type { ContainerReport } from './container/judge-container.js';
import type { AuditFinding, Unchecked } from './types.js';

/** Exit codes of `safedock audit` (docs/audit.md). */
export const AUDIT_EXIT = {
  /** No unaccepted finding at or above --fail-on. */
  passed: 0,
  /** At least one unaccepted finding at or above --fail-on. */
  failed: 1,
  /** Nothing was judged: bad input, no engine, a named container missing. */
  couldNotAudit: 2,
} as const;

/** --fail-on takes the severities a finding can fail on. */
export const FAIL_ON = ['low', 'medium', 'high', 'critical'] as const satisfies readonly Severity[];
export type FailOn = (typeof FAIL_ON)[number];
export const DEFAULT_FAIL_ON: FailOn = 'high';

export interface DaemonReport {
  /** The engine's name (its host name) and version, as /info gives them. */
  name: string;
  findings: AuditFinding[];
  unchecked: Unchecked[];
  notes: string[];
}

export interface AuditReport {
  tool: { name: string; version: string };
  engine: { address: string; version: string; apiVersion: string; local: boolean };
  failOn: FailOn;
  /** What was asked for: containers (all of them, or only running ones) and the daemon. */
  scope: { containers: boolean; all: boolean; daemon: boolean };
  daemon: DaemonReport | undefined;
  containers: ContainerReport[];
  /** Rules not judged for containers (e.g. the processes could not be read), and why. */
  unchecked: Unchecked[];
  notes: string[];
  durationMs: number;
}

const rank = (s: Severity): number => SEVERITIES.indexOf(s);

/** Whether a finding fails the audit: nobody accepted it and it is at or above the threshold. */
export const isFailing = (f: AuditFinding, failOn: FailOn): boolean =>
  f.status !== 'accepted' && rank(f.severity) >= rank(failOn);

export function allFindings(report: AuditReport): AuditFinding[] {
  return [...(report.daemon?.findings ?? []), ...report.containers.flatMap((c) => c.findings)];
}

export function auditExitCode(report: AuditReport): number {
  return allFindings(report).some((f) => isFailing(f, report.failOn)) ? AUDIT_EXIT.failed : AUDIT_EXIT.passed;
}

export interface Summary {
  containers: number;
  findings: number;
  failing: number;
  accepted: number;
  drift: number;
  bySeverity: Record<Severity, number>;
}

/** Counts of unaccepted findings by severity, and of the rest. */
export function summarize(report: AuditReport): Summary {
  const all = allFindings(report);
  const open = all.filter((f) => f.status !== 'accepted');
  const bySeverity = Object.fromEntries(
    SEVERITIES.map((s) => [s, open.filter((f) => f.severity === s).length]),
  ) as Record<Severity, number>;
  return {
    containers: report.containers.length,
    findings: all.length,
    failing: all.filter((f) => isFailing(f, report.failOn)).length,
    accepted: all.length - open.length,
    drift: all.filter((f) => f.status === 'drift').length,
    bySeverity,
  };
}

/** The worst unaccepted severity of a container, for "worst first" (-1 when none). */
export function worstOf(findings: readonly AuditFinding[]): number {
  return Math.max(-1, ...findings.filter((f) => f.status !== 'accepted').map((f) => rank(f.severity)));
}

/** Containers worst first: by their worst unaccepted finding, then how many, then name. */
export function worstFirst(containers: readonly ContainerReport[]): ContainerReport[] {
  const open = (c: ContainerReport) =>
    c.findings.filter((f) => f.status !== 'accepted' && f.severity !== 'info').length;
  return [...containers].sort(
    (a, b) =>
      worstOf(b.findings) - worstOf(a.findings) ||
      open(b) - open(a) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}
