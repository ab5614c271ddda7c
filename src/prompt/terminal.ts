import { openSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import { isCi } from '../policy/mode.js';

/** Where a question is asked: the keyboard of the controlling terminal, drawn on stderr. */
export interface Terminal {
  input: ReadStream;
  output: NodeJS.WriteStream;
  close(): void;
}

/**
 * Whether a person may be asked: stderr is a terminal and CI is not set. The answer is read from
 * the controlling terminal (/dev/tty), so a container's piped stdin is never consumed by a question.
 */
export function mayAsk(stderr: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  return stderr.isTTY && !isCi(env);
}

/** Opens the controlling terminal for reading, or undefined when the process has none. */
export function openTerminal(stderr: NodeJS.WriteStream): Terminal | undefined {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r');
  } catch {
    return undefined;
  }
  const input = new ReadStream(fd);
  return {
    input,
    output: stderr,
    close: () => {
      if (input.isRaw) input.setRawMode(false);
      input.destroy();
    },
  };
}
