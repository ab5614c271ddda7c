import { ruleById } from '../../policy/catalog.js';
import { SEVERITIES } from '../../policy/types.js';
import type { ContainerReport } from '../container/judge-container.js';
import { summarize, worstFirst, type AuditReport } from '../report.js';
import type { AuditFinding, Unchecked } from '../types.js';
import { PLAIN, type Palette } from './colors.js';
import { wrap } from './wrap.js';
import { ruleList } from '../rule-list.js';

export interface TextOptions {
  /** Columns to fit; 80 when not writing to a terminal. */
  width: number;
  palette?: Palette;
}

const TAG_WIDTH = 8;
const INDENT = ' '.repeat(2 + TAG_WIDTH + 1);

function findingLines(f: AuditFinding, width: number, p: Palette): string[] {
  const accepted = f.status === 'accepted';
  const tag = accepted ? 'accepted' : f.severity.toUpperCase();
  const first = wrap(f.title, width, `  ${tag.padEnd(TAG_WIDTH)} ${f.rule}  `, INDENT);
  const head = first[0] ?? '';
  const painted = `  ${accepted ? p.accepted(tag) : p.severity(f.severity, tag)}${head.slice(2 + tag.length)}`;
  const lines = [painted, ...first.slice(1)];
  lines.push(...wrap(f.detail, width, INDENT, INDENT));
  if (accepted && f.acceptance !== undefined) {
    const where = f.acceptance.source === 'label' ? 'on the container' : 'by the project config';
    lines.push(...wrap(`accepted ${where}: ${f.acceptance.reason} (by ${f.acceptance.by})`, width, INDENT, INDENT));
    return lines;
  }
  const cis = ruleById(f.rule)?.cis ?? [];
  const fix = `${cis.length > 0 ? `CIS ${cis.join(', ')}. ` : ''}Fix: ${f.fix}`;
  lines.push(...wrap(fix, width, INDENT, INDENT).map((l) => p.dim(l)));
  return lines;
}

function uncheckedLines(unchecked: readonly Unchecked[], width: number): string[] {
  return unchecked.flatMap((u) => wrap(`not checked: ${ruleList(u.rules)}: ${u.reason}`, width, '  ', '    '));
}

/** The findings worth a line in text: all but info (info is in --json and --sarif). */
const shown = (findings: readonly AuditFinding[]) =>
  findings.filter((f) => f.severity !== 'info' || f.status === 'accepted');

function containerLines(c: ContainerReport, width: number, p: Palette): string[] {
  const who =
    c.startedBy === 'safedock'
      ? `started by safedock${c.preset ? ` (preset ${c.preset})` : ''}`
      : 'started without safedock';
  const findings = shown(c.findings);
  const parts = [c.name, c.image, c.id.slice(0, 12), c.state, who];
  if (findings.length === 0) parts.push('no findings');
  const lines = wrap(parts.join(' · '), width, '', '  ').map((l, i) => (i === 0 ? p.bold(l) : l));
  for (const f of findings) lines.push(...findingLines(f, width, p));
  for (const s of c.effective?.stricter ?? []) lines.push(...wrap(`effective: ${s}`, width, '  ', '    '));
  return lines;
}

/** The report as text, grouped by container, worst first, within `width` columns. Pure. */
export function auditToText(report: AuditReport, options: TextOptions): string {
  const width = Math.max(40, options.width);
  const p = options.palette ?? PLAIN;
  const s = summarize(report);
  const what = [
    ...(report.daemon ? ['the daemon'] : []),
    `${report.containers.length} container${report.containers.length === 1 ? '' : 's'}`,
  ].join(' and ');
  const out: string[] = wrap(
    `safedock audit of ${what} on ${report.engine.address} (Docker ${report.engine.version}, API ${report.engine.apiVersion}) in ${(report.durationMs / 1000).toFixed(2)} s`,
    width,
    '',
    '  ',
  );
  if (report.daemon) {
    out.push('');
    out.push(
      p.bold(
        wrap(`Engine daemon · ${report.daemon.name} · Docker ${report.engine.version}`, width, '', '  ').join('\n'),
      ),
    );
    const findings = shown(report.daemon.findings);
    if (findings.length === 0) out.push('  no findings');
    for (const f of findings) out.push(...findingLines(f, width, p));
    out.push(...uncheckedLines(report.daemon.unchecked, width));
    for (const n of report.daemon.notes) out.push(...wrap(`note: ${n}`, width, '  ', '    '));
  }
  for (const c of worstFirst(report.containers)) out.push('', ...containerLines(c, width, p));
  if (report.containers.length === 0 && report.scope.containers)
    out.push('', report.scope.all ? 'no containers' : 'no running containers (--all audits stopped ones too)');
  if (report.unchecked.length > 0 || report.notes.length > 0) out.push('');
  out.push(...uncheckedLines(report.unchecked, width));
  for (const n of report.notes) out.push(...wrap(`note: ${n}`, width, '', '  '));

  out.push('');
  const failing = s.failing;
  const verdict = failing > 0 ? p.severity('critical', 'FAIL') : p.accepted('PASS');
  const why =
    failing > 0
      ? `${failing} finding${failing === 1 ? '' : 's'} at ${report.failOn} or above not accepted (--fail-on ${report.failOn})`
      : `no unaccepted finding at ${report.failOn} or above (--fail-on ${report.failOn})`;
  out.push(`${verdict}: ${wrap(why, width - 6, '', '  ').join('\n')}`);
  const counts = [...SEVERITIES]
    .reverse()
    .filter((sev) => s.bySeverity[sev] > 0)
    .map((sev) => `${s.bySeverity[sev]} ${sev}`);
  const tail = [
    `open: ${counts.length > 0 ? counts.join(', ') : 'none'}`,
    `accepted: ${s.accepted}`,
    ...(s.drift > 0 ? [`drift: ${s.drift} (on containers started without safedock)`] : []),
    ...(s.bySeverity.info > 0 ? ['info findings are in --json and --sarif'] : []),
  ];
  out.push(...wrap(tail.join(' · '), width, '', '  '));
  return `${out.join('\n')}\n`;
}
