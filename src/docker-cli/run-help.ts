import { RUN_FLAGS, type FlagGroup, type FlagSpec } from './run-flags.js';
import { OWN_FLAGS } from './run-flags.js';

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

function spelling(flag: FlagSpec): string {
  const long = `--${flag.name}${flag.kind === 'value' ? ` ${flag.valueName ?? 'string'}` : ''}`;
  return flag.short ? `-${flag.short}, ${long}` : `    ${long}`;
}

/** `safedock run --help`: docker's flags by group, safedock's own first, then examples. */
export function renderRunHelp(): string {
  const lines = [
    'Usage:  safedock run [OPTIONS] IMAGE [COMMAND] [ARG...]',
    '',
    'Create and run a new container from an image, with a hardened preset merged under your flags.',
    "Every option is a docker run option (same spelling, same meaning) or one of safedock's own.",
  ];
  const all = [...OWN_FLAGS, ...RUN_FLAGS];
  const width = Math.max(...all.map((f) => spelling(f).length)) + 2;
  for (const [group, title] of GROUP_TITLES) {
    const flags = all.filter((f) => f.group === group && f.hidden !== true);
    if (flags.length === 0) continue;
    lines.push('', `${title}:`);
    for (const flag of flags) lines.push(`  ${spelling(flag).padEnd(width)}${flag.help}`);
  }
  lines.push(
    '',
    'Examples:',
    '  safedock run --rm -it safedock-demo sh              hardened by the strict preset',
    '  safedock run --rm --cap-add NET_BIND_SERVICE -p 127.0.0.1:80:80 web',
    '                                                      add one capability back, publish on loopback',
    '  safedock run --preset none --rm alpine true         exactly what docker run would do',
    '  safedock run --dry-run --json -e TOKEN=x app        the plan, env values masked; nothing runs',
    '',
  );
  return lines.join('\n');
}
