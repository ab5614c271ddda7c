/**
 * `safedock export`'s own flags, taken among run's options (src/docker-cli/parse-argv.ts collects
 * them), and their values checked once.
 */
import type { FlagSpec } from '../docker-cli/run-flags.js';
import type { OptionValue } from '../docker-cli/parsed-run.js';
import { usageError } from '../grammar/usage-errors.js';
import { suggest } from '../grammar/suggest.js';
import { FORMATS, KINDS, SECCOMP_MODES, type ExportFormat, type K8sKind, type SeccompMode } from './export-context.js';

const row = (name: string, kind: 'bool' | 'value', help: string, extra: Partial<FlagSpec> = {}): FlagSpec => ({
  name,
  kind,
  arity: 'scalar',
  group: 'safedock',
  help,
  ...extra,
});

export const EXPORT_FLAGS: readonly FlagSpec[] = [
  row('format', 'value', `What to write: ${FORMATS.join(', ')}`, { valueName: 'format' }),
  row(
    'output',
    'value',
    'Write the document and the files it needs into this folder (default: the document to stdout)',
    {
      short: 'o',
      valueName: 'dir',
    },
  ),
  row('kind', 'value', 'With --format k8s: deployment (default) or pod', { valueName: 'kind' }),
  row(
    'seccomp',
    'value',
    `With --format k8s: how the Pod gets the seccomp profile: ${SECCOMP_MODES.join(', ')} (default localhost)`,
    {
      valueName: 'mode',
    },
  ),
  row('strict-export', 'bool', 'Fail when the target cannot carry a setting, instead of listing it'),
  row(
    'from-container',
    'value',
    'Start from a running container (its settings, the preset added under them) instead of IMAGE',
    {
      valueName: 'name',
    },
  ),
];

export interface ExportOptions {
  format: ExportFormat;
  output: string | undefined;
  kind: K8sKind;
  seccomp: SeccompMode;
  strict: boolean;
  fromContainer: string | undefined;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const near = suggest(value, allowed);
  throw usageError(
    `invalid argument "${value}" for "--${flag}" flag: expected one of ${allowed.join(', ')}`,
    `${near === undefined ? '' : `Did you mean --${flag} ${near}? `}See 'safedock export --help'.`,
  );
}

export function exportOptions(given: readonly OptionValue[]): ExportOptions {
  const last = (name: string): string | undefined => given.filter((o) => o.name === name).at(-1)?.value;
  const format = last('format');
  if (format === undefined) {
    throw usageError(
      'safedock export needs --format',
      `Give --format ${FORMATS.join('|')}. See 'safedock export --help'.`,
    );
  }
  const options: ExportOptions = {
    format: oneOf('format', format, FORMATS),
    output: last('output'),
    kind: oneOf('kind', last('kind') ?? 'deployment', KINDS),
    seccomp: oneOf('seccomp', last('seccomp') ?? 'localhost', SECCOMP_MODES),
    strict: last('strict-export') === 'true',
    fromContainer: last('from-container'),
  };
  if (options.format !== 'k8s' && (last('kind') !== undefined || last('seccomp') !== undefined)) {
    throw usageError(
      '--kind and --seccomp apply to --format k8s only',
      "Leave them out, or use --format k8s. See 'safedock export --help'.",
    );
  }
  if (options.output === '') throw usageError('--output needs a folder', "Give -o DIR. See 'safedock export --help'.");
  return options;
}
