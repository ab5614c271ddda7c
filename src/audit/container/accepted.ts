import { RULE_ID } from '../../policy/types.js';
import {
  LABEL_ACCEPTED,
  LABEL_ACCEPTED_KEYS,
  LABEL_PRESET,
  isReservedLabel,
  labelForRule,
  type AcceptedKeyRecord,
} from '../../policy/labels.js';
import type { AuditAcceptance } from '../types.js';

/**
 * The container's labels without the safedock labels it got from its image. The engine copies an
 * image's labels onto every container made from it, so an image built with
 * `LABEL io.safedock.accepted.keys=…` would otherwise pass its containers off as started by
 * safedock with risks accepted. A safedock label the run set itself differs from the image's (the
 * run's value replaces it); one equal to the image's is the image's. When the image cannot be read
 * (undefined), no safedock label is trusted.
 */
export function ownLabels(
  labels: Readonly<Record<string, string>>,
  imageLabels: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) {
    if (isReservedLabel(key) && (imageLabels === undefined || imageLabels[key] === value)) continue;
    out[key] = value;
  }
  return out;
}

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

/**
 * The findings a run accepted: by finding key from io.safedock.accepted.keys when the run wrote it
 * (an acceptance of SD111:NET_ADMIN covers that capability only), else by rule id from
 * io.safedock.accepted and its per-rule labels (runs before keys existed).
 */
export function acceptancesFromLabels(labels: Readonly<Record<string, string>>): Map<string, AuditAcceptance> {
  const keyed = acceptancesByKey(labels[LABEL_ACCEPTED_KEYS]);
  if (keyed !== undefined) return keyed;
  const out = new Map<string, AuditAcceptance>();
  for (const raw of (labels[LABEL_ACCEPTED] ?? '').split(',')) {
    const rule = raw.trim().toUpperCase();
    if (!RULE_ID.test(rule)) continue;
    const value = labels[labelForRule(rule)];
    const { reason, by } =
      value === undefined ? { reason: 'no reason recorded', by: 'unknown' } : splitAcceptedLabel(value);
    out.set(rule, { reason, by, source: 'label' });
  }
  return out;
}

/** io.safedock.accepted.keys read back; undefined when it is missing or unreadable. */
function acceptancesByKey(value: string | undefined): Map<string, AuditAcceptance> | undefined {
  if (value === undefined) return undefined;
  let records: unknown;
  try {
    records = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (records === null || typeof records !== 'object' || Array.isArray(records)) return undefined;
  const out = new Map<string, AuditAcceptance>();
  for (const [key, raw] of Object.entries(records as Record<string, Partial<AcceptedKeyRecord>>)) {
    if (!RULE_ID.test(key.slice(0, 5)) || typeof raw.reason !== 'string') continue;
    out.set(key, { reason: raw.reason, by: typeof raw.by === 'string' ? raw.by : 'unknown', source: 'label' });
  }
  return out;
}
