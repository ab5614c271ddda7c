import { redactValue } from '../grammar/env.js';
import type { OptionValue, OwnOptions, ParsedRun } from './parsed-run.js';
import {
  DOCKER_ONLY_FLAGS,
  OWN_FLAGS,
  RUN_FLAGS,
  findLongFlag,
  findOwnFlag,
  findShortFlag,
  flagDisplayName,
  type FlagRow,
  type FlagSpec,
  type OwnFlagRow,
} from './run-flags.js';

type ExtraRow = FlagSpec & { extra: true };
import { parseBool } from '../grammar/parse-bool.js';
import { suggest } from '../grammar/suggest.js';
import { goQuote } from '../grammar/go-quote.js';
import { RUN_HELP_HINT, commandUsage, invalidArgument, usageError, usageErrorExit1 } from '../grammar/usage-errors.js';

const LONG_NAMES: readonly string[] = [
  ...RUN_FLAGS.flatMap((f) => [f.name, ...(f.aliases ?? [])]),
  ...OWN_FLAGS.map((f) => f.name),
];

/** Go's %q for one byte-sized character, as pflag prints the shorthand in its errors. */
function quoteChar(c: string): string {
  return c === "'" ? "'\\''" : c === '\\' ? "'\\\\'" : `'${c}'`;
}

function unknownFlagHint(name: string): string {
  if (DOCKER_ONLY_FLAGS.includes(name)) {
    return `docker run accepts --${name}, but safedock does not convert it yet; leave it out or use docker run directly. ${RUN_HELP_HINT}`;
  }
  const near = suggest(name, LONG_NAMES);
  return near === undefined ? RUN_HELP_HINT : `Did you mean --${near}? ${RUN_HELP_HINT}`;
}

function unknownShortHint(letter: string, cluster: string): string {
  // `-rm`, `-name x`, `-net=host`: a long flag written with one dash.
  const asLong = cluster.split('=')[0] ?? '';
  if (asLong.length > 1 && LONG_NAMES.includes(asLong)) return `Did you mean --${asLong}? ${RUN_HELP_HINT}`;
  if (DOCKER_ONLY_FLAGS.includes(`-${letter}`)) {
    return `docker run accepts -${letter}, but safedock does not convert it yet; leave it out or use docker run directly. ${RUN_HELP_HINT}`;
  }
  return RUN_HELP_HINT;
}

/** What a command that takes run's options adds to them (`safedock export`). */
export interface ParseOptions {
  /** The command's own flags, collected in `ParsedRun.extra`; none of them is a run flag. */
  extra?: readonly FlagSpec[];
  /** The image may be left out (export --from-container names a container instead). */
  imageOptional?: boolean;
  /** The command whose arguments these are (explain and learn take run's): errors name it. Default run. */
  command?: string;
}

/**
 * Parse `safedock run` arguments the way docker run does (pflag, interspersed arguments off):
 * options end at the first positional (the image) or at `--`; everything after the image is the
 * container command, verbatim.
 */
export function parseRunArgv(argv: readonly string[], parse: ParseOptions = {}): ParsedRun {
  const extraRows = parse.extra ?? [];
  const extra: OptionValue[] = [];
  const extraLong = (name: string): ExtraRow | undefined => {
    const row = extraRows.find((f) => f.name === name);
    return row === undefined ? undefined : { ...row, extra: true };
  };
  const extraShort = (letter: string): ExtraRow | undefined => {
    const row = extraRows.find((f) => f.short === letter);
    return row === undefined ? undefined : { ...row, extra: true };
  };
  const options: OptionValue[] = [];
  const own: OwnOptions = {
    dryRun: false,
    json: false,
    verbose: false,
    help: false,
    accept: [],
    reason: [],
    yes: false,
    pick: false,
    secret: [],
  };

  const record = (flag: FlagRow | OwnFlagRow | ExtraRow, value: string, display: string): void => {
    let stored = value;
    if (flag.kind === 'bool') {
      const parsed = parseBool(value);
      if (parsed === undefined) {
        throw invalidArgument(value, display, `strconv.ParseBool: parsing ${goQuote(value)}: invalid syntax`);
      }
      stored = parsed ? 'true' : 'false';
    }
    if ('extra' in flag) extra.push({ name: flag.name, value: stored });
    else if ('own' in flag) flag.own(own, stored);
    else options.push({ name: flag.name, value: stored });
  };

  let i = 0;
  while (i < argv.length) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      i++;
      break;
    }
    if (arg.length < 2 || !arg.startsWith('-')) break;
    i++;

    if (arg.startsWith('--')) {
      const body = arg.slice(2);
      if (body.startsWith('-') || body.startsWith('=')) {
        throw usageError(`bad flag syntax: ${arg}`);
      }
      const eq = body.indexOf('=');
      const name = eq < 0 ? body : body.slice(0, eq);
      const flag = findLongFlag(name) ?? findOwnFlag(name) ?? extraLong(name);
      if (flag === undefined) throw usageError(`unknown flag: --${name}`, unknownFlagHint(name));
      let value: string;
      if (eq >= 0) value = body.slice(eq + 1);
      else if (flag.kind === 'bool') value = 'true';
      else if (i < argv.length) value = argv[i++] ?? '';
      else
        throw usageError(`flag needs an argument: ${arg}`, `Give --${name} a value: --${name} VALUE. ${RUN_HELP_HINT}`);
      record(flag, value, flagDisplayName(flag.group === 'safedock' ? { name: flag.name } : flag));
      continue;
    }

    // A cluster of shorthands: -dit, -p8080:80, -e=X=1, -dp 80:80.
    let rest = arg.slice(1);
    while (rest.length > 0) {
      const c = rest.charAt(0);
      const flag = findShortFlag(c) ?? extraShort(c);
      if (flag === undefined) {
        // The rest of the cluster may hold a value (-xeDB_PASSWORD=…): shown up to its `=` only.
        throw usageError(
          `unknown shorthand flag: ${quoteChar(c)} in -${redactValue(rest)}`,
          unknownShortHint(c, arg.slice(1)),
        );
      }
      let value: string;
      if (rest.length > 2 && rest.charAt(1) === '=') {
        value = rest.slice(2);
        rest = '';
      } else if (flag.kind === 'bool') {
        value = 'true';
        rest = rest.slice(1);
      } else if (rest.length > 1) {
        value = rest.slice(1);
        rest = '';
      } else if (i < argv.length) {
        value = argv[i++] ?? '';
        rest = '';
      } else {
        throw usageError(
          `flag needs an argument: ${quoteChar(c)} in -${rest}`,
          `Give -${c} a value: -${c} VALUE. ${RUN_HELP_HINT}`,
        );
      }
      record(flag, value, flagDisplayName(flag));
    }
  }

  const positionals = argv.slice(i);
  const image = positionals[0];
  if (image === undefined && !own.help && parse.imageOptional !== true) {
    // docker's words, naming the command typed: `safedock explain` alone is not a run.
    const command = parse.command ?? 'run';
    throw usageErrorExit1(
      `'safedock ${command}' requires at least 1 argument`,
      `${commandUsage(command)}\nName the image, e.g. safedock ${command} alpine echo hi. See 'safedock ${command} --help'.`,
    );
  }
  return { options, own, image, command: positionals.slice(1), ...(extraRows.length > 0 ? { extra } : {}) };
}
