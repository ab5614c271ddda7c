import { suggest } from '../grammar/suggest.js';
import { SafedockError } from '../errors.js';
import { unknownCommand, type CommandTree } from './unknown-command.js';

/** What an error message needs to know of the command that failed to parse its argv. */
export interface CommandShape {
  /** As typed: `presets list`. */
  command: string;
  flags: readonly { name: string; char?: string | undefined; type: string; options?: readonly string[] | undefined }[];
}

/** oclif ends a command with this error to set the exit status: not an error to report. */
export function oclifExitCode(err: unknown): number | undefined {
  if (!(err instanceof Error) || (err as { code?: unknown }).code !== 'EEXIT') return undefined;
  const exit = (err as { oclif?: { exit?: unknown } }).oclif?.exit;
  return typeof exit === 'number' ? exit : undefined;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * oclif's parse errors in safedock's (and docker's) words, with the closest flag suggested;
 * a command the help command cannot find is an unknown command (with `tree`, to suggest one);
 * any other oclif message becomes a usage error of the same text. Errors that are not oclif's
 * are returned as they are.
 */
export function fromOclifError(err: unknown, shape: CommandShape | undefined, tree?: CommandTree): unknown {
  if (err instanceof SafedockError || !(err instanceof Error) || !('oclif' in err)) return err;
  const full = shape === undefined ? 'safedock' : `safedock ${shape.command}`;
  const usage = (message: string, hint?: string): SafedockError =>
    new SafedockError(message, {
      code: 'usage',
      ...(hint === undefined ? {} : { hint }),
      ...(shape === undefined ? {} : { helpCommand: shape.command }),
    });
  const kind = err.constructor.name;
  if (kind === 'NonExistentFlagsError') {
    const given = (err as unknown as { flags: string[] }).flags[0] ?? '';
    return unknownFlag(given, shape, usage);
  }
  if (kind === 'UnexpectedArgsError') {
    const extra = (err as unknown as { args: unknown[] }).args.map(String);
    return usage(`"${full}" does not take ${extra.map((a) => `"${a}"`).join(', ')}: too many arguments`);
  }
  if (kind === 'RequiredArgsError') {
    const missing = (err as unknown as { args: { name?: string }[] }).args.map((a) => (a.name ?? 'ARG').toUpperCase());
    return usage(`"${full}" requires ${plural(missing.length, 'argument')}: ${missing.join(' ')}`);
  }
  const text = err.message.replace(/\nSee more help with --help$/, '');
  const invalid = /^Expected --([\w-]+)=(.*) to be one of: (.*)$/s.exec(text);
  if (invalid !== null) {
    const [, flag = '', value = '', list = ''] = invalid;
    const options = list.split(', ');
    const near = suggest(value, options);
    return usage(
      `invalid argument "${value}" for "--${flag}" flag: expected one of ${options.join(', ')}`,
      near === undefined ? undefined : `Did you mean --${flag} ${near}?`,
    );
  }
  // `safedock help nosuch` (the help command's own message).
  const notFound = /^Command (.+) not found\.?$/.exec(text);
  if (notFound !== null && tree !== undefined) return unknownCommand((notFound[1] ?? '').split(/[: ]/), tree);
  const expects = /^Flag --([\w-]+) expects a value$/.exec(text);
  if (expects !== null) return usage(`flag needs an argument: --${expects[1] ?? ''}`);
  return usage(text.split('\n')[0] ?? text);
}

function unknownFlag(
  given: string,
  shape: CommandShape | undefined,
  usage: (message: string, hint?: string) => SafedockError,
): SafedockError {
  const flags = shape?.flags ?? [];
  if (/^-[^-]/.test(given)) {
    const letter = given.slice(1, 2);
    const long = given.slice(1).split('=')[0] ?? '';
    const asLong = flags.find((f) => f.name === long);
    return usage(
      `unknown shorthand flag: '${letter}' in ${given}`,
      asLong === undefined ? undefined : `Did you mean --${asLong.name}?`,
    );
  }
  const name = given.replace(/^--/, '').split('=')[0] ?? '';
  const near = suggest(name, [...flags.map((f) => f.name), 'help']);
  return usage(`unknown flag: --${name}`, near === undefined ? undefined : `Did you mean --${near}?`);
}
