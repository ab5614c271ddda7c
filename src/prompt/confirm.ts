import type { Terminal } from './terminal.js';

/** The answer to a question: yes, no, or cancelled (Ctrl-C, or the terminal went away). */
export type Answer = 'yes' | 'no' | 'cancelled';

/**
 * A y/N question on the terminal (default no). inquirer is loaded here, only when a question is
 * actually asked, so that runs without one never pay for it.
 */
export async function askOnTerminal(terminal: Terminal, message: string): Promise<Answer> {
  const { confirm } = await import('@inquirer/prompts');
  try {
    const yes = await confirm({ message, default: false }, { input: terminal.input, output: terminal.output, clearPromptOnDone: false });
    return yes ? 'yes' : 'no';
  } catch (err) {
    if (err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError')) return 'cancelled';
    throw err;
  } finally {
    terminal.close();
  }
}
