import { constants as osConstants } from 'node:os';

/**
 * The one place that listens for signals. Everything that must react to Ctrl-C, a kill or a
 * hang-up (a run before its container starts, a prompt session, a file write that must not stop
 * half way) subscribes here, and tests drive it with a fake hub instead of real signals.
 */
export interface SignalHub {
  /** Calls `handler` on each of `signals` until the returned function is called. */
  on(signals: readonly NodeJS.Signals[], handler: (signal: NodeJS.Signals) => void): () => void;
  /** Ends the process with this exit code. */
  exit(code: number): void;
}

/** Signals that end what is in progress: Ctrl-C, kill, a hang-up of the terminal. */
export const ENDING_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Signals passed on to a running container, as docker's --sig-proxy does: all but those that
 * cannot be caught (KILL, STOP), that report on the process itself (CHLD, PIPE, URG) or that
 * Node keeps for faults of its own (SEGV, BUS, ILL, FPE). Measured with the docker CLI 28: ABRT,
 * IO, PWR and WINCH reach the container too.
 */
export const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = [
  'SIGINT',
  'SIGABRT',
  'SIGIO',
  'SIGPWR',
  'SIGWINCH',
  'SIGSYS',
  'SIGTRAP',
  'SIGSTKFLT',
  'SIGTERM',
  'SIGHUP',
  'SIGQUIT',
  'SIGUSR1',
  'SIGUSR2',
  'SIGALRM',
  'SIGCONT',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
  'SIGVTALRM',
  'SIGPROF',
  'SIGXCPU',
  'SIGXFSZ',
];

/** The interrupts the client counts while a container runs: the third ends it (docker's own rule). */
export const FORCE_EXIT_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
export const FORCE_EXIT_AFTER = 3;

/** Node types this table as holding every signal name, but a name the platform lacks reads undefined. */
const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = osConstants.signals;

/** The exit code a shell reports for a process ended by `signal`: 128 + its number. */
export function exitCodeForSignal(signal: NodeJS.Signals): number {
  return 128 + (SIGNAL_NUMBERS[signal] ?? 1);
}

/** The real process's signals. */
export const processSignals: SignalHub = {
  on(signals, handler) {
    for (const signal of signals) process.on(signal, handler);
    return () => {
      for (const signal of signals) process.off(signal, handler);
    };
  },
  exit(code) {
    process.exit(code);
  },
};
