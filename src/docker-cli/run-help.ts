import { OWN_FLAGS, RUN_FLAGS, type FlagGroup, type FlagSpec } from './run-flags.js';
import { hangingWrap, wrapCommand, wrapWords } from '../text/wrap.js';

const GROUP_TITLES: ReadonlyArray<[FlagGroup, string]> = [
  ['safedock', 'safedock options'],
  ['security', 'Security'],
  ['resources', 'Resources'],
  ['storage', 'Storage'],
  ['network', 'Network'],
  ['process', 'Process'],
  ['environment', 'Environment'],
  ['lifecycle', 'Lifecycle'],
  ['metadata', 'Metadata and logging'],
  ['client', 'Client'],
];

/** Below this many columns for a flag's text, the text goes under the flag instead of beside it. */
const MIN_TEXT_COLUMNS = 30;

const EXAMPLES: ReadonlyArray<[string, string]> = [
  ['Hardened by the strict preset:', 'safedock run --rm -it safedock-demo sh'],
  [
    'Add one capability back, publish on loopback:',
    'safedock run --rm --cap-add NET_BIND_SERVICE -p 127.0.0.1:80:80 web',
  ],
  ['Exactly what docker run would do:', 'safedock run --preset none --rm alpine true'],
  ['The plan, env values masked; nothing runs:', 'safedock run --dry-run --json -e TOKEN=x app'],
];

/** How a flag is written in help: `-o, --output dir`, or `    --name string` without a short form. */
export function spelling(flag: FlagSpec): string {
  const long = `--${flag.name}${flag.kind === 'value' ? ` ${flag.valueName ?? 'string'}` : ''}`;
  return flag.short ? `-${flag.short}, ${long}` : `    ${long}`;
}

/** One flag's lines: its spelling, then its text beside it (or under it when the terminal is narrow). */
export function flagLines(flag: FlagSpec, column: number, columns: number): string[] {
  const head = `  ${spelling(flag)}`;
  if (columns - column >= MIN_TEXT_COLUMNS) return hangingWrap(head.padEnd(column), flag.help, columns);
  return [head, ...wrapWords(flag.help, columns - 8).map((l) => `        ${l}`)];
}

const paragraph = (text: string, columns: number): string[] => wrapWords(text, columns);

/** `safedock run --help` (and `safedock help run`): docker's flags by group, safedock's own first, then examples. */
export function renderRunHelp(columns = 80): string {
  const lines = [
    ...hangingWrap('Usage:  ', 'safedock run [OPTIONS] IMAGE [COMMAND] [ARG...]', columns),
    '',
    ...paragraph(
      'Create and run a new container from an image, with a hardened preset merged under your flags. ' +
        "Every option is a docker run option (same spelling, same meaning) or one of safedock's own.",
      columns,
    ),
  ];
  const all = [...OWN_FLAGS, ...RUN_FLAGS];
  const column = Math.max(...all.map((f) => spelling(f).length)) + 4;
  for (const [group, title] of GROUP_TITLES) {
    const flags = all.filter((f) => f.group === group && f.hidden !== true);
    if (flags.length === 0) continue;
    lines.push('', `${title}:`);
    for (const flag of flags) lines.push(...flagLines(flag, column, columns));
  }
  lines.push('', 'Examples:');
  for (const [what, command] of EXAMPLES)
    lines.push(...hangingWrap('  ', what, columns), ...wrapCommand('    ', command, columns));
  lines.push('');
  return lines.join('\n');
}

/** `safedock explain --help` (and `safedock help explain`). */
export function renderExplainHelp(columns = 80): string {
  return [
    ...hangingWrap('Usage:  ', 'safedock explain [OPTIONS] IMAGE [COMMAND] [ARG...]', columns),
    '',
    ...paragraph(
      'Shows every setting `safedock run` would apply with the same arguments, where each comes from, ' +
        'which preset values your flags replaced, and the risk findings with what the policy would do. ' +
        'Takes the options of `safedock run --help`; --json for JSON.',
      columns,
    ),
    '',
  ].join('\n');
}
