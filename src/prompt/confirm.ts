import { PromptCancelled, PromptSession } from './session.js';
import type { Terminal } from './terminal.js';

/** The answer to a question: yes, no, or cancelled (Ctrl-C, a signal, or the terminal went away). */
export type Answer = 'yes' | 'no' | 'cancelled';

/** One y/N question on the terminal (default no); inquirer loads only now. Closes the terminal. */
export async function askOnTerminal(terminal: Terminal, message: string): Promise<Answer> {
  const session = await PromptSession.open(terminal, 'nothing was created');
  try {
    return (await session.confirm(message, false)) ? 'yes' : 'no';
  } catch (err) {
    if (err instanceof PromptCancelled) return 'cancelled';
    throw err;
  } finally {
    session.close();
  }
}
