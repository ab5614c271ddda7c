/**
 * `safedock export --help` and `safedock help export`: one text, laid out as run's help is (the
 * export bundle answers the first, the command tree the second; both call this).
 */
import { flagLines, spelling } from '../docker-cli/run-help.js';
import { hangingWrap, wrapCommand, wrapWords } from '../text/wrap.js';
import { EXPORT_FLAGS } from './export-flags.js';

const USAGE = [
  'safedock export --format compose|swarm|k8s|args [-o DIR] [OPTIONS] IMAGE [COMMAND] [ARG...]',
  'safedock export --format FORMAT --from-container NAME [-o DIR] [OPTIONS]',
];

const FORMATS: ReadonlyArray<[string, string]> = [
  ['compose', 'compose.yaml with one service, and the seccomp profile beside it'],
  ['swarm', 'stack.yaml for docker stack deploy (limits under deploy.resources)'],
  ['k8s', 'a Deployment (or Pod) with the restricted Pod Security securityContext'],
  ['args', 'the docker run command line (with -o, run.sh beside the profile)'],
];

const EXAMPLES: ReadonlyArray<[string, string]> = [
  ['Compose, the profile beside it:', 'safedock export --format compose -o deploy -p 8080:80 nginx'],
  [
    'A Pod with the runtime default profile:',
    'safedock export --format k8s --kind pod --seccomp runtime-default myimage',
  ],
  ['A running container, hardened:', 'safedock export --format args --from-container web'],
];

/** A usage line, its continuations two columns further in than the next usage line starts. */
function usageLines(first: string, usage: string, columns: number): string[] {
  const [head = '', ...rest] = wrapWords(usage, Math.max(columns - first.length - 2, 10));
  return [`${first}${head}`, ...rest.map((l) => `${' '.repeat(first.length + 2)}${l}`)];
}

export function renderExportHelp(columns = 80): string {
  const lines = [
    ...USAGE.flatMap((usage, i) => usageLines(i === 0 ? 'Usage:  ' : '        ', usage, columns)),
    '',
    ...wrapWords(
      'Writes the plan `safedock run` would run (the preset, image tailoring, your flags) for another target, ' +
        'and says which settings the target cannot carry. The policy judges the plan as run does: findings are ' +
        'reported, and high ones are refused in scripts unless accepted with --accept.',
      columns,
    ),
    '',
    ...FORMATS.flatMap(([name, what]) => hangingWrap(`  ${name.padEnd(9)}`, what, columns)),
    '',
    'Export options:',
  ];
  const column = Math.max(...EXPORT_FLAGS.map((f) => spelling(f).length)) + 4;
  for (const flag of EXPORT_FLAGS) lines.push(...flagLines(flag, column, columns));
  lines.push(
    '',
    ...wrapWords(
      "Takes the options of `safedock run --help` (--preset, --accept, --reason, --policy and docker's flags); " +
        "-q and SAFEDOCK_QUIET=1 silence safedock's notes. Without -o, the document goes to stdout and a " +
        'profile it needs is named on stderr.',
      columns,
    ),
    '',
    'Examples:',
  );
  for (const [what, command] of EXAMPLES)
    lines.push(...hangingWrap('  ', what, columns), ...wrapCommand('    ', command, columns));
  lines.push('');
  return lines.join('\n');
}
