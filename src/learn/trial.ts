/**
 * The trial runner: runs the workload once with extra docker run flags and reports what happened.
 * The learn loop sees only this interface; src/learn/engine-trials.ts implements it on the engine.
 */
import type { Change } from './docker-diff.js';
import type { TarEntry } from './tar-entries.js';
import type { ImageAccounts } from '../policy/image-accounts.js';

export interface TrialOutcome {
  /**
   * Whether the workload works: the probe answered, or it still ran after the settle time, or a
   * one-shot command exited 0.
   */
  works: boolean;
  /** The exit code once exited; undefined while it still ran (then it was stopped). */
  exitCode: number | undefined;
  /** What was seen, for reports: "still running after 5 s", "exited 1", "http:80 answered 200". */
  summary: string;
  /** A bounded tail of the container's output, then what safedock printed when the run failed before it started. */
  output: string;
  /** `docker diff` of the container. */
  changes: Change[];
}

/** One finished trial whose container still exists, to read from; remove() removes it. */
export interface Trial {
  outcome: TrialOutcome;
  /** The entries of a path in the container (the path's own entry first); undefined when it does not exist. */
  list(path: string, options?: { firstOnly?: boolean }): Promise<TarEntry[] | undefined>;
  /** The container's /etc/passwd and /etc/group (each undefined when missing or unreadable). */
  accounts(): Promise<ImageAccounts>;
  remove(): Promise<void>;
}

export interface TrialRunner {
  /** Runs the workload with these docker run flags after the user's own, under the base preset. */
  run(flags: readonly string[]): Promise<Trial>;
}
