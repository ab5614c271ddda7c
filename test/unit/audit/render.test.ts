import { describe, expect, it } from 'vitest';
import type { ContainerReport } from '../../../src/audit/container/judge-container.js';
import { toFinding } from '../../../src/audit/findings.js';
import { COLORS, useColor } from '../../../src/audit/render/colors.js';
import { auditToJson } from '../../../src/audit/render/json.js';
import { auditToSarif } from '../../../src/audit/render/sarif.js';
import { auditToText } from '../../../src/audit/render/text.js';
import { wrap } from '../../../src/audit/render/wrap.js';
import {
  auditExitCode,
  AUDIT_EXIT,
  FAIL_ON,
  summarize,
  worstFirst,
  type AuditReport,
} from '../../../src/audit/report.js';
import { ruleList } from '../../../src/audit/rule-list.js';
import type { AuditFinding } from '../../../src/audit/types.js';
import { sarifErrors } from '../../helpers/sarif.js';

const f = (
  rule: `SD${number}`,
  detail: string,
  status: AuditFinding['status'] = 'drift',
  severity?: AuditFinding['severity'],
) =>
  toFinding(
    { rule, detail, ...(severity ? { severity } : {}) },
    status,
    status === 'accepted' ? { reason: 'needed for the demo', by: '--accept', source: 'label' } : undefined,
  );

function container(name: string, findings: AuditFinding[], over: Partial<ContainerReport> = {}): ContainerReport {
  return {
    id: name.padEnd(64, '0'),
    name,
    image: 'busybox:1.36',
    state: 'running',
    startedBy: 'other',
    preset: undefined,
    findings,
    effective: undefined,
    ...over,
  };
}

function report(over: Partial<AuditReport> = {}): AuditReport {
  return {
    tool: { name: 'safedock', version: '0.1.0' },
    engine: { address: 'unix:///var/run/docker.sock', version: '20.10.24', apiVersion: '1.41', local: true },
    failOn: 'high',
    scope: { containers: true, all: false, daemon: true },
    daemon: {
      name: 'vm',
      findings: [f('SD211', 'the default bridge has com.docker.network.bridge.enable_icc=true', 'open')],
      unchecked: [],
      notes: [],
    },
    containers: [
      container('quiet', [f('SD302', 'neither the image nor the run defines a health check')]),
      container('web-with-a-rather-long-name-that-goes-on-and-on-and-on-and-on-and-on', [
        f('SD102', 'the engine socket /var/run/docker.sock is mounted at /var/run/docker.sock (read-write)'),
        f('SD125', '80/tcp is published on host port 8080 of every interface (HostIp "")'),
        f('SD132', 'the image busybox:1.36 is not pinned by digest'),
      ]),
      container('ok', [f('SD118', 'User is ""', 'accepted')], { startedBy: 'safedock', preset: 'compat' }),
    ],
    unchecked: [{ rules: ['SD305', 'SD306', 'SD307', 'SD308'], reason: 'the processes could not be read' }],
    notes: ['1 container was removed while the audit ran'],
    durationMs: 123.4,
    ...over,
  };
}

describe('exit code and --fail-on', () => {
  it.each([
    ['low', AUDIT_EXIT.failed],
    ['medium', AUDIT_EXIT.failed],
    ['high', AUDIT_EXIT.failed],
    ['critical', AUDIT_EXIT.failed],
  ] as const)('critical drift fails at --fail-on %s', (failOn, code) => {
    expect(auditExitCode(report({ failOn }))).toBe(code);
  });

  it('only unaccepted findings at or above the threshold fail', () => {
    const r = report({
      daemon: undefined,
      containers: [container('a', [f('SD125', 'x'), f('SD118', 'y', 'accepted')])],
    });
    expect(auditExitCode({ ...r, failOn: 'high' })).toBe(AUDIT_EXIT.passed);
    expect(auditExitCode({ ...r, failOn: 'medium' })).toBe(AUDIT_EXIT.failed);
    expect(auditExitCode({ ...r, failOn: 'critical' })).toBe(AUDIT_EXIT.passed);
    // An accepted critical never fails; info never fails.
    const acc = report({
      daemon: undefined,
      containers: [container('a', [f('SD101', 'p', 'accepted'), f('SD132', 'i')])],
    });
    for (const failOn of FAIL_ON) expect(auditExitCode({ ...acc, failOn })).toBe(AUDIT_EXIT.passed);
  });

  it('summary counts open findings by severity', () => {
    expect(summarize(report())).toEqual({
      containers: 3,
      findings: 6,
      failing: 1,
      accepted: 1,
      drift: 4,
      bySeverity: { info: 1, low: 1, medium: 2, high: 0, critical: 1 },
    });
  });

  it('containers worst first, then by how many findings, then by name', () => {
    const r = report();
    expect(worstFirst(r.containers).map((c) => c.name.slice(0, 8))).toEqual(['web-with', 'quiet', 'ok']);
  });
});

describe('text', () => {
  it.each([80, 60, 100])('fits %i columns', (width) => {
    const text = auditToText(report(), { width });
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(width);
  });

  it('groups by container, worst first, names the CIS id, the fix and the verdict', () => {
    const text = auditToText(report(), { width: 80 });
    const web = text.indexOf('web-with');
    const quiet = text.indexOf('\nquiet ·');
    expect(web).toBeGreaterThan(0);
    expect(quiet).toBeGreaterThan(web);
    expect(text).toContain('  CRITICAL SD102  container engine socket reachable through a mount');
    expect(text).toContain('CIS 5.32. Fix: Remove the mount.');
    expect(text).toContain('  MEDIUM   SD211  containers on the default bridge may talk to each other');
    expect(text).toContain('  accepted SD118  runs as root');
    expect(text).toContain('accepted on the container: needed for the demo (by --accept)');
    expect(text).toContain('started by safedock (preset compat)');
    expect(text).toContain('not checked: SD305-SD308: the processes could not be read');
    expect(text).toContain('FAIL: 1 finding at high or above not accepted (--fail-on high)');
    // Info findings stay out of the text.
    expect(text).not.toContain('SD132');
    expect(text).toContain('info findings are in --json and --sarif');
  });

  it('no escape sequences without a palette; colour with one', () => {
    expect(auditToText(report(), { width: 80 })).not.toContain('\u001b[');
    expect(auditToText(report(), { width: 80, palette: COLORS })).toContain('\u001b[1;31mCRITICAL\u001b[0m');
  });

  it('colour only on a terminal, never with NO_COLOR or TERM=dumb', () => {
    expect(useColor(true, {})).toBe(true);
    expect(useColor(false, {})).toBe(false);
    expect(useColor(undefined, {})).toBe(false);
    expect(useColor(true, { NO_COLOR: '1' })).toBe(false);
    expect(useColor(true, { NO_COLOR: '' })).toBe(true);
    expect(useColor(true, { TERM: 'dumb' })).toBe(false);
  });

  it('says when there is nothing running', () => {
    const text = auditToText(report({ daemon: undefined, containers: [], unchecked: [], notes: [] }), { width: 80 });
    expect(text).toContain('no running containers (--all audits stopped ones too)');
    expect(text).toContain('PASS: no unaccepted finding at high or above (--fail-on high)');
  });

  it('wrap: hanging indent, long words cut', () => {
    expect(wrap('aaa bbb ccc', 9, '> ', '  ')).toEqual(['> aaa bbb', '  ccc']);
    expect(wrap('x'.repeat(25), 12, '', '')).toEqual(['x'.repeat(12), 'x'.repeat(12), 'x']);
    expect(wrap('', 10, '- ', '  ')).toEqual(['- ']);
  });

  it('rule lists are compact', () => {
    expect(ruleList(['SD101', 'SD102', 'SD103', 'SD105', 'SD106', 'SD305'])).toBe('SD101-SD103, SD105, SD106, SD305');
  });
});

describe('--json', () => {
  it('has the documented fields, always present', () => {
    const doc = auditToJson(report());
    expect(Object.keys(doc)).toEqual([
      'format',
      'tool',
      'engine',
      'failOn',
      'scope',
      'result',
      'exitCode',
      'summary',
      'daemon',
      'containers',
      'unchecked',
      'notes',
      'durationMs',
    ]);
    expect(doc).toMatchObject({ format: 'safedock-audit/1', result: 'fail', exitCode: 1, durationMs: 123 });
    const c = doc.containers[1];
    expect(Object.keys(c ?? {})).toEqual([
      'id',
      'name',
      'image',
      'state',
      'startedBy',
      'preset',
      'effective',
      'findings',
    ]);
    expect(c?.findings[0]).toEqual({
      rule: 'SD102',
      severity: 'critical',
      title: 'container engine socket reachable through a mount',
      detail: 'the engine socket /var/run/docker.sock is mounted at /var/run/docker.sock (read-write)',
      fix: expect.stringMatching(/^Remove the mount/) as unknown,
      cis: ['5.32'],
      pss: ['hostPathVolumes'],
      status: 'drift',
      failing: true,
      acceptance: null,
    });
    expect(doc.containers[2]?.findings[0]?.acceptance).toEqual({
      reason: 'needed for the demo',
      by: '--accept',
      source: 'label',
    });
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});

describe('--sarif', () => {
  it('validates against the SARIF 2.1.0 schema', () => {
    expect(sarifErrors(auditToSarif(report()))).toEqual([]);
    expect(sarifErrors(auditToSarif(report({ daemon: undefined, containers: [], unchecked: [], notes: [] })))).toEqual(
      [],
    );
  });

  it('the schema check can fail', () => {
    const doc = auditToSarif(report()) as { runs: { results: { level: string }[] }[] };
    const first = doc.runs[0]?.results[0];
    if (first) first.level = 'fatal';
    expect(sarifErrors(doc).length).toBeGreaterThan(0);
  });

  it('rules with help and CIS/PSS references; one result per finding; accepted ones suppressed', () => {
    const doc = auditToSarif(report());
    const run = doc.runs[0];
    expect(run?.results).toHaveLength(6);
    const rules = run?.tool.driver.rules ?? [];
    expect(rules.map((r) => r.id)).toEqual(['SD102', 'SD118', 'SD125', 'SD132', 'SD211', 'SD302']);
    const sd102 = rules[0];
    expect(sd102?.help.text).toContain('CIS Docker Benchmark: 5.32');
    expect(sd102?.help.text).toContain('Kubernetes Pod Security Standards: hostPathVolumes');
    expect(sd102?.properties).toMatchObject({ 'security-severity': '9.5', cis: ['5.32'], pss: ['hostPathVolumes'] });
    const results = run?.results as {
      ruleId: string;
      ruleIndex: number;
      suppressions?: unknown[];
      locations: unknown[];
    }[];
    for (const r of results) expect(rules[r.ruleIndex]?.id).toBe(r.ruleId);
    expect(results.filter((r) => r.suppressions !== undefined).map((r) => r.ruleId)).toEqual(['SD118']);
    expect(JSON.stringify(results[0]?.locations)).toContain('"uri":"docker/daemon"');
  });
});
