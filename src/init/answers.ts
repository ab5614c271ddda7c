/** Where a writable path lives: in memory for the container's life, or in a named volume that outlives it. */
export const WRITABLE_KINDS = ['tmpfs', 'volume'] as const;
export type WritableKind = (typeof WRITABLE_KINDS)[number];

export interface WritablePath {
  path: string;
  kind: WritableKind;
}

/** What `safedock init` knows about the workload: from the wizard, or all from flags. */
export interface InitAnswers {
  /** Whether the workload reaches other hosts or is reached by them; undefined: as the base preset has it. */
  network: boolean | undefined;
  /** -p specs as docker takes them (`8080:80`, `80`, `8080:80/udp`, or with an address of their own). */
  ports: string[];
  /** The host address for ports that name none. */
  address: string;
  /** Software that starts as root and drops privileges, or writes into its own files (compat). */
  startsAsRoot: boolean;
  writable: WritablePath[];
  /** A fixed `uid[:gid]`, or undefined to keep the preset's handling of the image's user. */
  user: string | undefined;
  /** docker's --memory and --cpus values; undefined keeps the base preset's. */
  memory: string | undefined;
  cpus: string | undefined;
  /** The preset to build on; undefined: the closest built-in (see closestBuiltin). */
  base: string | undefined;
  /** The project preset's name, used when the answers need one. */
  name: string;
}

export const LOOPBACK = '127.0.0.1';
