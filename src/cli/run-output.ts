import { writeFileSync } from 'node:fs';
import type { ParsedRun } from '../docker-cli/parsed-run.js';
import { EXIT, SafedockError, UsageError } from '../errors.js';

/**
 * What safedock itself says during a run, kept apart from what docker would print. stdout is the
 * container's (or the id with -d, or the document asked for); safedock's notes are one line
 * each on stderr, `safedock: …`, unless quiet; every note is also kept for the JSON report.
 */
export interface RunNotes {
  readonly quiet: boolean;
  /** A note; an alert (a preset replacing a built-in's name) is written even when quiet. */
  say(note: string, level?: 'note' | 'alert'): void;
  /** Every note so far, said or silenced. */
  readonly all: readonly string[];
}

export function runNotes(stderr: NodeJS.WritableStream, quiet: boolean): RunNotes {
  const all: string[] = [];
  return {
    quiet,
    all,
    say(note: string, level: 'note' | 'alert' = 'note'): void {
      all.push(note);
      if (!quiet || level === 'alert') stderr.write(`safedock: ${note}\n`);
    },
  };
}

/**
 * -q (docker's: no pull output) and SAFEDOCK_QUIET=1 also silence safedock's notes and its low
 * and medium findings; never a refusal, a question, or an error.
 */
export function quietRequested(given: ParsedRun, env: NodeJS.ProcessEnv): boolean {
  return quietWanted(given.options.filter((o) => o.name === 'quiet').at(-1)?.value === 'true', env);
}

/** The same for a command with a -q flag of its own (compose harden): the flag, or SAFEDOCK_QUIET. */
export function quietWanted(flag: boolean, env: NodeJS.ProcessEnv): boolean {
  const value = env.SAFEDOCK_QUIET?.trim().toLowerCase();
  return flag || (value !== undefined && !['', '0', 'false', 'no'].includes(value));
}

/**
 * --json prints a document on stdout, which only a plan has free: a run's stdout is its
 * container's (or the id, with -d). A run's report goes to --json-file instead.
 */
export function checkJsonUse(given: ParsedRun, command: 'run' | 'explain'): void {
  if (!given.own.json || given.own.dryRun || command === 'explain') return;
  throw new UsageError(
    "--json prints the plan of --dry-run (or explain) on stdout; a run's stdout is its container's",
    "For a run's findings as JSON, add --json-file FILE (e.g. --json-file /dev/fd/3 with 3>report.json); for the plan, add --dry-run.",
  );
}

/** Writes a JSON document to --json-file's FILE (a path, or a descriptor the shell opened: /dev/fd/3). */
export function writeJsonFile(file: string, value: unknown): void {
  try {
    writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  } catch (err) {
    throw new SafedockError(
      `cannot write the JSON report to ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      {
        code: 'write',
        exitCode: EXIT.failure,
        hint: 'Name a file you may write, or a descriptor the shell opened (--json-file /dev/fd/3 with 3>report.json); nothing was created.',
      },
    );
  }
}
