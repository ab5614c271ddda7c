import { parseBool } from '../grammar/parse-bool.js';
import { SafedockError } from '../errors.js';

/**
 * docker's global options, given before the command (`safedock --context NAME run …`). Each
 * field is undefined when the option was not given, so that the environment's value applies.
 */
export interface EngineGlobals {
  context?: string;
  /** -H/--host, each as given: docker takes one and refuses more ("Specify only one -H"). */
  hosts?: string[];
  tls?: boolean;
  tlsVerify?: boolean;
  tlsCaCert?: string;
  tlsCert?: string;
  tlsKey?: string;
  /** --config: the folder of config.json and the context store. */
  config?: string;
  debug?: boolean;
  logLevel?: LogLevel;
}

/** logrus's level names, as docker's --log-level accepts them (any case). */
export const LOG_LEVELS = ['panic', 'fatal', 'error', 'warn', 'warning', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

interface OptionRow {
  long: string;
  short?: string;
  /** docker's own help for it, as completion shows it. */
  help: string;
  /** A boolean takes no separate value (only `--tls=false`); the others take the next word. */
  kind: 'bool' | 'string';
  set: (globals: EngineGlobals, value: string | boolean) => void;
}

/** One row per option: its spellings, whether it takes a value, and where the value goes. */
const OPTIONS: readonly OptionRow[] = [
  {
    long: 'context',
    short: 'c',
    help: 'Name of the context to use to connect to the daemon',
    kind: 'string',
    set: (g, v) => (g.context = String(v)),
  },
  {
    long: 'host',
    short: 'H',
    help: 'Daemon socket to connect to',
    kind: 'string',
    set: (g, v) => (g.hosts = [...(g.hosts ?? []), String(v)]),
  },
  { long: 'tls', help: 'Use TLS; implied by --tlsverify', kind: 'bool', set: (g, v) => (g.tls = v === true) },
  { long: 'tlsverify', help: 'Use TLS and verify the remote', kind: 'bool', set: (g, v) => (g.tlsVerify = v === true) },
  {
    long: 'tlscacert',
    help: 'Trust certs signed only by this CA',
    kind: 'string',
    set: (g, v) => (g.tlsCaCert = String(v)),
  },
  { long: 'tlscert', help: 'Path to TLS certificate file', kind: 'string', set: (g, v) => (g.tlsCert = String(v)) },
  { long: 'tlskey', help: 'Path to TLS key file', kind: 'string', set: (g, v) => (g.tlsKey = String(v)) },
  { long: 'config', help: 'Location of client config files', kind: 'string', set: (g, v) => (g.config = String(v)) },
  { long: 'debug', short: 'D', help: 'Enable debug mode', kind: 'bool', set: (g, v) => (g.debug = v === true) },
  {
    long: 'log-level',
    short: 'l',
    help: 'Set the logging level',
    kind: 'string',
    set: (g, v) => {
      const level = String(v).toLowerCase();
      const known = LOG_LEVELS.find((l) => l === level);
      // docker's own words and exit code for a level logrus cannot parse.
      if (known === undefined)
        throw new SafedockError(`Unable to parse logging level: ${String(v)}`, { code: 'usage', exitCode: 1 });
      g.logLevel = known;
    },
  },
];

/** The global options as completion and the unknown-flag check see them: spellings, and whether a value follows. */
export const GLOBAL_OPTIONS: readonly { long: string; short?: string; help: string; takesValue: boolean }[] =
  OPTIONS.map((o) => ({
    long: o.long,
    ...(o.short === undefined ? {} : { short: o.short }),
    help: o.help,
    takesValue: o.kind === 'string',
  }));

/** The command line split into docker's global options and everything from the command on. */
export interface GlobalSplit {
  globals: EngineGlobals;
  rest: string[];
}

/**
 * Reads docker's global options from the front of the command line, as pflag does: `--name value`,
 * `--name=value`, `-H value`, `-Hvalue`, `-H=value` and grouped short flags (`-DH unix:///x`).
 * Stops at the first word that is not one of them (the command, or an option safedock's command
 * layer handles such as --help or --version), leaving it and everything after it untouched.
 */
export function parseGlobalOptions(argv: readonly string[]): GlobalSplit {
  const globals: EngineGlobals = {};
  let i = 0;
  while (i < argv.length) {
    const word = argv[i] ?? '';
    if (word.startsWith('--') && word.length > 2) {
      const eq = word.indexOf('=');
      const name = eq < 0 ? word.slice(2) : word.slice(2, eq);
      const row = OPTIONS.find((o) => o.long === name);
      if (row === undefined) break;
      if (row.kind === 'bool') {
        row.set(globals, eq < 0 ? true : boolValue(word.slice(eq + 1), `--${name}`));
        i++;
      } else if (eq >= 0) {
        row.set(globals, word.slice(eq + 1));
        i++;
      } else {
        const value = argv[i + 1];
        if (value === undefined) throw usage(`flag needs an argument: --${name}`);
        row.set(globals, value);
        i += 2;
      }
      continue;
    }
    if (word.startsWith('-') && word.length > 1 && !word.startsWith('--')) {
      const consumed = shortGroup(argv, i, globals);
      if (consumed === 0) break;
      i += consumed;
      continue;
    }
    break;
  }
  return { globals, rest: argv.slice(i) };
}

/** Where the global options end in words typed so far, for completion (which must never fail). */
export interface GlobalWords {
  /** How many leading words are global options and their values. */
  count: number;
  /** The word being typed is the value of this global option (`safedock --context <TAB>`). */
  pendingValue?: string;
}

/**
 * The leading words that parseGlobalOptions would take, read by the same grammar but never
 * throwing: a bad value is skipped as a value, and a value-taking option at the end leaves its
 * value pending (the word being typed).
 */
export function globalWords(words: readonly string[]): GlobalWords {
  let i = 0;
  while (i < words.length) {
    const word = words[i] ?? '';
    const takes = valueOptionAt(word);
    if (takes === false) break;
    if (takes === true) i++;
    else if (i + 1 < words.length) i += 2;
    else return { count: words.length, pendingValue: takes };
  }
  return { count: i };
}

/**
 * What one word is for the global options: false when it is not one of them, true when it is
 * complete in itself, or the option's long name when its value is the next word.
 */
function valueOptionAt(word: string): boolean | string {
  if (word.startsWith('--') && word.length > 2) {
    const eq = word.indexOf('=');
    const row = OPTIONS.find((o) => o.long === (eq < 0 ? word.slice(2) : word.slice(2, eq)));
    if (row === undefined) return false;
    return row.kind === 'string' && eq < 0 ? row.long : true;
  }
  if (!word.startsWith('-') || word.length < 2) return false;
  const letters = word.slice(1);
  for (let k = 0; k < letters.length; k++) {
    const row = OPTIONS.find((o) => o.short === letters.charAt(k));
    if (row === undefined) return false;
    if (row.kind === 'bool' && letters.charAt(k + 1) === '=') return true; // -D=false
    // A value-taking letter takes the rest of the group as its value, or the next word.
    if (row.kind === 'string') return k === letters.length - 1 ? row.long : true;
  }
  return true;
}

/**
 * A group of short flags (`-D`, `-Hunix:///x`, `-DH unix:///x`, `-l=debug`). Returns how many
 * words it used, or 0 when the group holds a letter that is not a global option (the word then
 * belongs to the command layer, e.g. -v or -h).
 */
function shortGroup(argv: readonly string[], at: number, globals: EngineGlobals): number {
  const word = argv[at] ?? '';
  const letters = word.slice(1);
  // Check the whole group first, so that nothing is set from a group the command layer owns.
  for (const letter of letters) {
    const row = OPTIONS.find((o) => o.short === letter);
    if (row === undefined) return 0;
    if (row.kind === 'string') break;
  }
  for (let k = 0; k < letters.length; k++) {
    const letter = letters.charAt(k);
    const row = OPTIONS.find((o) => o.short === letter);
    if (row === undefined) return 0;
    const tail = letters.slice(k + 1);
    if (row.kind === 'bool') {
      if (tail.startsWith('=')) {
        row.set(globals, boolValue(tail.slice(1), `-${letter}`));
        return 1;
      }
      row.set(globals, true);
      continue;
    }
    if (tail !== '') {
      row.set(globals, tail.startsWith('=') ? tail.slice(1) : tail);
      return 1;
    }
    const value = argv[at + 1];
    if (value === undefined) throw usage(`flag needs an argument: '${letter}' in -${letter}`);
    row.set(globals, value);
    return 2;
  }
  return 1;
}

function boolValue(text: string, flag: string): boolean {
  const value = parseBool(text);
  if (value === undefined) {
    throw usage(`invalid argument "${text}" for "${flag}" flag: strconv.ParseBool: parsing "${text}": invalid syntax`);
  }
  return value;
}

/** A mistake in the global options: docker prints it with its usage line and exits 125. */
function usage(message: string): SafedockError {
  return new SafedockError(message, {
    code: 'usage',
    hint: "\nUsage:  safedock [OPTIONS] COMMAND [ARG...]\n\nRun 'safedock --help' for more information",
  });
}

/** docker's "Failed to initialize" class: the options parse but name no usable engine; exit 1. */
export function initError(message: string, hint?: string): SafedockError {
  return new SafedockError(`Failed to initialize: unable to resolve docker endpoint: ${message}`, {
    code: 'engine-endpoint',
    exitCode: 1,
    ...(hint === undefined ? {} : { hint }),
  });
}

/** Whether the options ask for docker's debug output (-D, or --log-level debug/trace). */
export function wantsDebug(globals: EngineGlobals): boolean {
  return globals.debug === true || globals.logLevel === 'debug' || globals.logLevel === 'trace';
}

/**
 * The global options on this process's command line. bin/run.js has already parsed them (and
 * stopped on any mistake) before it started the command; this reads them again for the command.
 */
export function processGlobals(argv: readonly string[] = process.argv.slice(2)): EngineGlobals {
  return parseGlobalOptions(argv).globals;
}
