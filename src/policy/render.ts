import { hangingWrap, termWrap, wrapItems } from '../text/wrap.js';
import { describeAcceptedBy, isRuleWide } from './accept.js';
import { atLeast, CONSENT_SEVERITY, type AcceptedFinding, type Decision } from './decide.js';
import { LABEL_WARNED } from './labels.js';
import { SEVERITIES, type Finding } from './types.js';

/** Where a finding's setting came from, as the plan and the picker say it. */
export const FINDING_ORIGIN: Readonly<Record<Finding['origin'], string>> = {
  user: 'your flags',
  preset: 'the preset',
  image: 'the image',
  engine: 'the container',
  compose: 'the compose file',
  default: "docker's default",
};

function countBySeverity(findings: readonly Finding[]): string {
  const parts: string[] = [];
  for (const severity of [...SEVERITIES].reverse()) {
    const n = findings.filter((f) => f.severity === severity).length;
    if (n > 0) parts.push(`${n} ${severity}`);
  }
  return parts.join(', ');
}

/**
 * Findings grouped by severity, most severe first, each with its evidence and its fix; within
 * `columns` when given (each continues under its own text).
 */
export function findingsToText(findings: readonly Finding[], indent = '', columns?: number): string[] {
  const fix = `${indent}         fix: `;
  // A key may be as long as a path: then it gets a line of its own and its text goes under the fix's.
  const wrap = (first: string, text: string): string[] =>
    columns === undefined ? [`${first}${text}`] : termWrap(first, text, columns, ' '.repeat(fix.length));
  const lines: string[] = [];
  for (const severity of [...SEVERITIES].reverse()) {
    const group = findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    lines.push(`${indent}${severity.toUpperCase()}`);
    for (const f of group) {
      lines.push(...wrap(`${indent}  ${f.key}  `, `${f.title}: ${f.detail} (from ${FINDING_ORIGIN[f.origin]})`));
      lines.push(...wrap(fix, f.fix));
    }
  }
  return lines;
}

export interface DecisionTextOptions {
  /**
   * -q or SAFEDOCK_QUIET: only the findings that need consent (high and critical); no notes of
   * what was accepted or matched nothing. A refusal and a question are never silenced.
   */
  quiet?: boolean;
  /** The width of stderr (80 unless it is a terminal or COLUMNS says otherwise); unwrapped when absent. */
  columns?: number;
}

/** What a run prints on stderr before it starts (nothing when nothing is worth saying). */
export function decisionToText(decision: Decision, options: DecisionTextOptions = {}): string {
  const lines: string[] = [];
  const { columns } = options;
  const say = (text: string): string[] =>
    columns === undefined ? [`safedock: ${text}`] : hangingWrap('safedock: ', text, columns);
  const quiet = options.quiet === true;
  const warnings = quiet ? decision.warnings.filter((f) => atLeast(f.severity, CONSENT_SEVERITY)) : decision.warnings;
  if (warnings.length > 0) {
    lines.push(...say(`risky settings in this run (${countBySeverity(warnings)}):`));
    lines.push(...findingsToText(warnings, '  ', columns));
  }
  if (!quiet) {
    // One line per party that accepted something: what it accepted, by key (the reasons are in
    // explain); a bare rule id says it accepts every finding of its rule.
    const byWho = new Map<string, string[]>();
    for (const f of decision.accepted) {
      const who = describeAcceptedBy(f.acceptance.by);
      const keys = byWho.get(who) ?? [];
      // The short form of "accepts every SD112 finding": this line stays within 100 columns.
      const shown = isRuleWide(f.acceptance) ? `${f.acceptance.rule} (every finding)` : f.acceptance.key;
      if (!keys.includes(shown)) keys.push(shown);
      byWho.set(who, keys);
    }
    // Notes, one line each as every note is (README): only the findings' list is laid out in columns.
    for (const [who, keys] of byWho) lines.push(`safedock: accepted ${keys.join(', ')} by ${who}`);
    for (const a of decision.unused) lines.push(`safedock: --accept ${a.key} matched nothing in this run`);
  }
  // Never silenced: the run goes ahead with high or critical findings nobody accepted.
  if (decision.warned.length > 0) {
    const keys = [...new Set(decision.warned.map((f) => f.key))].join(', ');
    lines.push(
      `safedock: running under --policy warn (${MODE_FROM[decision.modeFrom]}) with ${keys} not accepted; recorded in the label ${LABEL_WARNED}`,
    );
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

const MODE_FROM: Record<Decision['modeFrom'], string> = {
  '--policy': 'from --policy',
  SAFEDOCK_POLICY: 'from SAFEDOCK_POLICY',
  default: 'the default',
};

/**
 * For explain and --dry-run: one line per acceptance used, with the keys it covered, who accepted
 * and why. A bare rule id says that it accepts every finding of its rule; a preset's says which of
 * its settings it covered.
 */
export function acceptedToText(accepted: readonly AcceptedFinding[], prefix = '', columns?: number): string[] {
  const groups = new Map<AcceptedFinding['acceptance'], AcceptedFinding[]>();
  for (const f of accepted) groups.set(f.acceptance, [...(groups.get(f.acceptance) ?? []), f]);
  const lines: string[] = [];
  for (const [acceptance, findings] of groups) {
    const first = findings[0];
    if (first === undefined) continue;
    const covered = isRuleWide(acceptance)
      ? `; accepts every ${acceptance.rule} finding: ${findings.map((f) => f.key).join(', ')}`
      : '';
    const origins = [...new Set(findings.map((f) => FINDING_ORIGIN[f.origin]))].join(', ');
    const scope = acceptance.by.kind === 'preset' ? `, for settings from ${origins}` : '';
    const head = `${prefix}${acceptance.key}  `;
    const text = `${first.title}: ${acceptance.reason} (by ${describeAcceptedBy(acceptance.by)}${scope}${covered})`;
    lines.push(...(columns === undefined ? [`${head}${text}`] : termWrap(head, text, columns, `${prefix}    `)));
  }
  return lines;
}

/** A key as a YAML mapping key: quoted when it holds more than the rule id. */
const yamlKey = (key: string): string => (/^SD\d{3}$/.test(key) ? key : JSON.stringify(key));

/**
 * How a command words its refusal: what did not happen, and where besides the command line a
 * finding may be accepted (a file may accept a finding up to high, never a critical one:
 * src/policy/accept-limits.ts).
 */
export interface RefusalPlaces {
  /** What the refusal left undone: `nothing was created` (run), `nothing was written` (export). */
  nothing: string;
  /** The line offering a file's `accept:` for these keys (none of them critical): its lead, then its words. */
  fileAccept: (keys: readonly string[]) => { lead: string; words: string[] };
  /** The files that could not accept a critical finding, as the refusal names them. */
  files: string;
}

/** A file's `accept:` map for these keys as flow YAML words (`{ SD118: "why" }`), a key never split. */
export const acceptMapWords = (keys: readonly string[]): string[] => [
  '{',
  ...keys.map((key, i) => `${yamlKey(key)}: "why"${i < keys.length - 1 ? ',' : ''}`),
  '}',
];

/** run's, explain's and export's: the project's .safedock.yaml. */
export const RUN_REFUSAL: RefusalPlaces = {
  nothing: 'nothing was created',
  fileAccept: (keys) => ({
    lead: '  for the project:      ',
    words: ['.safedock.yaml', 'accept:', ...acceptMapWords(keys)],
  }),
  files: 'no preset or project file',
};

/**
 * The refusal: which findings, and the ways forward, naming each finding by its key; within
 * `columns` when given, each line continuing under its own text, a key and its --accept never split.
 */
export function refusalText(
  decision: Decision,
  why: string,
  places: RefusalPlaces = RUN_REFUSAL,
  columns?: number,
): string {
  const criticalInCi = decision.mode === 'warn';
  const head = `refused: ${decision.blocking.length} ${criticalInCi ? 'critical' : 'high or critical'} finding${decision.blocking.length === 1 ? '' : 's'} not accepted (${why}); ${places.nothing}.`;
  return [
    ...(columns === undefined ? [`safedock: ${head}`] : hangingWrap('safedock: ', head, columns)),
    ...acceptWays(decision, places, columns),
    '',
  ].join('\n');
}

/**
 * The ways forward from a refusal, each blocking finding named by its full key: on the command
 * line; in a file for the findings a file may accept; for a critical one, that no file can
 * accept it, and what to do instead. Within `columns` when given.
 */
export function acceptWays(decision: Decision, places: RefusalPlaces, columns?: number): string[] {
  const keys = [...new Set(decision.blocking.map((f) => f.key))];
  const accept = [...keys.map((key) => `--accept ${shellWord(key)}`), '--reason "why this is acceptable here"'];
  const wrap = (first: string, text: string): string[] =>
    columns === undefined ? [`${first}${text}`] : hangingWrap(first, text, columns);
  const items = (first: string, list: readonly string[]): string[] =>
    columns === undefined ? [`${first}${list.join(' ')}`] : wrapItems(first, list, columns);
  const fileKeys = [...new Set(decision.blocking.filter((f) => f.severity !== 'critical').map((f) => f.key))];
  const critical = [...new Set(decision.blocking.filter((f) => f.severity === 'critical').map((f) => f.key))];
  const one = critical.length === 1;
  const file = fileKeys.length === 0 ? undefined : places.fileAccept(fileKeys);
  return [
    'Fix the settings named above, or accept the risk on purpose:',
    ...items('  on the command line:  ', accept),
    ...(file === undefined ? [] : items(file.lead, file.words)),
    ...(critical.length === 0
      ? []
      : wrap(
          '  (',
          `${critical.join(', ')} ${one ? 'is' : 'are'} critical: ${places.files} can accept ${one ? 'it' : 'them'}; change the setting, or accept ${one ? 'it' : 'them'} with --accept on the command line)`,
        )),
    // warn is offered only when it lets every blocking finding run wherever the command is pasted:
    // under CI it refuses a critical one (decide.ts), so for those only the flags or --accept work.
    ...(decision.mode === 'warn' || critical.length > 0 ? [] : ['  or report only:       --policy warn']),
  ];
}

/** A key as one shell word (mount keys may hold spaces or quotes). */
const shellWord = (text: string): string =>
  /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;

/** The decision as data (for --json). */
export function decisionToJson(decision: Decision): Record<string, unknown> {
  return {
    mode: decision.mode,
    verdict: decision.verdict,
    modeFrom: decision.modeFrom,
    findings: decision.findings.map((f) => ({ ...f })),
    accepted: decision.accepted.map((f) => ({
      rule: f.rule,
      key: f.key,
      acceptedAs: f.acceptance.key,
      everyFindingOfRule: isRuleWide(f.acceptance),
      origin: f.origin,
      reason: f.acceptance.reason,
      by: f.acceptance.by,
    })),
    blocking: [...new Set(decision.blocking.map((f) => f.key))],
    warned: [...new Set(decision.warned.map((f) => f.key))],
    unusedAccepts: decision.unused.map((a) => a.key),
  };
}
