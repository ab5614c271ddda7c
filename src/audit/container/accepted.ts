import { RULE_ID, type RuleId } from '../../policy/types.js';
import { LABEL_ACCEPTED, LABEL_PRESET, isReservedLabel, labelForRule } from '../../policy/labels.js';
import type { AuditAcceptance } from '../types.js';

/** Whether safedock started the container, and under which preset, from its labels. */
export interface Provenance {
  safedock: boolean;
  /** The preset named by io.safedock.preset (absent for the pass-through preset). */
  preset: string | undefined;
}

export function provenance(labels: Readonly<Record<string, string>>): Provenance {
  const preset = labels[LABEL_PRESET];
  return { safedock: Object.keys(labels).some(isReservedLabel), preset: preset === '' ? undefined : preset };
}

/**
 * The "reason (who)" of an io.safedock.accepted.SDxxx label: who is the last parenthesised group,
 * which may itself hold parentheses ("preset compat (/etc/safedock/compat.yaml)").
 */
export function splitAcceptedLabel(value: string): { reason: string; by: string } {
  const text = value.trim();
  if (!text.endsWith(')')) return { reason: text, by: 'unknown' };
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charAt(i);
    if (c === ')') depth++;
    else if (c === '(' && --depth === 0) {
      const reason = text.slice(0, i).trim();
      return reason === '' ? { reason: text, by: 'unknown' } : { reason, by: text.slice(i + 1, -1) };
    }
  }
  return { reason: text, by: 'unknown' };
}

/** The findings a run accepted, from io.safedock.accepted and its per-rule labels. */
export function acceptancesFromLabels(labels: Readonly<Record<string, string>>): Map<RuleId, AuditAcceptance> {
  const out = new Map<RuleId, AuditAcceptance>();
  for (const raw of (labels[LABEL_ACCEPTED] ?? '').split(',')) {
    const rule = raw.trim().toUpperCase();
    if (!RULE_ID.test(rule)) continue;
    const value = labels[labelForRule(rule)];
    const { reason, by } =
      value === undefined ? { reason: 'no reason recorded', by: 'unknown' } : splitAcceptedLabel(value);
    out.set(rule as RuleId, { reason, by, source: 'label' });
  }
  return out;
}
