import { suggest } from '../grammar/suggest.js';
import { UsageError } from '../errors.js';
import { RULES, ruleById } from './catalog.js';
import { RULE_ID, type RuleId } from './types.js';

/** Who accepted a risk on purpose: the command line, the project config, a preset, or the person at the terminal. */
export type AcceptedBy =
  | { kind: 'flag' }
  | { kind: 'project'; file: string }
  | { kind: 'preset'; preset: string; file: string }
  | { kind: 'terminal' };

/** A rule accepted for a run, with the reason given. */
export interface Acceptance {
  rule: RuleId;
  reason: string;
  by: AcceptedBy;
}

export function describeAcceptedBy(by: AcceptedBy): string {
  switch (by.kind) {
    case 'flag':
      return '--accept';
    case 'project':
      return `the project config ${by.file}`;
    case 'preset':
      return `preset ${by.preset} (${by.file})`;
    case 'terminal':
      return 'a yes on the terminal';
  }
}

/** The reason is a label value and a line of output: one line, not empty, not endless. */
export const MAX_REASON = 500;

/** Checks one rule id; the message names what was given and the closest known id. */
export function checkRuleId(id: string): string | undefined {
  const ids = RULES.map((r) => r.id);
  // Rule ids differ in a digit or two: one edit away, or it is a guess.
  const near = suggest(id, ids, 1);
  const meant = near === undefined ? '' : ` (did you mean ${near}?)`;
  if (!RULE_ID.test(id)) return `"${id}" is not a rule id; expected SD followed by three digits, e.g. SD118${meant}`;
  if (ruleById(id) === undefined)
    return `there is no rule ${id}${meant}; the rules are SD101 to ${ids[ids.length - 1] ?? 'SD101'} (safedock rules lists them)`;
  return undefined;
}

export function checkReason(reason: unknown): string | undefined {
  if (typeof reason !== 'string' || reason.trim() === '')
    return 'expected a reason: one line saying why this risk is acceptable here';
  if (/[\r\n]/.test(reason)) return 'expected one line of text';
  if (reason.length > MAX_REASON) return `expected at most ${MAX_REASON} characters`;
  return undefined;
}

/**
 * `accept:` of a project config or a preset: a mapping of rule id to reason, e.g.
 * `accept: { SD118: "nginx starts as root and drops to www-data" }`. Returns the checked map;
 * calls `fail(key, message)` for the first problem.
 */
export function checkAcceptMap(
  value: unknown,
  fail: (key: string | undefined, message: string) => never,
): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail(
      undefined,
      'expected a mapping of rule id to reason, e.g. "accept: { SD118: the image drops root itself }"',
    );
  }
  const out: Record<string, string> = {};
  for (const [id, reason] of Object.entries(value as Record<string, unknown>)) {
    const bad = checkRuleId(id) ?? checkReason(reason);
    if (bad !== undefined) fail(id, bad);
    out[id] = (reason as string).trim();
  }
  return out;
}

/**
 * `--accept ID` and `--reason TEXT` from the command line. Reasons pair with accepts in order;
 * a single reason covers every accept. An accept without a reason is refused: an exception
 * nobody explained is indistinguishable from drift.
 */
export function acceptsFromFlags(accept: readonly string[], reason: readonly string[]): Acceptance[] {
  if (accept.length === 0) {
    if (reason.length > 0)
      throw new UsageError(
        '--reason was given without --accept',
        'Name the rule the reason is for: --accept SD118 --reason "why".',
      );
    return [];
  }
  if (reason.length === 0) {
    throw new UsageError(
      `--accept ${accept.join(', ')} needs a reason`,
      `Say why the risk is acceptable here: --accept ${accept[0]} --reason "the image drops root itself". The reason is stamped into the container's labels.`,
    );
  }
  if (reason.length !== 1 && reason.length !== accept.length) {
    throw new UsageError(
      `${accept.length} --accept and ${reason.length} --reason were given`,
      'Give one --reason after each --accept, or a single --reason for all of them.',
    );
  }
  return accept.map((raw, i) => {
    const rule = raw.trim().toUpperCase();
    const text = (reason.length === 1 ? reason[0] : reason[i]) ?? '';
    const badId = checkRuleId(rule);
    if (badId !== undefined) throw new UsageError(`invalid argument "${raw}" for "--accept" flag: ${badId}`);
    const badReason = checkReason(text);
    if (badReason !== undefined) throw new UsageError(`invalid argument "${text}" for "--reason" flag: ${badReason}`);
    return { rule: rule as RuleId, reason: text.trim(), by: { kind: 'flag' } };
  });
}

/** Acceptances from a config map (project or preset). */
export function acceptsFromMap(map: Readonly<Record<string, string>> | undefined, by: AcceptedBy): Acceptance[] {
  return Object.entries(map ?? {}).map(([rule, reason]) => ({ rule: rule as RuleId, reason, by }));
}
