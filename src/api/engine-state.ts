/**
 * The parts of the Engine API's answers about the engine itself that an audit reads (the container
 * inspect answer is in inspect.ts), as the engine sends them (API 1.41 and later). Every field is
 * optional or nullable the way engines leave it out: older ones and other engines (Podman) omit some.
 */

/** One row of GET /containers/json. */
export interface ContainerSummary {
  Id: string;
  Names?: string[] | null;
  State?: string;
}

/** GET /info, the fields the daemon audit reads. */
export interface EngineInfo {
  ID?: string;
  Name?: string;
  ServerVersion?: string;
  Driver?: string;
  /** "1" or "2". */
  CgroupVersion?: string;
  Debug?: boolean;
  LoggingDriver?: string;
  ExperimentalBuild?: boolean;
  LiveRestoreEnabled?: boolean;
  SecurityOptions?: string[] | null;
  DockerRootDir?: string;
  Plugins?: { Authorization?: string[] | null } | null;
  RegistryConfig?: {
    InsecureRegistryCIDRs?: string[] | null;
    IndexConfigs?: Record<string, { Name?: string; Secure?: boolean }> | null;
  } | null;
  Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean; NodeID?: string } | null;
  [key: string]: unknown;
}

/** GET /networks/{id} */
export interface NetworkInspect {
  Name?: string;
  Options?: Record<string, string> | null;
}

/** GET /swarm (managers only) */
export interface SwarmInspect {
  Spec?: { EncryptionConfig?: { AutoLockManagers?: boolean } | null } | null;
}
