import { hangingWrap } from '../text/wrap.js';
import { describeAcceptedBy } from './accept.js';
import { atLeast, CONSENT_SEVERITY, type Decision } from './decide.js';
import { SEVERITIES, type Finding } from './types.js';

const ORIGIN: Record<Finding['origin'], string> = {
  user: 'your flags',
  preset: 'the preset',
  image: 'the image',
  engine: 'the container',
  compose: 'the compose file',
  default: "docker's default",
};

function countBySeverity(findings: readonly Finding[]): string {
  const parts: string[] = [];
  for (const severity of [...SEVERITIES].reverse()) {
    const n = findings.filter((f) => f.severity === severity).length;
    if (n > 0) parts.push(`${n} ${severity}`);
  }
  return parts.join(', ');
}

/**
 * Findings grouped by severity, most severe first, each with its evidence and its fix; within
 * `columns` when given (each continues under its own text).
 */
export function findingsToText(findings: readonly Finding[], indent = '', columns?: number): string[] {
  const wrap = (first: string, text: string): string[] =>
    columns === undefined ? [`${first}${text}`] : hangingWrap(first, text, columns);
  const lines: string[] = [];
  for (const severity of [...SEVERITIES].reverse()) {
    const group = findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    lines.push(`${indent}${severity.toUpperCase()}`);
    for (const f of group) {
      lines.push(...wrap(`${indent}  ${f.rule}  `, `${f.title}: ${f.detail} (from ${ORIGIN[f.origin]})`));
      lines.push(...wrap(`${indent}         fix: `, f.fix));
    }
  }
  return lines;
}

export interface DecisionTextOptions {
  /**
   * -q or SAFEDOCK_QUIET: only the findings that need consent (high and critical); no notes of
   * what was accepted or matched nothing. A refusal and a question are never silenced.
   */
  quiet?: boolean;
}

/** What a run prints on stderr before it starts (nothing when nothing is worth saying). */
export function decisionToText(decision: Decision, options: DecisionTextOptions = {}): string {
  const lines: string[] = [];
  const quiet = options.quiet === true;
  const warnings = quiet ? decision.warnings.filter((f) => atLeast(f.severity, CONSENT_SEVERITY)) : decision.warnings;
  if (warnings.length > 0) {
    lines.push(`safedock: risky settings in this run (${countBySeverity(warnings)}):`);
    lines.push(...findingsToText(warnings, '  '));
  }
  if (!quiet) {
    // One line per party that accepted something: which rules (the reasons are in explain).
    const byWho = new Map<string, string[]>();
    for (const f of decision.accepted) {
      const who = describeAcceptedBy(f.acceptance.by);
      const rules = byWho.get(who) ?? [];
      if (!rules.includes(f.rule)) rules.push(f.rule);
      byWho.set(who, rules);
    }
    for (const [who, rules] of byWho) lines.push(`safedock: accepted ${rules.join(', ')} by ${who}`);
    for (const a of decision.unused) lines.push(`safedock: --accept ${a.rule} matched nothing in this run`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** The refusal: which findings, and the three ways forward. */
export function refusalText(decision: Decision, why: string): string {
  const ids = [...new Set(decision.blocking.map((f) => f.rule))];
  const accept = ids.map((id) => `--accept ${id}`).join(' ');
  // A file may not accept a critical finding (src/policy/accept-limits.ts): only the others are offered there.
  const fileIds = [...new Set(decision.blocking.filter((f) => f.severity !== 'critical').map((f) => f.rule))];
  const critical = [...new Set(decision.blocking.filter((f) => f.severity === 'critical').map((f) => f.rule))];
  return [
    `safedock: refused: ${decision.blocking.length} high or critical finding${decision.blocking.length === 1 ? '' : 's'} not accepted (${why}); nothing was created.`,
    'Fix the settings named above, or accept the risk on purpose:',
    `  on the command line:  ${accept} --reason "why this is acceptable here"`,
    ...(fileIds.length === 0
      ? []
      : [`  for the project:      .safedock.yaml  accept: { ${fileIds.map((id) => `${id}: "why"`).join(', ')} }`]),
    ...(critical.length === 0
      ? []
      : [
          `  (${critical.join(', ')} ${critical.length === 1 ? 'is' : 'are'} critical: no preset or project file can accept ${critical.length === 1 ? 'it' : 'them'})`,
        ]),
    '  or report only:       --policy warn',
    '',
  ].join('\n');
}

/** The decision as data (for --json). */
export function decisionToJson(decision: Decision): Record<string, unknown> {
  return {
    mode: decision.mode,
    verdict: decision.verdict,
    findings: decision.findings.map((f) => ({ ...f })),
    accepted: decision.accepted.map((f) => ({ rule: f.rule, reason: f.acceptance.reason, by: f.acceptance.by })),
    blocking: [...new Set(decision.blocking.map((f) => f.rule))],
    unusedAccepts: decision.unused.map((a) => a.rule),
  };
}
