import { SafedockError, UsageError } from '../errors.js';
import { goQuote } from './go-quote.js';

export const RUN_HELP_HINT = "See 'safedock run --help'.";
/** The usage line of a command that takes run's arguments (run, explain, learn). */
export const commandUsage = (command: string): string =>
  `Usage:  safedock ${command} [OPTIONS] IMAGE [COMMAND] [ARG...]`;

/** A usage error docker reports with exit 125 (pflag errors, opts.go validation). */
export function usageError(message: string, hint: string = RUN_HELP_HINT): UsageError {
  return new UsageError(message, hint);
}

/**
 * A usage error docker itself reports with exit status 1 rather than 125 (cobra's argument check,
 * checks made in run.go after parsing). Same code as UsageError, docker's exit status.
 */
export function usageErrorExit1(message: string, hint: string = RUN_HELP_HINT): SafedockError {
  return new SafedockError(message, { code: 'usage', exitCode: 1, hint });
}

/** pflag's text for a value its flag type rejected. */
export function invalidArgument(value: string, flagDisplay: string, reason: string): UsageError {
  return usageError(`invalid argument ${goQuote(value)} for ${goQuote(flagDisplay)} flag: ${reason}`);
}
