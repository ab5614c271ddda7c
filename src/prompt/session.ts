import { EXIT, SafedockError } from '../errors.js';
import { fitLine } from './screen-fit.js';
import { isCi } from '../policy/mode.js';
import { ENDING_SIGNALS, processSignals } from '../signals.js';

type Inquirer = typeof import('@inquirer/prompts');

/** Where questions are asked: keys are read from `input`, prompts drawn on `output`. */
export interface PromptStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  close(): void;
}

export interface Choice<V> {
  value: V;
  name: string;
  /** Shown under the list while this choice is highlighted. */
  description?: string;
  /** The answer as printed once chosen. */
  short?: string;
  /** A reason this choice cannot be taken (shown greyed out). */
  disabled?: string;
}

/** The user stopped the questions: Ctrl-C, Esc, a signal, or the terminal went away. Exit 130. */
export class PromptCancelled extends SafedockError {
  constructor(consequence: string) {
    super(`cancelled; ${consequence}.`, { code: 'cancelled', exitCode: EXIT.cancelled });
    this.name = 'PromptCancelled';
  }
}

/**
 * Why no question may be asked here, or undefined when one may: prompts need a person at a
 * terminal on both ends (keys in, prompt drawn on stderr), and never run in CI.
 */
export function whyNoPrompt(
  io: { stdin: { isTTY?: boolean }; stderr: { isTTY?: boolean } },
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (isCi(env)) return `CI is set (CI=${env.CI ?? ''}), and nobody is asked in CI`;
  if (io.stdin.isTTY !== true) return 'stdin is not a terminal';
  if (io.stderr.isTTY !== true) return 'stderr is not a terminal';
  return undefined;
}

/** The keys a list takes, shown under it. */
export const SELECT_KEYS = '↑↓ move • a letter jumps to a name • ⏎ choose • Esc or Ctrl-C cancels';

/**
 * A run of questions on one terminal. inquirer is imported when the session opens, never before,
 * so that nothing on the run path pays for it unless a question is asked.
 *
 * From open to close, Ctrl-C, Esc, SIGTERM, a hang-up, or the terminal's input ending turn every
 * pending and later question into PromptCancelled, instead of killing the process mid-way: a
 * caller that checks `throwIfCancelled()` right before it writes never leaves half a result.
 */
export class PromptSession {
  private readonly aborter = new AbortController();
  private readonly cleanups: Array<() => void> = [];
  private closed = false;

  private constructor(
    private readonly streams: PromptStreams,
    private readonly inquirer: Inquirer,
    private readonly consequence: string,
  ) {
    const end = (): void => this.aborter.abort();
    // Ctrl-C outside raw mode, kill, a hang-up of the terminal.
    this.cleanups.push(processSignals.on(ENDING_SIGNALS, end));
    // Esc cancels as Ctrl-C does (the prompts themselves ignore it). A lone Esc is told from the
    // start of an arrow key's sequence by a short wait, which readline's key decoder makes.
    // readline (five modules) is loaded here, when a question is asked: a run that asks nothing,
    // which is most runs, never pays for it.
    process.getBuiltinModule('node:readline').emitKeypressEvents(streams.input);
    const onKey = (_text: unknown, key: { name?: string } | undefined): void => {
      if (key?.name === 'escape') end();
    };
    streams.input.on('keypress', onKey);
    this.cleanups.push(() => streams.input.off('keypress', onKey));
    for (const [stream, events] of [
      [streams.input, ['end', 'close', 'error']],
      [streams.output, ['error']],
    ] as const) {
      for (const event of events) {
        stream.on(event, end);
        this.cleanups.push(() => stream.off(event, end));
      }
    }
  }

  /** `consequence` completes "cancelled; …" (e.g. "nothing was created"). */
  static async open(streams: PromptStreams, consequence: string): Promise<PromptSession> {
    let inquirer: Inquirer;
    try {
      inquirer = await import('@inquirer/prompts');
    } catch (err) {
      streams.close();
      throw err;
    }
    return new PromptSession(streams, inquirer, consequence);
  }

  get cancelled(): boolean {
    return this.aborter.signal.aborted;
  }

  throwIfCancelled(): void {
    if (this.cancelled) throw new PromptCancelled(this.consequence);
  }

  /** The width prompts are drawn in (80 when the output does not say). */
  get columns(): number {
    const columns = (this.streams.output as { columns?: number }).columns;
    return columns !== undefined && columns > 0 ? columns : 80;
  }

  /** The height of the terminal the prompts are drawn in (24 when the output does not say). */
  get rows(): number {
    const rows = (this.streams.output as { rows?: number }).rows;
    return rows !== undefined && rows > 0 ? rows : 24;
  }

  /** Text drawn with the prompts (on the terminal's output, stderr). */
  say(text: string): void {
    this.streams.output.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  async select<V>(
    message: string,
    choices: readonly Choice<V>[],
    options: { default?: V; pageSize?: number } = {},
  ): Promise<V> {
    const config = {
      theme: { style: { keysHelpTip: () => fitLine(SELECT_KEYS, this.columns - 1) } },
      message,
      choices: choices.map((c) => ({
        value: c.value,
        name: c.name,
        ...(c.description === undefined ? {} : { description: c.description }),
        ...(c.short === undefined ? {} : { short: c.short }),
        ...(c.disabled === undefined ? {} : { disabled: c.disabled }),
      })),
      ...(options.default === undefined ? {} : { default: options.default }),
      ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
      loop: false,
    };
    return this.ask(() => this.inquirer.select<V>(config, this.context()));
  }

  async confirm(message: string, defaultYes: boolean): Promise<boolean> {
    return this.ask(() => this.inquirer.confirm({ message, default: defaultYes }, this.context()));
  }

  /** A line of text; `validate` returns an error to show, or undefined when the answer is fine. */
  async input(
    message: string,
    options: { default?: string; validate?: (value: string) => string | undefined } = {},
  ): Promise<string> {
    const check = options.validate;
    const config = {
      message,
      ...(options.default === undefined || options.default === '' ? {} : { default: options.default }),
      ...(check === undefined ? {} : { validate: (value: string): string | true => check(value.trim()) ?? true }),
    };
    return (await this.ask(() => this.inquirer.input(config, this.context()))).trim();
  }

  /** Restores the terminal and stops listening for signals; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.streams.close();
  }

  private context(): {
    input: NodeJS.ReadableStream;
    output: NodeJS.WritableStream;
    signal: AbortSignal;
    clearPromptOnDone: false;
  } {
    return {
      input: this.streams.input,
      output: this.streams.output,
      signal: this.aborter.signal,
      clearPromptOnDone: false,
    };
  }

  private async ask<T>(question: () => Promise<T>): Promise<T> {
    this.throwIfCancelled();
    try {
      return await question();
    } catch (err) {
      // Ctrl-C in the prompt (ExitPromptError), our abort (AbortPromptError), or a prompt cancelled.
      if (err instanceof Error && ['ExitPromptError', 'AbortPromptError', 'CancelPromptError'].includes(err.name)) {
        this.aborter.abort();
        throw new PromptCancelled(this.consequence);
      }
      throw err;
    }
  }
}
