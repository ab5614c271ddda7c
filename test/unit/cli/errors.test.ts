import { Errors } from '@oclif/core';
import { describe, expect, it } from 'vitest';
import { commandTree } from '../../../src/cli/command-tree.js';
import { fromOclifError, oclifExitCode } from '../../../src/cli/oclif-errors.js';
import { unknownCommand, unknownGlobalFlag } from '../../../src/cli/unknown-command.js';
import { editDistance, suggest } from '../../../src/grammar/suggest.js';
import { ERROR_KINDS, SafedockError, UsageError, formatError } from '../../../src/errors.js';
import { checkRuleId } from '../../../src/policy/accept.js';
import { closestPreset } from '../../../src/presets/catalog.js';

const TREE = commandTree([
  { id: 'run' },
  { id: 'explain' },
  { id: 'init' },
  { id: 'rules' },
  { id: 'completion' },
  { id: 'presets:list' },
  { id: 'presets:show' },
  { id: 'seccomp:check' },
  { id: 'internal:thing', hidden: true },
]);

const text = (err: unknown, command = ''): string => formatError(err, { command }).text;

describe('the one error formatter', () => {
  it('prints safedock: MESSAGE, the hint, and for usage errors the help of the command', () => {
    const out = formatError(new UsageError('unknown flag: --jsn', 'Did you mean --json?'), { command: 'rules' });
    expect(out).toEqual({
      text: "safedock: unknown flag: --jsn\nDid you mean --json?\n\nRun 'safedock rules --help' for more information\n",
      exitCode: 125,
    });
  });

  it('leaves the help line out when the hint already names a --help', () => {
    expect(text(new UsageError('unknown flag: --x', "See 'safedock run --help'."), 'explain')).toBe(
      "safedock: unknown flag: --x\nSee 'safedock explain --help'.\n",
    );
  });

  it('has no help line for errors the help does not explain', () => {
    const err = new SafedockError('cannot connect', { code: 'engine-unreachable', hint: 'Start the engine.' });
    expect(text(err, 'run')).toBe('safedock: cannot connect\nStart the engine.\n');
  });

  it('takes the exit status from the kind of error unless the error names one', () => {
    expect(formatError(new SafedockError('x', { code: 'unknown-command' }), { command: '' }).exitCode).toBe(1);
    expect(formatError(new SafedockError('x', { code: 'cancelled' }), { command: '' }).exitCode).toBe(130);
    expect(formatError(new SafedockError('x', { code: 'start', exitCode: 127 }), { command: '' }).exitCode).toBe(127);
    for (const kind of Object.values(ERROR_KINDS)) expect([1, 125, 130]).toContain(kind.exitCode);
  });

  it("reports safedock's own faults without a stack trace, unless SAFEDOCK_DEBUG asks for it", () => {
    const err = new TypeError('x is undefined');
    const plain = formatError(err, { command: 'run' });
    expect(plain.text).toBe(
      'safedock: internal error: x is undefined\nPlease report this with the command line that caused it (SAFEDOCK_DEBUG=1 shows where it happened).\n',
    );
    expect(plain.exitCode).toBe(125);
    const debug = formatError(err, { command: 'run', debug: true }).text;
    expect(debug).toContain('TypeError: x is undefined\n    at ');
  });
});

describe('unknown commands', () => {
  it.each([
    [['rnu'], "Did you mean 'safedock run'?", 'safedock --help'],
    [['explian'], "Did you mean 'safedock explain'?", 'safedock --help'],
    [['presets', 'lst'], "Did you mean 'safedock presets list'?", 'safedock presets --help'],
    [['presets', 'shwo'], "Did you mean 'safedock presets show'?", 'safedock presets --help'],
    [['preset', 'list'], "Did you mean 'safedock presets list'?", 'safedock --help'],
    [['seccomp', 'chek'], "Did you mean 'safedock seccomp check'?", 'safedock seccomp --help'],
    [['ruls'], "Did you mean 'safedock rules'?", 'safedock --help'],
  ])('%j: %s', (words, hint, help) => {
    const err = unknownCommand(words, TREE);
    expect(err.code).toBe('unknown-command');
    expect(text(err)).toBe(
      `safedock: unknown command: safedock ${words.join(' ')}\n${hint}\n\nRun '${help}' for more information\n`,
    );
  });

  it('never suggests a hidden command', () => {
    expect(TREE.commands).not.toContain('internal thing');
    expect(unknownCommand(['internal', 'thing'], TREE).hint).toBeUndefined();
  });

  it("points docker's own commands to docker", () => {
    expect(unknownCommand(['ps'], TREE).hint).toBe(
      'safedock runs containers (safedock run); use docker ps for the rest, including the containers safedock started.',
    );
    expect(unknownCommand(['frobnicate'], TREE).hint).toBeUndefined();
  });
});

/** An oclif parse error as oclif's parser raises it (the class name is what tells them apart). */
function oclifError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  const err = new Errors.CLIError(message, { exit: 2 });
  Object.defineProperty(err, 'constructor', { value: { name } });
  return Object.assign(err, extra);
}

describe("oclif's parse errors in safedock's words", () => {
  const shape = {
    command: 'presets show',
    flags: [
      { name: 'format', type: 'option', options: ['yaml', 'json', 'args'] },
      { name: 'json', type: 'boolean' },
    ],
  };

  it('an unknown flag, with the closest one', () => {
    const err = fromOclifError(oclifError('NonExistentFlagsError', 'x', { flags: ['--fromat'] }), shape);
    expect(text(err)).toBe(
      "safedock: unknown flag: --fromat\nDid you mean --format?\n\nRun 'safedock presets show --help' for more information\n",
    );
  });

  it('an unknown shorthand', () => {
    const err = fromOclifError(oclifError('NonExistentFlagsError', 'x', { flags: ['-q'] }), shape);
    expect((err as SafedockError).message).toBe("unknown shorthand flag: 'q' in -q");
  });

  it('a value not among the options', () => {
    const err = fromOclifError(
      oclifError(
        'FlagInvalidOptionError',
        'Expected --format=yml to be one of: yaml, json, args\nSee more help with --help',
      ),
      shape,
    );
    expect(text(err)).toBe(
      'safedock: invalid argument "yml" for "--format" flag: expected one of yaml, json, args\nDid you mean --format yaml?\n\n' +
        "Run 'safedock presets show --help' for more information\n",
    );
  });

  it('missing and extra arguments', () => {
    const missing = fromOclifError(oclifError('RequiredArgsError', 'x', { args: [{ name: 'file' }] }), {
      command: 'seccomp check',
      flags: [],
    });
    expect((missing as SafedockError).message).toBe('"safedock seccomp check" requires 1 argument: FILE');
    const extra = fromOclifError(oclifError('UnexpectedArgsError', 'x', { args: ['b'] }), shape);
    expect((extra as SafedockError).message).toBe('"safedock presets show" does not take "b": too many arguments');
  });

  it("the help command's not found becomes an unknown command", () => {
    const err = fromOclifError(new Errors.CLIError('Command presets:lsit not found.'), undefined, TREE);
    expect((err as SafedockError).code).toBe('unknown-command');
    expect((err as SafedockError).hint).toBe("Did you mean 'safedock presets list'?");
  });

  it('passes our own errors and exits through untouched', () => {
    const ours = new UsageError('x');
    expect(fromOclifError(ours, shape)).toBe(ours);
    const plain = new Error('boom');
    expect(fromOclifError(plain, shape)).toBe(plain);
    expect(oclifExitCode(new Errors.ExitError(3))).toBe(3);
    expect(oclifExitCode(plain)).toBeUndefined();
  });
});

describe('did you mean', () => {
  it('counts a swap of two letters as one edit', () => {
    expect(editDistance('rnu', 'run')).toBe(1);
    expect(editDistance('strcit', 'strict')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('ignores letter case on both sides', () => {
    expect(suggest('sd118', ['SD101', 'SD118'])).toBe('SD118');
    expect(suggest('STRICT', ['strict'])).toBe('strict');
  });

  it('preset names', () => {
    const names = ['compat', 'none', 'sandbox', 'strict'];
    expect(closestPreset('strcit', names)).toBe('strict');
    expect(closestPreset('sandbx', names)).toBe('sandbox');
    expect(closestPreset('nginx', names)).toBeUndefined();
  });

  it('rule ids, with or without their form', () => {
    expect(checkRuleId('SD999')).toEqual({
      problem: 'there is no rule SD999; the rules are SD101 to SD308',
      hint: 'safedock rules lists every rule.',
    });
    expect(checkRuleId('SD1188')?.hint).toBe('Did you mean SD118? safedock rules lists every rule.');
    expect(checkRuleId('sd118')?.hint).toBe('Did you mean SD118? safedock rules lists every rule.');
    expect(checkRuleId('SD118')).toBeUndefined();
  });
});

describe('an option before the command that nobody knows', () => {
  it.each([
    ['--bogus', "safedock: unknown flag: --bogus\nSee 'safedock --help'.\n"],
    ['--bogus=1', "safedock: unknown flag: --bogus\nSee 'safedock --help'.\n"],
    ['--contxt', "safedock: unknown flag: --contxt\nDid you mean --context? See 'safedock --help'.\n"],
    ['-z', "safedock: unknown shorthand flag: 'z' in -z\nSee 'safedock --help'.\n"],
    ['-Dz', "safedock: unknown shorthand flag: 'z' in -Dz\nSee 'safedock --help'.\n"],
  ])("%s: docker's words and exit status 125", (word, expected) => {
    expect(formatError(unknownGlobalFlag(word), { command: '' })).toEqual({ text: expected, exitCode: 125 });
  });
  it.each(['--help', '-h', '--version', '-v', '--context', '-D', 'run', '--', '-'])('%s is known', (word) => {
    expect(unknownGlobalFlag(word)).toBeUndefined();
  });
});
