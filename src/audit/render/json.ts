import { ruleById } from '../../policy/catalog.js';
import type { ContainerReport } from '../container/judge-container.js';
import { auditExitCode, isFailing, summarize, type AuditReport, type FailOn } from '../report.js';
import type { AuditFinding } from '../types.js';

/** The version of the --json document's shape; it changes only when a field changes meaning or goes. */
export const AUDIT_JSON_FORMAT = 'safedock-audit/1';

function findingJson(f: AuditFinding, failOn: FailOn) {
  const rule = ruleById(f.rule);
  return {
    rule: f.rule,
    severity: f.severity,
    title: f.title,
    detail: f.detail,
    fix: f.fix,
    cis: [...(rule?.cis ?? [])],
    pss: [...(rule?.pss ?? [])],
    status: f.status,
    failing: isFailing(f, failOn),
    acceptance:
      f.acceptance === undefined
        ? null
        : { reason: f.acceptance.reason, by: f.acceptance.by, source: f.acceptance.source },
  };
}

function containerJson(c: ContainerReport, failOn: FailOn) {
  return {
    id: c.id,
    name: c.name,
    image: c.image,
    state: c.state,
    startedBy: c.startedBy,
    preset: c.preset ?? null,
    effective:
      c.effective === undefined
        ? null
        : {
            pid: c.effective.pid,
            uid: c.effective.uid,
            capabilities: c.effective.capabilities,
            noNewPrivs: c.effective.noNewPrivs,
            seccomp: c.effective.seccomp,
            stricter: c.effective.stricter,
          },
    findings: c.findings.map((f) => findingJson(f, failOn)),
  };
}

/**
 * The report as one JSON document with the field names docs/audit.md documents. Every field is
 * always present (null when empty), so consumers need no existence checks. Pure.
 */
export function auditToJson(report: AuditReport) {
  const { failOn } = report;
  const code = auditExitCode(report);
  return {
    format: AUDIT_JSON_FORMAT,
    tool: { name: report.tool.name, version: report.tool.version },
    engine: { ...report.engine },
    failOn,
    scope: { ...report.scope },
    result: code === 0 ? 'pass' : 'fail',
    exitCode: code,
    summary: summarize(report),
    daemon:
      report.daemon === undefined
        ? null
        : {
            name: report.daemon.name,
            findings: report.daemon.findings.map((f) => findingJson(f, failOn)),
            unchecked: report.daemon.unchecked.map((u) => ({ rules: [...u.rules], reason: u.reason })),
            notes: [...report.daemon.notes],
          },
    containers: report.containers.map((c) => containerJson(c, failOn)),
    unchecked: report.unchecked.map((u) => ({ rules: [...u.rules], reason: u.reason })),
    notes: [...report.notes],
    durationMs: Math.round(report.durationMs),
  };
}
