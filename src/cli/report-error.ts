import { ERROR_KINDS, EXIT, SafedockError } from '../errors.js';

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
