import { suggest } from '../grammar/suggest.js';
import { SafedockError, UsageError } from '../errors.js';
import { GLOBAL_OPTIONS } from '../engine/global-options.js';

/** The commands and topics a user can type, words separated by spaces: `presets list`, `presets`. */
export interface CommandTree {
  commands: readonly string[];
  topics: readonly string[];
}

/**
 * docker's own commands that safedock does not have: people who swap `docker` for `safedock`
 * type them, and docker itself works on the containers safedock started.
 */
const DOCKER_COMMANDS: readonly string[] = [
  'attach',
  'build',
  'commit',
  'compose',
  'container',
  'cp',
  'create',
  'exec',
  'image',
  'images',
  'inspect',
  'kill',
  'load',
  'login',
  'logs',
  'network',
  'pause',
  'port',
  'ps',
  'pull',
  'push',
  'restart',
  'rm',
  'rmi',
  'save',
  'start',
  'stats',
  'stop',
  'system',
  'tag',
  'top',
  'unpause',
  'update',
  'volume',
  'wait',
];

/**
 * The error for a command that does not exist, as docker words it (`unknown command: safedock
 * rnu`), with the closest command or topic (`Did you mean 'safedock presets list'?`, words
 * separated by spaces as they are typed). Its help points to the topic when the first words name
 * one, else to `safedock --help`.
 */
export function unknownCommand(words: readonly string[], tree: CommandTree): SafedockError {
  const typed = words.join(' ');
  let topic = '';
  for (let n = words.length - 1; n > 0; n--) {
    const prefix = words.slice(0, n).join(' ');
    if (tree.topics.includes(prefix)) {
      topic = prefix;
      break;
    }
  }
  const near = suggest(typed, [...tree.commands, ...tree.topics]);
  const first = words[0] ?? '';
  let hint: string | undefined;
  if (near !== undefined) hint = `Did you mean 'safedock ${near}'?`;
  else if (typed === 'version') hint = "safedock --version prints safedock's version; docker version the engine's.";
  else if (words.length === 1 && DOCKER_COMMANDS.includes(first))
    hint = `safedock runs containers (safedock run); use docker ${first} for the rest, including the containers safedock started.`;
  return new SafedockError(`unknown command: safedock ${typed}`, {
    code: 'unknown-command',
    helpCommand: topic,
    ...(hint === undefined ? {} : { hint }),
  });
}

/** The options safedock's command layer reads before a command, besides docker's global ones. */
const TOP_LEVEL_FLAGS: readonly { long: string; short: string }[] = [
  { long: 'help', short: 'h' },
  { long: 'version', short: 'v' },
];

/**
 * A word before the command that is no option safedock knows (`safedock --bogus`): docker's
 * words and exit status (125), pointing to `safedock --help`; undefined for a known one. bin/run.js
 * has already taken docker's global options, so what is left here is --help, --version or a mistake.
 */
export function unknownGlobalFlag(word: string): UsageError | undefined {
  if (!word.startsWith('-') || word === '-' || word === '--') return undefined;
  const longs = [...TOP_LEVEL_FLAGS, ...GLOBAL_OPTIONS].map((o) => o.long);
  if (word.startsWith('--')) {
    const name = word.slice(2).split('=')[0] ?? '';
    if (longs.includes(name)) return undefined;
    const near = suggest(name, longs);
    return new UsageError(
      `unknown flag: --${name}`,
      `${near === undefined ? '' : `Did you mean --${near}? `}See 'safedock --help'.`,
    );
  }
  const shorts = [...TOP_LEVEL_FLAGS, ...GLOBAL_OPTIONS].flatMap((o) => (o.short === undefined ? [] : [o.short]));
  const letter = word
    .slice(1)
    .split('')
    .find((c) => !shorts.includes(c));
  if (letter === undefined) return undefined;
  return new UsageError(`unknown shorthand flag: '${letter}' in ${word}`, "See 'safedock --help'.");
}
