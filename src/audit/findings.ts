import { ruleById } from '../policy/catalog.js';
import { SEVERITIES } from '../policy/types.js';
import type { AuditAcceptance, AuditFinding, AuditHit, FindingStatus } from './types.js';

/** A hit made a finding: title and fix from the catalog unless the hit overrides them. */
export function toFinding(hit: AuditHit, status: FindingStatus, acceptance?: AuditAcceptance): AuditFinding {
  const rule = ruleById(hit.rule);
  if (rule === undefined) throw new Error(`rule ${hit.rule} is not in the catalog`);
  return {
    rule: rule.id,
    severity: hit.severity ?? rule.severity,
    title: rule.title,
    detail: hit.detail,
    fix: hit.fix ?? rule.fix,
    status,
    ...(acceptance === undefined ? {} : { acceptance }),
  };
}

const rank = (f: AuditFinding): number => SEVERITIES.indexOf(f.severity);

/** Unaccepted first, most severe first, then by rule id; stable within one rule. */
export function sortFindings(findings: readonly AuditFinding[]): AuditFinding[] {
  return [...findings].sort(
    (a, b) =>
      Number(a.status === 'accepted') - Number(b.status === 'accepted') ||
      rank(b) - rank(a) ||
      (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
  );
}
