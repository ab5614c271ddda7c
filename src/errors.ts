/** Exit codes shared with `docker run`. */
export const EXIT = {
  /** safedock itself or the engine failed; also a refused run. */
  failure: 125,
  /** The container command could not be invoked. */
  cannotInvoke: 126,
  /** The container command was not found. */
  notFound: 127,
  /** Cancelled by the user (Ctrl-C at a prompt). */
  cancelled: 130,
} as const;

export interface SafedockErrorOptions {
  code: string;
  exitCode?: number;
  cause?: unknown;
  /** A line telling the user what to do next. */
  hint?: string;
}

/** The one error base class: every error safedock reports to a user is one of these. */
export class SafedockError extends Error {
  readonly code: string;
  readonly exitCode: number;
  readonly hint: string | undefined;

  constructor(message: string, options: SafedockErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SafedockError';
    this.code = options.code;
    this.exitCode = options.exitCode ?? EXIT.failure;
    this.hint = options.hint;
  }
}

/** Bad command-line input: docker prints these and exits 125 before any request. */
export class UsageError extends SafedockError {
  constructor(message: string, hint?: string) {
    super(message, hint === undefined ? { code: 'usage' } : { code: 'usage', hint });
    this.name = 'UsageError';
  }
}
