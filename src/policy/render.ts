import { describeAcceptedBy } from './accept.js';
import type { Decision } from './decide.js';
import { SEVERITIES, type Finding } from './types.js';

const ORIGIN: Record<Finding['origin'], string> = {
  user: 'your flags',
  preset: 'the preset',
  image: 'the image',
  engine: 'the container',
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

/** Findings grouped by severity, most severe first, each with its evidence and its fix. */
export function findingsToText(findings: readonly Finding[], indent = ''): string[] {
  const lines: string[] = [];
  for (const severity of [...SEVERITIES].reverse()) {
    const group = findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    lines.push(`${indent}${severity.toUpperCase()}`);
    for (const f of group) {
      lines.push(`${indent}  ${f.rule}  ${f.title}: ${f.detail} (from ${ORIGIN[f.origin]})`);
      lines.push(`${indent}         fix: ${f.fix}`);
    }
  }
  return lines;
}

/** What a run prints on stderr before it starts (nothing when nothing is worth saying). */
export function decisionToText(decision: Decision): string {
  const lines: string[] = [];
  if (decision.warnings.length > 0) {
    lines.push(`safedock: risky settings in this run (${countBySeverity(decision.warnings)}):`);
    lines.push(...findingsToText(decision.warnings, '  '));
  }
  if (decision.accepted.length > 0) {
    const seen = new Set<string>();
    for (const f of decision.accepted) {
      if (seen.has(f.rule)) continue;
      seen.add(f.rule);
      lines.push(
        `safedock: accepted ${f.rule} (${f.title}) by ${describeAcceptedBy(f.acceptance.by)}: ${f.acceptance.reason}`,
      );
    }
  }
  for (const a of decision.unused) lines.push(`safedock: --accept ${a.rule} matched nothing in this run`);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** The refusal: which findings, and the three ways forward. */
export function refusalText(decision: Decision, why: string): string {
  const ids = [...new Set(decision.blocking.map((f) => f.rule))];
  const accept = ids.map((id) => `--accept ${id}`).join(' ');
  return [
    `safedock: refused: ${decision.blocking.length} high or critical finding${decision.blocking.length === 1 ? '' : 's'} not accepted (${why}); nothing was created.`,
    'Fix the settings named above, or accept the risk on purpose:',
    `  on the command line:  ${accept} --reason "why this is acceptable here"`,
    `  for the project:      .safedock.yaml  accept: { ${ids.map((id) => `${id}: "why"`).join(', ')} }`,
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
