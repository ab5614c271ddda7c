import { RULES } from './catalog.js';
import type { Rule } from './types.js';

/** The catalog as an aligned table: id, severity, title, CIS and PSS references. */
export function rulesTable(rules: readonly Rule[] = RULES): string {
  const rows = rules.map((r) => [
    r.id,
    r.severity,
    r.title,
    r.cis.length > 0 ? `CIS ${r.cis.join(', ')}` : '-',
    r.pss.length > 0 ? r.pss.join(', ') : '-',
  ]);
  const header = ['ID', 'SEVERITY', 'TITLE', 'CIS', 'PSS'];
  const all = [header, ...rows];
  const width = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const lines = all.map((row) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(width[i] ?? 0))).join('  '),
  );
  lines.push(
    '',
    'High and critical findings need consent: a yes on a terminal, or --accept ID --reason "why" (or accept: in .safedock.yaml) without one.',
  );
  return `${lines.join('\n')}\n`;
}

/** One rule in full. */
export function ruleText(rule: Rule): string {
  return [
    `${rule.id}  ${rule.title}  (${rule.severity})`,
    '',
    `Why: ${rule.why}`,
    `Fix: ${rule.fix}`,
    `CIS Docker Benchmark: ${rule.cis.length > 0 ? rule.cis.join(', ') : 'no check'}`,
    `Kubernetes Pod Security Standards: ${rule.pss.length > 0 ? rule.pss.join(', ') : 'no control'}`,
    '',
  ].join('\n');
}
