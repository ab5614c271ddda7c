import type { EngineInfo, NetworkInspect, SwarmInspect } from '../../api/engine-state.js';
import type { FileFacts } from '../host/file-facts.js';
import type { TcpListener } from '../host/proc-net.js';
import type { FlagValue } from './dockerd-flags.js';

/** The roles of the host files the daemon audit checks (each has a row in file-checks.ts). */
export type DaemonFileRole =
  | 'engine-socket'
  | 'containerd-socket'
  | 'daemon-json'
  | 'etc-docker'
  | 'tls-ca'
  | 'tls-cert'
  | 'tls-key'
  | 'registry-cert'
  | 'systemd-unit'
  | 'service-defaults';

export interface DaemonFile {
  role: DaemonFileRole;
  facts: FileFacts;
}

/** daemon.json as read from the host. */
export type DaemonJson =
  | { file: string; state: 'absent' }
  | { file: string; state: 'read'; settings: Record<string, unknown> }
  | { file: string; state: 'unreadable' | 'invalid'; error: string };

/** What the host shows about the engine's process; only for a local engine whose process is visible. */
export interface DaemonHost {
  pid: number;
  /** The user the engine runs as (0 for a rootful engine). */
  uid: number;
  argv: string[];
  /** From the command line (daemon.json key → value); these win over daemon.json. */
  flags: Record<string, FlagValue>;
  /** Arguments of the command line that could not be read. */
  flagProblems: string[];
  daemonJson: DaemonJson;
  /** The engine's own listening TCP sockets; undefined when its open files could not be read. */
  listeners: TcpListener[] | undefined;
  files: DaemonFile[];
  /** The gid of the socket's group (the "group" setting, default "docker"), when the host has it. */
  socketGid: number | undefined;
}

/** Everything the daemon audit judges: the API's view, and the host's when it could be read. */
export interface DaemonFacts {
  /** How safedock reached the engine. */
  connection: { kind: 'unix' | 'tcp' | 'ssh'; display: string; tls: boolean };
  info: EngineInfo;
  bridge: NetworkInspect | undefined;
  /** The swarm's spec when this node is a manager. */
  swarm: SwarmInspect | undefined;
  host: DaemonHost | { unavailable: string };
}
