import { createHash } from 'node:crypto';
import { ruleById } from '../../policy/catalog.js';
import type { Rule, RuleId, Severity } from '../../policy/types.js';
import { isFailing, type AuditReport } from '../report.js';
import { ruleList } from '../rule-list.js';
import type { AuditFinding } from '../types.js';

/** SARIF levels by severity. */
const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'warning',
  info: 'note',
};

/** Scores code-scanning dashboards read from "security-severity" (9+ critical, 7+ high, 4+ medium, else low). */
const SECURITY_SEVERITY: Readonly<Partial<Record<Severity, string>>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};

function helpText(rule: Rule): string {
  return [
    `Why: ${rule.why}`,
    `Fix: ${rule.fix}`,
    `CIS Docker Benchmark: ${rule.cis.length > 0 ? rule.cis.join(', ') : 'no check'}`,
    `Kubernetes Pod Security Standards: ${rule.pss.length > 0 ? rule.pss.join(', ') : 'no control'}`,
  ].join('\n');
}

function helpMarkdown(rule: Rule): string {
  return [
    `**Why:** ${rule.why}`,
    '',
    `**Fix:** ${rule.fix}`,
    '',
    `**CIS Docker Benchmark:** ${rule.cis.length > 0 ? rule.cis.join(', ') : 'no check'}`,
    '',
    `**Kubernetes Pod Security Standards:** ${rule.pss.length > 0 ? rule.pss.map((c) => `\`${c}\``).join(', ') : 'no control'}`,
  ].join('\n');
}

/** "container engine socket reachable through a mount" → "ContainerEngineSocketReachableThroughAMount". */
const pascal = (title: string): string =>
  title
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

function ruleDescriptor(rule: Rule) {
  const severity = SECURITY_SEVERITY[rule.severity];
  return {
    id: rule.id,
    name: pascal(rule.title),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.why },
    help: { text: helpText(rule), markdown: helpMarkdown(rule) },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: ['security', ...rule.cis.map((id) => `CIS-${id}`), ...rule.pss.map((c) => `PSS-${c}`)],
      precision: 'very-high',
      ...(severity === undefined ? {} : { 'security-severity': severity }),
      cis: [...rule.cis],
      pss: [...rule.pss],
    },
  };
}

interface Subject {
  /** The artifact path a dashboard groups by: containers/NAME, or daemon. */
  uri: string;
  logical: { name: string; fullyQualifiedName: string; kind: string };
  properties: Record<string, string>;
}

/**
 * The report as SARIF 2.1.0: the rules that fired, with help text and CIS/PSS references, and one
 * result per finding. Accepted findings carry an accepted external suppression with the reason,
 * so dashboards show them as dismissed. Pure.
 */
export function auditToSarif(report: AuditReport) {
  const used: RuleId[] = [];
  const results: unknown[] = [];
  const add = (f: AuditFinding, subject: Subject) => {
    const rule = ruleById(f.rule);
    if (rule === undefined) return;
    if (!used.includes(rule.id)) used.push(rule.id);
    const fingerprint = createHash('sha256').update(`${f.rule}\u0000${subject.uri}\u0000${f.detail}`).digest('hex');
    results.push({
      ruleId: f.rule,
      level: LEVEL[f.severity],
      message: { text: `${subject.logical.name}: ${f.detail}. Fix: ${f.fix}` },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: subject.uri } },
          logicalLocations: [subject.logical],
        },
      ],
      partialFingerprints: { 'safedockFinding/v1': fingerprint },
      ...(f.status === 'accepted' && f.acceptance !== undefined
        ? {
            suppressions: [
              { kind: 'external', status: 'accepted', justification: `${f.acceptance.reason} (by ${f.acceptance.by})` },
            ],
          }
        : {}),
      properties: {
        severity: f.severity,
        status: f.status,
        failing: isFailing(f, report.failOn),
        ...(SECURITY_SEVERITY[f.severity] === undefined ? {} : { 'security-severity': SECURITY_SEVERITY[f.severity] }),
        ...subject.properties,
      },
    });
  };
  if (report.daemon !== undefined) {
    const name = report.daemon.name || 'engine';
    for (const f of report.daemon.findings)
      add(f, {
        uri: 'docker/daemon',
        logical: { name: `daemon ${name}`, fullyQualifiedName: `daemon/${name}`, kind: 'resource' },
        properties: { engine: report.engine.address },
      });
  }
  for (const c of report.containers)
    for (const f of c.findings)
      add(f, {
        uri: `docker/containers/${encodeURIComponent(c.name)}`,
        logical: { name: c.name, fullyQualifiedName: `container/${c.name}`, kind: 'resource' },
        properties: { containerId: c.id, image: c.image, startedBy: c.startedBy },
      });
  const rules = [...used]
    .sort()
    .map((id) => ruleById(id))
    .filter((r): r is Rule => r !== undefined);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  for (const r of results as { ruleId: RuleId; ruleIndex?: number }[]) r.ruleIndex = index.get(r.ruleId) ?? 0;
  const notifications = [...(report.daemon?.unchecked ?? []), ...report.unchecked].map((u) => ({
    level: 'warning',
    message: { text: `not checked: ${ruleList(u.rules)}: ${u.reason}` },
  }));
  notifications.push(
    ...[...(report.daemon?.notes ?? []), ...report.notes].map((n) => ({ level: 'note', message: { text: n } })),
  );
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            rules: rules.map(ruleDescriptor),
          },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results,
        properties: { failOn: report.failOn, engine: report.engine.address, engineVersion: report.engine.version },
      },
    ],
  };
}
