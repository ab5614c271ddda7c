/** Exit codes shared with `docker run`. */
export const EXIT = {
  /** A command failed (docker's status for an unknown command, a refused init, a failed check). */
  error: 1,
  /** safedock itself or the engine failed; also a refused run and a command line that cannot be used. */
  failure: 125,
  /** The container command could not be invoked. */
  cannotInvoke: 126,
  /** The container command was not found. */
  notFound: 127,
  /** Cancelled by the user (Ctrl-C at a prompt). */
  cancelled: 130,
} as const;

/**
 * Every kind of error safedock reports, one row each: the exit status it ends with (unless the
 * error names another, as a failed start does) and whether the message is followed by docker's
 * "Run 'safedock COMMAND --help' for more information" (for input the command's help explains,
 * and for errors docker itself follows with that line).
 */
export const ERROR_KINDS = {
  /** A command line safedock cannot use: unknown flag, bad value, missing argument. */
  usage: { exitCode: EXIT.failure, pointsToHelp: true },
  /** No command of that name (docker: exit 1). */
  'unknown-command': { exitCode: EXIT.error, pointsToHelp: true },
  /** -t with stdin that is not a terminal. */
  'not-a-tty': { exitCode: EXIT.error, pointsToHelp: false },
  /** A question was needed and there is no terminal to ask it on. */
  'no-terminal': { exitCode: EXIT.error, pointsToHelp: false },
  /** The person at the terminal stopped the questions (Ctrl-C, Esc, a hang-up). */
  cancelled: { exitCode: EXIT.cancelled, pointsToHelp: false },
  /** The engine answered with an error. */
  engine: { exitCode: EXIT.failure, pointsToHelp: true },
  'engine-host': { exitCode: EXIT.failure, pointsToHelp: false },
  'engine-permission': { exitCode: EXIT.failure, pointsToHelp: false },
  'engine-tls': { exitCode: EXIT.failure, pointsToHelp: false },
  'engine-unreachable': { exitCode: EXIT.failure, pointsToHelp: false },
  'engine-version': { exitCode: EXIT.failure, pointsToHelp: false },
  /** The global options or the context name no usable engine (docker's "Failed to initialize": exit 1). */
  'engine-endpoint': { exitCode: EXIT.error, pointsToHelp: false },
  /** A Podman engine on another machine cannot be given safedock's seccomp profile. */
  'podman-remote-seccomp': { exitCode: EXIT.failure, pointsToHelp: false },
  /** The seccomp profile file Podman reads could not be written. */
  'podman-seccomp-file': { exitCode: EXIT.failure, pointsToHelp: false },
  'no-such-image': { exitCode: EXIT.failure, pointsToHelp: true },
  /** The container was created but its command could not start (126, 127 or 125, as docker). */
  start: { exitCode: EXIT.failure, pointsToHelp: true },
  'cidfile-exists': { exitCode: EXIT.failure, pointsToHelp: false },
  /** --cidfile cannot be created (its folder is missing, or not writable). */
  cidfile: { exitCode: EXIT.failure, pointsToHelp: false },
  /** safedock's isolated network cannot be made, or a network of its name is not safedock's. */
  network: { exitCode: EXIT.failure, pointsToHelp: false },
  /** A setting this engine or platform cannot carry. */
  unsupported: { exitCode: EXIT.failure, pointsToHelp: false },
  /** A file safedock would write is there already. */
  exists: { exitCode: EXIT.error, pointsToHelp: false },
  /** A file could not be written. */
  write: { exitCode: EXIT.error, pointsToHelp: false },
  /** safedock init cannot turn the answers into files. */
  init: { exitCode: EXIT.error, pointsToHelp: false },
  /** No preset can run what was asked (the picker found none usable). */
  'no-preset': { exitCode: EXIT.failure, pointsToHelp: false },
  'preset-invalid': { exitCode: EXIT.failure, pointsToHelp: false },
  'project-config-invalid': { exitCode: EXIT.failure, pointsToHelp: false },
  'seccomp-invalid': { exitCode: EXIT.failure, pointsToHelp: false },
  'seccomp-json': { exitCode: EXIT.failure, pointsToHelp: false },
  /** A container named on the command line does not exist (docker: exit 1). */
  'no-such-container': { exitCode: EXIT.error, pointsToHelp: false },
  /** The container must have stopped for this (safedock diagnose). */
  running: { exitCode: EXIT.error, pointsToHelp: false },
  /** safedock learn cannot write a preset of that name. */
  'learn-name': { exitCode: EXIT.error, pointsToHelp: false },
  /** A host path the policy judged changed before the container started (it was removed, not started). */
  'path-changed': { exitCode: EXIT.failure, pointsToHelp: false },
  /** An export target cannot carry a setting of the run, and --strict-export was given. */
  'export-loss': { exitCode: EXIT.failure, pointsToHelp: false },
  /** A Compose file's service holds a value docker would refuse. */
  'compose-invalid': { exitCode: EXIT.failure, pointsToHelp: false },
  /** A fault of safedock itself: reported with a request to report it. */
  internal: { exitCode: EXIT.failure, pointsToHelp: false },
} as const satisfies Record<string, { exitCode: number; pointsToHelp: boolean }>;

export type ErrorCode = keyof typeof ERROR_KINDS;

export interface SafedockErrorOptions {
  code: ErrorCode;
  /** Overrides the kind's exit status (e.g. docker's 1 for some usage errors, 126/127 for a start). */
  exitCode?: number;
  cause?: unknown;
  /** A line telling the user what to do next. */
  hint?: string;
  /** The command whose `--help` explains the input (default: the command that reports the error). */
  helpCommand?: string;
}

/** The one error base class: every error safedock reports to a user is one of these. */
export class SafedockError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  readonly hint: string | undefined;
  readonly helpCommand: string | undefined;

  constructor(message: string, options: SafedockErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SafedockError';
    this.code = options.code;
    this.exitCode = options.exitCode ?? ERROR_KINDS[options.code].exitCode;
    this.hint = options.hint;
    this.helpCommand = options.helpCommand;
  }
}

/** Bad command-line input: docker prints these and exits 125 before any request. */
export class UsageError extends SafedockError {
  constructor(message: string, hint?: string) {
    super(message, hint === undefined ? { code: 'usage' } : { code: 'usage', hint });
    this.name = 'UsageError';
  }
}

export interface ErrorContext {
  /** The command reporting, as typed after `safedock` (`run`, `presets list`); '' for none. */
  command: string;
  /** Show where an internal error happened (SAFEDOCK_DEBUG set). */
  debug?: boolean;
}

export interface FormattedError {
  text: string;
  exitCode: number;
}

/**
 * The one way safedock prints an error, whatever the command: `safedock: MESSAGE`, the hint on
 * the next line, then, for input the command's help explains, docker's closing line
 * `Run 'safedock COMMAND --help' for more information` (left out when the hint already names a
 * --help). A fault of safedock itself says so and asks for a report; its stack trace only with
 * SAFEDOCK_DEBUG set.
 */
export function formatError(err: unknown, context: ErrorContext): FormattedError {
  if (!(err instanceof SafedockError)) {
    const message = err instanceof Error ? err.message : String(err);
    const where = context.debug === true && err instanceof Error && err.stack !== undefined ? `${err.stack}\n` : '';
    return {
      text: `safedock: internal error: ${message}\n${where}Please report this with the command line that caused it${where === '' ? ' (SAFEDOCK_DEBUG=1 shows where it happened)' : ''}.\n`,
      exitCode: EXIT.failure,
    };
  }
  const command = err.helpCommand ?? context.command;
  const help = command === '' ? 'safedock --help' : `safedock ${command} --help`;
  const hint = err.hint?.replaceAll("'safedock run --help'", `'${help}'`);
  const lines = [`safedock: ${err.message}`];
  if (hint !== undefined && hint !== '') lines.push(hint);
  if (ERROR_KINDS[err.code].pointsToHelp && !(hint?.includes('--help') ?? false))
    lines.push('', `Run '${help}' for more information`);
  return { text: `${lines.join('\n')}\n`, exitCode: err.exitCode };
}

/** Prints an error on `stderr` (see formatError) and returns the exit code it ends with. */
export function reportError(
  err: unknown,
  stderr: NodeJS.WritableStream,
  command: string,
  env: NodeJS.ProcessEnv = process.env,
): number {
  const { text, exitCode } = formatError(err, { command, debug: isDebug(env) });
  stderr.write(text);
  return exitCode;
}

function isDebug(env: NodeJS.ProcessEnv): boolean {
  const value = env.SAFEDOCK_DEBUG;
  return value !== undefined && value !== '' && value !== '0';
}
