/**
 * What a line of a program's output can say about the hardening: the findings of src/learn/evidence.ts
 * and the rows of the table in evidence-patterns.ts, which both read these types.
 */

/** The privileged operations a message can name (each needs a capability docker gives only to root). */
export type PrivilegedOp = 'chown' | 'chmod' | 'setuid' | 'setgid' | 'setgroups' | 'chroot' | 'setrlimit' | 'nice';

export type Evidence =
  /** A write under the read-only root: EROFS on a path. */
  | { kind: 'read-only'; path: string; line: string }
  /** EACCES on a path: the container's user may not use a file or folder. */
  | { kind: 'denied'; path: string; line: string }
  /** EPERM on an operation only root with a capability may do (switching users, giving files away). */
  | { kind: 'not-permitted'; op: PrivilegedOp; path?: string; line: string }
  /** A listening socket the program could not bind: a port below the unprivileged range. */
  | { kind: 'bind'; port: number; line: string }
  /** EPERM on a system call the message names: seccomp may refuse it. */
  | { kind: 'syscall'; syscall: string; line: string }
  /** The program (or the engine) looked up a user the image does not define. */
  | { kind: 'no-user'; user: string; line: string }
  /** The message names a capability it lacks. */
  | { kind: 'capability'; capability: string; line: string }
  /** A program that must start as root to switch users says it is not root. */
  | { kind: 'needs-root'; line: string };

export type EvidenceKind = Evidence['kind'];

/** One row of the table: a line shape and the finding it stands for (undefined: not this one after all). */
export interface EvidencePattern {
  /** Which program prints this shape, for the reader of the table. */
  from: string;
  pattern: RegExp;
  read: (match: RegExpExecArray, line: string) => Evidence | undefined;
}
