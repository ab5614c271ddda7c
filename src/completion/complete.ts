import { GLOBAL_OPTIONS, globalWords } from '../engine/global-options.js';
import type { CompletionSpec, SpecCommand, SpecFlag } from './spec.js';
import { GLOBAL_OPTION_VALUES, type ValueKind } from './values.js';

export interface Candidate {
  value: string;
  description?: string;
}

/** What the shell offers: these words, and/or names of files or folders the shell lists itself. */
export interface Completion {
  candidates: Candidate[];
  /** Let the shell complete file (or folder) names too. */
  names?: 'files' | 'dirs';
}

/** Where the values that are not fixed come from. */
export interface ValueSources {
  /** Preset names visible from the folder the shell is in. */
  presets(): Promise<readonly string[]>;
  /** The services of the project config of that folder. */
  services(): Promise<readonly string[]>;
  rules: readonly { id: string; title: string }[];
}

/** Top-level words: safedock's own flags, then docker's global options (src/engine/global-options.ts). */
const GLOBAL_FLAGS: readonly Candidate[] = [
  { value: '--help', description: 'Show help' },
  { value: '--version', description: 'Print the version' },
  ...GLOBAL_OPTIONS.map((o) => ({ value: `--${o.long}`, description: o.help })),
];

const NOTHING: Completion = { candidates: [] };

const startsWith =
  (prefix: string) =>
  (c: Candidate): boolean =>
    c.value.startsWith(prefix);

async function values(kind: ValueKind, cur: string, sources: ValueSources, prefix = ''): Promise<Completion> {
  const offer = (list: Candidate[]): Completion => ({
    candidates: list.map((c) => ({ ...c, value: `${prefix}${c.value}` })).filter(startsWith(`${prefix}${cur}`)),
  });
  switch (kind.kind) {
    case 'words':
      return offer(kind.words.map((value) => ({ value })));
    case 'presets':
      return offer((await sources.presets()).map((value) => ({ value })));
    case 'services':
      return offer((await sources.services()).map((value) => ({ value })));
    case 'rules':
      // Rule ids are upper case; sd1 completes as SD1 would.
      return offer(
        sources.rules
          .filter((r) => r.id.startsWith(cur.toUpperCase()))
          .map((r) => ({ value: `${cur}${r.id.slice(cur.length)}`, description: r.title })),
      );
    case 'files':
    case 'dirs':
      return prefix === '' ? { candidates: [], names: kind.kind } : NOTHING;
    case 'none':
      return NOTHING;
  }
}

function flagCandidates(command: SpecCommand, cur: string): Candidate[] {
  const out: Candidate[] = [];
  for (const flag of command.flags) {
    for (const long of flag.long) out.push({ value: `--${long}`, description: flag.description });
    // Shorthands only once a lone dash asks for them: long names read better in a list.
    if (flag.short !== undefined && cur === '-') out.push({ value: `-${flag.short}`, description: flag.description });
  }
  return out.filter(startsWith(cur));
}

const findLong = (command: SpecCommand, name: string): SpecFlag | undefined =>
  command.flags.find((f) => f.long.includes(name));
const findShort = (command: SpecCommand, letter: string): SpecFlag | undefined =>
  command.flags.find((f) => f.short === letter);

/**
 * The flag whose value `word` leaves pending, if any: `--network` (no `=`), `-e`, or a cluster
 * such as `-ite` whose last letter takes a value.
 */
function pendingValueFlag(command: SpecCommand, word: string): SpecFlag | undefined {
  if (word.startsWith('--')) {
    if (word.includes('=')) return undefined;
    const flag = findLong(command, word.slice(2));
    return flag?.takesValue === true ? flag : undefined;
  }
  if (!word.startsWith('-') || word === '-') return undefined;
  for (let i = 1; i < word.length; i++) {
    const flag = findShort(command, word.charAt(i));
    if (flag === undefined) return undefined;
    // A value-taking letter takes the rest of the cluster as its value, or the next word.
    if (flag.takesValue) return i === word.length - 1 ? flag : undefined;
  }
  return undefined;
}

/**
 * The completions of `cur`, the word being typed, after `typed` (those typed before it, after
 * `safedock`): commands and topics, then the command's flags, a flag's values (`--flag value`
 * and `--flag=value`), and its arguments. After run's image, the words are the container's
 * command: the shell's own file names.
 */
export async function complete(
  spec: CompletionSpec,
  typed: readonly string[],
  cur: string,
  sources: ValueSources,
): Promise<Completion> {
  // docker's global options come before the command (`safedock --context X run …`): skipped with
  // their values, or, when the word being typed is such a value, completed as one.
  const globals = globalWords(typed);
  if (globals.pendingValue !== undefined)
    return values(GLOBAL_OPTION_VALUES[globals.pendingValue] ?? { kind: 'none' }, cur, sources);
  const words = typed.slice(globals.count);
  // The command: the longest run of leading words that names a topic or a command.
  let depth = 0;
  let command: SpecCommand | undefined;
  for (;;) {
    const path = words.slice(0, depth + 1);
    if (path.length === depth) break;
    const isTopic = spec.topics.some((t) => t.words.join(' ') === path.join(' '));
    const found = spec.commands.find((c) => c.words.join(' ') === path.join(' '));
    if (!isTopic && found === undefined) break;
    depth++;
    command = found;
    if (found !== undefined && !isTopic) break;
  }
  if (command === undefined) {
    if (depth < words.length) return NOTHING;
    const level = words.slice(0, depth);
    if (depth === 0 && cur.startsWith('--') && cur.includes('=')) {
      const at = cur.indexOf('=');
      const kind = GLOBAL_OPTION_VALUES[cur.slice(2, at)] ?? { kind: 'none' };
      return values(kind, cur.slice(at + 1), sources, cur.slice(0, at + 1));
    }
    if (cur.startsWith('-')) return { candidates: depth === 0 ? GLOBAL_FLAGS.filter(startsWith(cur)) : [] };
    const children = new Map<string, string>();
    for (const c of [...spec.topics, ...spec.commands]) {
      if (c.words.length !== depth + 1 || !level.every((w, i) => c.words[i] === w)) continue;
      const word = c.words[depth] ?? '';
      if (!children.has(word)) children.set(word, c.summary);
    }
    return {
      candidates: [...children]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([value, description]) => ({ value, description }))
        .filter(startsWith(cur)),
    };
  }

  const rest = words.slice(depth);
  // `safedock help presets li`: the words after help complete as commands.
  if (command.words.join(' ') === 'help') return cur.startsWith('-') ? NOTHING : complete(spec, rest, cur, sources);
  let positionals = 0;
  let pending: SpecFlag | undefined;
  let optionsEnded = false;
  for (const word of rest) {
    if (pending !== undefined) {
      pending = undefined;
      continue;
    }
    if (!optionsEnded && word === '--') {
      optionsEnded = true;
      continue;
    }
    if (!optionsEnded && word.startsWith('-') && word !== '-') {
      pending = pendingValueFlag(command, word);
      continue;
    }
    positionals++;
    // docker's grammar: the first argument (the image) ends the options; the rest is the container's command.
    if (command.grammar === 'docker') return { candidates: [], names: 'files' };
  }
  if (pending !== undefined) return values(pending.values, cur, sources);
  if (!optionsEnded && cur.startsWith('--') && cur.includes('=')) {
    const at = cur.indexOf('=');
    const flag = findLong(command, cur.slice(2, at));
    if (flag === undefined || !flag.takesValue) return NOTHING;
    return values(flag.values, cur.slice(at + 1), sources, cur.slice(0, at + 1));
  }
  if (!optionsEnded && cur.startsWith('-')) return { candidates: flagCandidates(command, cur) };
  const arg = command.args[positionals];
  if (arg === undefined) return NOTHING;
  return values(arg.values, cur, sources);
}
