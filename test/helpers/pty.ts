/**
 * Runs the built CLI on a pseudo-terminal, as a person at a terminal would, for tests of prompts.
 *
 * util-linux `script` (in Debian's essential bsdutils, so on every machine the suite runs on)
 * allocates the terminal: the CLI's stdin, stdout and stderr are its slave side, and it is the
 * controlling terminal, so /dev/tty works. The test talks to the master side through script's
 * pipes: what it writes arrives as keystrokes, what the CLI draws arrives on script's stdout.
 *
 * `waitFor` matches the output with escape sequences removed, from where the previous match
 * ended, so each step waits for what is new (a prompt drawn again does not match twice).
 */
import { spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { CLI_ENTRY, withoutUnset } from './engine.js';

export const KEY = {
  up: '\x1b[A',
  down: '\x1b[B',
  enter: '\r',
  ctrlC: '\x03',
  escape: '\x1b',
} as const;

export interface PtyResult {
  /** The CLI's exit code (script -e passes it on; 128+n when a signal n ended it). */
  code: number | null;
  /** Everything the terminal showed, escape sequences removed, line ends as \n. */
  text: string;
  timedOut: boolean;
}

export interface PtySession {
  /** The CLI's process id (it replaces the shell script starts, so signals reach it directly). */
  pid(): Promise<number>;
  /** Resolves when the output, after the previous match, matches; fails with the output so far on timeout. */
  waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Sends keystrokes, as typed. */
  write(keys: string): void;
  /** The output so far, escape sequences removed. */
  text(): string;
  done: Promise<PtyResult>;
}

export interface PtyOptions {
  cwd: string;
  /** Merged over process.env; undefined removes a variable. */
  env?: Record<string, string | undefined>;
  /** The terminal's size; wide enough by default that prompts do not wrap. */
  columns?: number;
  rows?: number;
  timeoutMs?: number;
}

const quote = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;

const clean = (raw: string): string => stripVTControlCharacters(raw).replaceAll('\r\n', '\n').replaceAll('\r', '\n');

export function runCliInPty(args: readonly string[], opts: PtyOptions): PtySession {
  const env = withoutUnset({ ...process.env, TERM: 'xterm-256color', ...opts.env });
  // The shell prints its pid, sets the size of the terminal, then becomes the CLI (same pid).
  const command = `echo "pty-pid=$$"; stty cols ${opts.columns ?? 160} rows ${opts.rows ?? 60}; exec ${[CLI_ENTRY, ...args].map(quote).join(' ')}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: opts.cwd,
    env: { ...env, SHELL: '/bin/sh' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let raw = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: string): void => {
    raw += chunk;
    for (const wake of [...waiters]) wake();
  };
  // Decoded as streams, so a character split between two reads is not garbled.
  child.stdout.setEncoding('utf8').on('data', onData);
  child.stderr.setEncoding('utf8').on('data', onData);
  child.stdin.on('error', () => {
    // The terminal may be gone when a last keystroke is sent.
  });

  let timedOut = false;
  let exited = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, opts.timeoutMs ?? 50_000);
  const done = new Promise<PtyResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      exited = true;
      for (const wake of [...waiters]) wake();
      resolve({ code, text: clean(raw), timedOut });
    });
  });

  /** Waits until `find` locates something in the clean output from `from`; returns its [start, end). */
  const waitUntil = (
    find: (text: string) => [number, number] | undefined,
    what: string,
    timeoutMs: number,
    from: () => number,
  ): Promise<[number, number]> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const start = from();
        const hit = find(clean(raw).slice(start));
        if (hit === undefined) return false;
        resolve([start + hit[0], start + hit[1]]);
        return true;
      };
      if (check()) return;
      const wake = (): void => {
        if (check()) cleanup();
        else if (exited) {
          cleanup();
          reject(new Error(`the CLI ended before showing ${what}; the terminal showed:\n${clean(raw)}`));
        }
      };
      const giveUp = setTimeout(() => {
        cleanup();
        reject(new Error(`${what} did not appear within ${timeoutMs} ms; the terminal showed:\n${clean(raw)}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(giveUp);
        waiters.delete(wake);
      };
      waiters.add(wake);
    });

  const locate =
    (pattern: string | RegExp) =>
    (text: string): [number, number] | undefined => {
      if (typeof pattern === 'string') {
        const at = text.indexOf(pattern);
        return at < 0 ? undefined : [at, at + pattern.length];
      }
      const m = pattern.exec(text);
      return m === null ? undefined : [m.index, m.index + m[0].length];
    };

  // Positions in the clean text: what precedes a match never changes as more output arrives.
  let consumed = 0;
  const waitFor = async (pattern: string | RegExp, timeoutMs = 20_000): Promise<string> => {
    const [start, end] = await waitUntil(locate(pattern), String(pattern), timeoutMs, () => consumed);
    consumed = end;
    return clean(raw).slice(start, end);
  };

  return {
    pid: () =>
      waitUntil(locate(/pty-pid=\d+/), 'the pid', 20_000, () => 0).then(([start, end]) =>
        Number(clean(raw).slice(start + 'pty-pid='.length, end)),
      ),
    waitFor,
    write: (keys) => {
      child.stdin.write(keys);
    },
    text: () => clean(raw),
    done,
  };
}
