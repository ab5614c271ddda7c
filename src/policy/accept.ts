import { capabilityName } from '../grammar/capabilities.js';
import { didYouMean, suggest } from '../grammar/suggest.js';
import { UsageError } from '../errors.js';
import { RULES, ruleById } from './catalog.js';
import { RULE_ID, findingKey, type Finding, type FindingOrigin, type ItemKind, type RuleId } from './types.js';

/** Who accepted a risk on purpose: the command line, the project config, a preset, or the person at the terminal. */
export type AcceptedBy =
  | { kind: 'flag' }
  | { kind: 'project'; file: string }
  | { kind: 'preset'; preset: string; file: string }
  | { kind: 'terminal' };

/**
 * A finding (or, with no item, every finding of a rule) accepted for a run, with the reason given.
 * `key` is as written after normalising: `SD111:NET_ADMIN`, or `SD112` for the whole rule.
 */
export interface Acceptance {
  rule: RuleId;
  /** The item accepted; absent for a bare rule id (every finding of that rule). */
  item?: string;
  key: string;
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

/** A bare id of a per-item rule accepts every finding of it; said so wherever it is shown. */
export function isRuleWide(a: Pick<Acceptance, 'rule' | 'item'>): boolean {
  return a.item === undefined && ruleById(a.rule)?.item !== undefined;
}

/** The reason is a label value and a line of output: one line, not empty, not endless. */
export const MAX_REASON = 500;

/** What is wrong with a rule id, and the hint line: the closest known id, and where the ids are listed. */
export interface RuleIdProblem {
  problem: string;
  hint: string;
}

/** Checks one rule id; the problem names what was given, the hint the closest known id. */
export function checkRuleId(id: string): RuleIdProblem | undefined {
  const ids = RULES.map((r) => r.id);
  // Rule ids differ in a digit or two: one edit away, or it is a guess.
  const hint = `${didYouMean(suggest(id, ids, 1))}safedock rules lists every rule.`;
  if (!RULE_ID.test(id))
    return { problem: `"${id}" is not a rule id; expected SD followed by three digits, e.g. SD118`, hint };
  if (ruleById(id) === undefined)
    return { problem: `there is no rule ${id}; the rules are SD101 to ${ids[ids.length - 1] ?? 'SD101'}`, hint };
  return undefined;
}

/**
 * The canonical spelling of an item, so that an acceptance matches however the item was written:
 * capabilities without CAP_ and upper case, ports with their protocol, sysctls with dots.
 */
export function normalizeItem(kind: ItemKind | undefined, item: string): string {
  switch (kind) {
    case 'capability':
      return capabilityName(item);
    case 'port':
      return item === '-P' || item.includes('/') ? item.toLowerCase() : `${item}/tcp`;
    case 'sysctl':
      return item.trim().replaceAll('/', '.');
    default:
      return item;
  }
}

/**
 * Reads one acceptance key: `SD118`, or `SD111:NET_ADMIN` (rule id, a colon, the item as findings
 * name it). A bare id of a per-item critical rule is refused: it would accept every finding of
 * the rule (`--accept SD111` would let `--cap-add ALL` through with NET_ADMIN).
 */
export function parseAcceptKey(
  raw: string,
): { rule: RuleId; item?: string; key: string } | { error: string; hint?: string } {
  const text = raw.trim();
  const colon = text.indexOf(':');
  const id = (colon < 0 ? text : text.slice(0, colon)).toUpperCase();
  const badId = checkRuleId(id);
  if (badId !== undefined) return { error: `${badId.problem} (or ID:ITEM, e.g. SD111:NET_ADMIN)`, hint: badId.hint };
  const rule = ruleById(id);
  if (rule === undefined) return { error: `there is no rule ${id}` };
  if (colon < 0) {
    if (rule.item !== undefined && rule.severity === 'critical') {
      return {
        error: `${id} alone would accept every ${id} finding, and ${id} is critical: name the ${rule.item}, e.g. ${example(rule.id, rule.item)} (the finding shows its key)`,
      };
    }
    return { rule: rule.id, key: rule.id };
  }
  const rawItem = text.slice(colon + 1);
  if (rule.item === undefined)
    return { error: `${id} has no items (it fires once per run): accept it as ${id}, without ":${rawItem}"` };
  if (rawItem.trim() === '')
    return { error: `expected the ${rule.item} after "${id}:", e.g. ${example(rule.id, rule.item)}` };
  const item = normalizeItem(rule.item, rawItem);
  return { rule: rule.id, item, key: findingKey(rule.id, item) };
}

const EXAMPLES: Partial<Record<ItemKind, string>> = {
  capability: 'NET_ADMIN',
  mount: '/etc/krb5.conf:/etc/krb5.conf',
  variable: 'DB_PASSWORD',
  port: '80/tcp',
  device: '/dev/fuse',
  sysctl: 'net.core.somaxconn',
};

const example = (id: string, kind: ItemKind): string => `${id}:${EXAMPLES[kind] ?? 'ITEM'}`;

export function checkReason(reason: unknown): string | undefined {
  if (typeof reason !== 'string' || reason.trim() === '')
    return 'expected a reason: one line saying why this risk is acceptable here';
  if (/[\r\n]/.test(reason)) return 'expected one line of text';
  if (reason.length > MAX_REASON) return `expected at most ${MAX_REASON} characters`;
  return undefined;
}

/**
 * `accept:` of a project config or a preset: a mapping of finding key to reason, e.g.
 * `accept: { SD118: "nginx starts as root", "SD111:NET_ADMIN": "the VPN sets routes" }`. Returns
 * the checked map with normalised keys; calls `fail(key, message)` for the first problem.
 */
export function checkAcceptMap(
  value: unknown,
  fail: (key: string | undefined, message: string, hint?: string) => never,
): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail(
      undefined,
      'expected a mapping of finding key to reason, e.g. "accept: { SD118: the image drops root itself }"',
    );
  }
  const out: Record<string, string> = {};
  for (const [raw, reason] of Object.entries(value as Record<string, unknown>)) {
    // Keys are written as findings show them; only the id's case is forgiven on the command line.
    if (!/^SD\d/.test(raw)) fail(raw, `"${raw}" is not a rule id; expected SD followed by three digits, e.g. SD118`);
    const parsed = parseAcceptKey(raw);
    if ('error' in parsed) return fail(raw, parsed.error, parsed.hint);
    const bad = checkReason(reason);
    if (bad !== undefined) fail(raw, bad);
    out[parsed.key] = (reason as string).trim();
  }
  return out;
}

/**
 * `--accept KEY` and `--reason TEXT` from the command line. Reasons pair with accepts in order;
 * a single reason covers every accept. An accept without a reason is refused: an exception
 * nobody explained is indistinguishable from drift.
 */
export function acceptsFromFlags(accept: readonly string[], reason: readonly string[]): Acceptance[] {
  if (accept.length === 0) {
    if (reason.length > 0)
      throw new UsageError(
        '--reason was given without --accept',
        'Name the finding the reason is for: --accept SD118 --reason "why" (or SD111:NET_ADMIN for one item).',
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
    const text = (reason.length === 1 ? reason[0] : reason[i]) ?? '';
    const parsed = parseAcceptKey(raw);
    if ('error' in parsed)
      throw new UsageError(`invalid argument "${raw}" for "--accept" flag: ${parsed.error}`, parsed.hint);
    const badReason = checkReason(text);
    if (badReason !== undefined) throw new UsageError(`invalid argument "${text}" for "--reason" flag: ${badReason}`);
    return { ...parsed, reason: text.trim(), by: { kind: 'flag' } };
  });
}

/** Acceptances from a checked config map (project or preset). */
export function acceptsFromMap(map: Readonly<Record<string, string>> | undefined, by: AcceptedBy): Acceptance[] {
  const out: Acceptance[] = [];
  for (const [key, reason] of Object.entries(map ?? {})) {
    const parsed = parseAcceptKey(key);
    // Maps are checked when their file is read; a key that no longer parses accepts nothing.
    if (!('error' in parsed)) out.push({ ...parsed, reason, by });
  }
  return out;
}

/**
 * The settings a preset may vouch for: those it set itself, image tailoring it asked for or the
 * image's own configuration it keeps (compat keeps the image's user), and docker's defaults it
 * leaves in place. Never your flags: a preset accepting "runs as root" for the image it keeps
 * says nothing about -u 0.
 */
const PRESET_SCOPE: ReadonlySet<FindingOrigin> = new Set(['preset', 'image', 'default']);

/** Whether the acceptance names this finding: its key, or its rule when the acceptance is rule-wide. */
export function keyMatches(a: Acceptance, f: Finding): boolean {
  return a.item === undefined ? a.rule === f.rule : a.key === f.key;
}

/**
 * Whether the acceptance's author may vouch for where the finding came from. One place for every
 * limit on who may accept what (a further limit is one more condition here).
 */
export function inScope(a: Acceptance, f: Finding): boolean {
  if (a.by.kind === 'preset') return PRESET_SCOPE.has(f.origin);
  return true;
}

/** Whether an acceptance covers a finding: it names it, and its author may vouch for it. */
export function covers(a: Acceptance, f: Finding): boolean {
  return keyMatches(a, f) && inScope(a, f);
}
