import { relative, resolve } from 'node:path';
import { EXIT, SafedockError, reportError } from '../errors.js';
import { PromptSession, whyNoPrompt, type PromptStreams } from '../prompt/session.js';
import { builtinPresets } from '../presets/builtin.js';
import { PROJECT_CONFIG_FILE } from '../presets/project-config.js';
import { openTerminal } from '../prompt/terminal.js';
import { answersFromFlags, type InitOptions } from './answers-from-flags.js';
import { catalogFor, planInit, type InitFile, type InitPlan } from './plan-init.js';
import { initDone, initSummary } from './render-init.js';
import { askInitAnswers } from './wizard.js';
import { writeInitFiles } from './write-init.js';
import { migrateInitPorts } from './migrate-ports.js';

export interface InitEnvironment {
  io: { stdin: { isTTY?: boolean }; stdout: NodeJS.WritableStream; stderr: NodeJS.WriteStream };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Where the wizard asks (default: the controlling terminal, drawn on stderr). */
  openTerminal?: (stderr: NodeJS.WriteStream) => PromptStreams | undefined;
}

/** The form that needs no terminal, for messages. */
export const NON_INTERACTIVE_FORM =
  'safedock init --preset NAME --yes [--network | --no-network] [--port HOST:CONTAINER]... [--address ADDR] [--starts-as-root] [--writable PATH[:volume]]... [--user UID[:GID]] [--memory SIZE] [--cpus N] [--name NAME] [--force]';

/**
 * `safedock init`: the wizard on a terminal, or every answer from flags with --yes. Shows what it
 * will write and the resulting docker run arguments, never replaces a file without a yes (or
 * --force), and writes atomically. Resolves with the exit code: 0 written, 1 refused or failed,
 * 130 cancelled; never throws.
 */
export async function initMain(options: InitOptions, environment: InitEnvironment): Promise<number> {
  try {
    return await init(options, environment);
  } catch (err) {
    if (!(err instanceof SafedockError)) throw err;
    reportError(err, environment.io.stderr, 'init', environment.env);
    return err.exitCode === EXIT.cancelled ? EXIT.cancelled : 1;
  }
}

async function init(options: InitOptions, environment: InitEnvironment): Promise<number> {
  const { io, env } = environment;
  const folder = resolve(environment.cwd);
  const builtins = [...(await builtinPresets()).keys()];
  const given = answersFromFlags(options, folder, builtins);
  for (const note of await migrateInitPorts(folder)) io.stderr.write(`safedock: ${note}\n`);

  if (options.yes) {
    const plan = await planInit(given, { cwd: folder, env });
    io.stdout.write(initSummary(plan));
    const existing = existingFiles(plan);
    if (existing.length > 0 && !options.force) {
      const names = existing.map((f) => relative(folder, f.file));
      throw new SafedockError(
        `refused: ${names.join(' and ')} already ${names.length === 1 ? 'exists' : 'exist'} in ${folder}, and safedock init replaces files only when told to; nothing was written`,
        {
          code: 'exists',
          exitCode: 1,
          hint: `Add --force to replace them (${PROJECT_CONFIG_FILE} keeps its other fields and only gets the new preset:), or run safedock init on a terminal to be asked.`,
        },
      );
    }
    return write(plan, io);
  }

  const problem = whyNoPrompt(io, env);
  const terminal = problem === undefined ? (environment.openTerminal ?? openTerminal)(io.stderr) : undefined;
  if (terminal === undefined) {
    throw new SafedockError(
      `safedock init asks its questions on a terminal, but ${problem ?? 'this process has no controlling terminal (/dev/tty)'}; nothing was written`,
      {
        code: 'no-terminal',
        exitCode: 1,
        hint: `Give the answers as flags instead: ${NON_INTERACTIVE_FORM}`,
      },
    );
  }
  const session = await PromptSession.open(terminal, 'nothing was written');
  try {
    const answers = await askInitAnswers(session, given, await catalogFor(folder, env), builtins);
    const plan = await planInit(answers, { cwd: folder, env });
    io.stdout.write(initSummary(plan));
    for (const file of existingFiles(plan)) {
      const what = file === plan.config ? 'set its preset: (its other fields are kept)' : 'replace it';
      if (!(await session.confirm(`${relative(folder, file.file)} exists; ${what}?`, false)))
        return declined(io, `${relative(folder, file.file)} was left as it is`);
    }
    if (!(await session.confirm('Write these files?', true))) return declined(io, 'you answered no');
    session.throwIfCancelled();
    return await write(plan, io);
  } finally {
    session.close();
  }
}

function existingFiles(plan: InitPlan): InitFile[] {
  return [plan.preset, plan.config].filter((f): f is InitFile => f !== undefined && f.exists);
}

function declined(io: InitEnvironment['io'], why: string): number {
  io.stderr.write(`safedock: nothing was written (${why}).\n`);
  return 1;
}

async function write(plan: InitPlan, io: InitEnvironment['io']): Promise<number> {
  const { interrupted } = await writeInitFiles(plan);
  io.stdout.write(initDone(plan));
  if (!interrupted) return 0;
  io.stderr.write('safedock: interrupted while writing; the files were written whole before stopping.\n');
  return EXIT.cancelled;
}
