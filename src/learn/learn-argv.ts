/**
 * `safedock learn [run options] [--probe P] [--settle S] IMAGE [COMMAND...]`: run's grammar, plus
 * learn's two own options taken out before run's parser sees the rest. --name names the preset
 * (the trials' containers get names of their own). Pure.
 */
import { UsageError } from '../errors.js';
import { findLongFlag, findOwnFlag, findShortFlag } from '../docker-cli/run-flags.js';
import { parseRunArgv } from '../docker-cli/parse-argv.js';
import type { ParsedRun } from '../docker-cli/parsed-run.js';
import { PRESET_NAME } from '../presets/types.js';
import { parseProbe, type Probe } from './probe.js';

export interface LearnArgs {
  run: ParsedRun;
  probe: Probe | undefined;
  settleSeconds: number;
  /** --name: the preset's name. */
  name: string | undefined;
  /** The workload's docker options as arguments, without those that make no sense for a trial. */
  trialOptions: string[];
}

export const DEFAULT_SETTLE = 5;
const HELP_HINT = "See 'safedock learn --help'.";

/** docker options a trial sets itself or that would get in its way (it runs detached, published on its own port). */
export const NOT_FOR_TRIALS: ReadonlySet<string> = new Set([
  'name',
  'detach',
  'rm',
  'publish',
  'publish-all',
  'cidfile',
  'interactive',
  'tty',
  'attach',
  'sig-proxy',
  'detach-keys',
]);

const LEARN_OWN = ['probe', 'settle'] as const;

export function parseLearnArgv(argv: readonly string[]): LearnArgs {
  const rest: string[] = [];
  const own: Partial<Record<(typeof LEARN_OWN)[number], string>> = {};
  let i = 0;
  // Walk the options as run's parser would, to know where the image starts.
  while (i < argv.length) {
    const arg = argv[i] ?? '';
    if (arg === '--' || arg.length < 2 || !arg.startsWith('-')) break;
    i++;
    const long = /^--([^=]+)(=(.*))?$/s.exec(arg);
    if (long !== null) {
      const name = long[1] ?? '';
      const learnOwn = LEARN_OWN.find((n) => n === name);
      if (learnOwn !== undefined) {
        const value = long[2] === undefined ? argv[i++] : long[3];
        if (value === undefined) throw new UsageError(`flag needs an argument: --${name}`, HELP_HINT);
        own[learnOwn] = value;
        continue;
      }
      rest.push(arg);
      const flag = findLongFlag(name) ?? findOwnFlag(name);
      if (flag?.kind === 'value' && long[2] === undefined && i < argv.length) rest.push(argv[i++] ?? '');
      continue;
    }
    rest.push(arg);
    // A shorthand cluster takes the next word when its last letter wants a value and has none.
    const cluster = arg.slice(1);
    for (let k = 0; k < cluster.length; k++) {
      const flag = findShortFlag(cluster.charAt(k));
      if (flag?.kind !== 'value') continue;
      if (k === cluster.length - 1 && i < argv.length) rest.push(argv[i++] ?? '');
      break;
    }
  }
  rest.push(...argv.slice(i));
  const run = parseRunArgv(rest, { command: 'learn' });

  let probe: Probe | undefined;
  if (own.probe !== undefined) {
    const parsed = parseProbe(own.probe);
    if (typeof parsed === 'string') throw new UsageError(parsed, HELP_HINT);
    probe = parsed;
  }
  let settleSeconds = DEFAULT_SETTLE;
  if (own.settle !== undefined) {
    settleSeconds = Number(own.settle);
    if (!/^\d+(\.\d+)?$/.test(own.settle) || settleSeconds <= 0 || settleSeconds > 600)
      throw new UsageError(
        `--settle ${own.settle}: expected a number of seconds between 0 and 600, e.g. --settle 10`,
        HELP_HINT,
      );
  }
  const name = run.options.filter((o) => o.name === 'name').at(-1)?.value;
  if (name !== undefined && !PRESET_NAME.test(name))
    throw new UsageError(
      `--name ${name}: a preset name is lower-case letters, digits, ".", "_" or "-", starting with a letter or digit`,
      HELP_HINT,
    );
  const trialOptions = run.options.filter((o) => !NOT_FOR_TRIALS.has(o.name)).map((o) => `--${o.name}=${o.value}`);
  for (const secret of run.own.secret) trialOptions.push(`--secret=${secret}`);
  return { run, probe, settleSeconds, name, trialOptions };
}

/** The preset name an image suggests: its last path segment without tag or digest, made a valid name. */
export function presetNameForImage(image: string): string {
  const noDigest = image.split('@')[0] ?? image;
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const repo = colon > lastSlash ? noDigest.slice(0, colon) : noDigest;
  const base = repo
    .slice(lastSlash + 1)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '');
  return base === '' ? 'learnt' : base;
}
