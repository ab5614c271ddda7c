import { OWN_FLAGS, RUN_FLAGS, type FlagSpec } from '../docker-cli/run-flags.js';
import { COMMAND_VALUES, RUN_FLAG_VALUES, type ValueKind } from './values.js';
import { EXPORT_FLAGS } from '../export/export-flags.js';
import { FORMATS, KINDS, SECCOMP_MODES } from '../export/export-context.js';

/** One flag as completion offers it. */
export interface SpecFlag {
  /** Long names without the dashes: the canonical one first, then docker's aliases. */
  long: readonly string[];
  short?: string | undefined;
  takesValue: boolean;
  values: ValueKind;
  description: string;
}

/** One command: the words that name it, what follows them and in which grammar. */
export interface SpecCommand {
  words: readonly string[];
  summary: string;
  /**
   * `docker`: options up to the first argument (the image), the rest is the container's command
   * (run, explain); `oclif`: options and arguments in any order.
   */
  grammar: 'docker' | 'oclif';
  flags: readonly SpecFlag[];
  /** Positional arguments, in order. */
  args: readonly { name: string; values: ValueKind }[];
}

export interface CompletionSpec {
  commands: readonly SpecCommand[];
  /** Words that group commands (`presets`), with what they hold. */
  topics: readonly { words: readonly string[]; summary: string }[];
}

/** What oclif knows of a command (its Command.Loadable), as far as completion needs it. */
export interface OclifCommandInfo {
  id: string;
  hidden?: boolean | undefined;
  summary?: string | undefined;
  description?: string | undefined;
  flags: Readonly<
    Record<
      string,
      {
        name: string;
        char?: string | undefined;
        type: string;
        options?: readonly string[] | undefined;
        hidden?: boolean | undefined;
        allowNo?: boolean | undefined;
        summary?: string | undefined;
        description?: string | undefined;
      }
    >
  >;
  args: Readonly<Record<string, { name: string; options?: readonly string[] | undefined; hidden?: boolean }>>;
}

const NONE: ValueKind = { kind: 'none' };

/**
 * The first sentence-ish line of a text, for a one-line description. oclif renders its help
 * texts as templates (help's own summary is "Display help for <%= config.bin %>."); completion
 * reads them raw, so the one template they use is rendered here.
 */
function oneLine(text: string | undefined): string {
  const line = (text ?? '').split('\n')[0]?.trim() ?? '';
  return line.replace(/<%=\s*config\.bin\s*%>/g, 'safedock');
}

/** A docker run flag (or one of safedock's own) as completion offers it. */
function runFlag(flag: FlagSpec): SpecFlag {
  return {
    long: [flag.name, ...(flag.aliases ?? [])],
    short: flag.short,
    takesValue: flag.kind === 'value',
    values: flag.kind === 'value' ? (RUN_FLAG_VALUES[flag.name] ?? NONE) : NONE,
    description: flag.help,
  };
}

/** run and explain take docker's flags, which oclif never sees (bin/run.js sends them straight on). */
export const RUN_SPEC_FLAGS: readonly SpecFlag[] = [
  ...[...OWN_FLAGS, ...RUN_FLAGS].filter((f) => f.hidden !== true).map(runFlag),
];

/** learn's own options, beside run's (src/learn/learn-argv.ts takes them out before run's parser). */
const LEARN_FLAGS: readonly SpecFlag[] = [
  {
    long: ['probe'],
    takesValue: true,
    values: { kind: 'words', words: ['tcp:', 'http:'] },
    description: "Works means: the container's PORT accepts a connection, or answers HTTP below 500",
  },
  { long: ['settle'], takesValue: true, values: NONE, description: 'How long each trial may take to work (default 5)' },
];

/** Commands that take docker run's grammar (bin/run.js sends them past oclif), with their flags. */
const DOCKER_GRAMMAR: ReadonlyMap<string, readonly SpecFlag[]> = new Map([
  ['run', RUN_SPEC_FLAGS],
  ['explain', RUN_SPEC_FLAGS],
  ['learn', [...RUN_SPEC_FLAGS, ...LEARN_FLAGS]],
  ['export', [...RUN_SPEC_FLAGS, ...EXPORT_FLAGS.map(exportFlag)]],
]);

/** export's own options, beside run's, with the values its checks take. */
function exportFlag(flag: FlagSpec): SpecFlag {
  const words: Partial<Record<string, readonly string[]>> = { format: FORMATS, kind: KINDS, seccomp: SECCOMP_MODES };
  const known = words[flag.name];
  return { ...runFlag(flag), ...(known === undefined ? {} : { values: { kind: 'words', words: [...known] } }) };
}

/** The completion spec of safedock's commands: oclif's list, with docker's flags for run and explain. */
export function buildSpec(commands: readonly OclifCommandInfo[]): CompletionSpec {
  const visible = commands.filter((c) => c.hidden !== true);
  const spec: SpecCommand[] = visible.map((c) => {
    const words = c.id.split(':');
    const summary = oneLine(c.summary ?? c.description);
    const dockerFlags = DOCKER_GRAMMAR.get(c.id);
    if (dockerFlags !== undefined)
      return { words, summary, grammar: 'docker', flags: dockerFlags, args: [{ name: 'image', values: NONE }] };
    const flags: SpecFlag[] = Object.values(c.flags)
      .filter((f) => f.hidden !== true)
      .map((f) => ({
        long: f.allowNo === true ? [f.name, `no-${f.name}`] : [f.name],
        short: f.char,
        takesValue: f.type === 'option',
        values:
          f.options !== undefined ? { kind: 'words', words: f.options } : (COMMAND_VALUES[`${c.id}:${f.name}`] ?? NONE),
        description: oneLine(f.summary ?? f.description),
      }));
    flags.push({ long: ['help'], takesValue: false, values: NONE, description: 'Show help for the command' });
    const args = Object.values(c.args)
      .filter((a) => a.hidden !== true)
      .map((a) => ({
        name: a.name,
        values:
          a.options !== undefined
            ? ({ kind: 'words', words: a.options } as const)
            : (COMMAND_VALUES[`${c.id}:${a.name}`] ?? NONE),
      }));
    return { words, summary, grammar: 'oclif', flags, args };
  });
  const topics = new Map<string, string[]>();
  for (const c of spec)
    for (let n = 1; n < c.words.length; n++) topics.set(c.words.slice(0, n).join(' '), [...c.words.slice(0, n)]);
  return {
    commands: spec,
    topics: [...topics.values()].map((words) => ({
      words,
      summary: `${words.join(' ')} commands: ${spec
        .filter((c) => c.words.length > words.length && words.every((w, i) => c.words[i] === w))
        .map((c) => c.words[words.length])
        .join(', ')}`,
    })),
  };
}
