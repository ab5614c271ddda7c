/**
 * The parts of the Engine API's answers that an audit reads, as the engine sends them (API 1.41
 * and later). Every field is optional or nullable the way the engine leaves it out: older engines,
 * other engines (Podman) and containers in other states omit some.
 */

export interface HealthConfig {
  Test?: string[] | null;
}

/** GET /containers/{id}/json */
export interface ContainerInspect {
  Id: string;
  /** With the leading slash, e.g. "/web-1". */
  Name?: string;
  /** The image's id (sha256:…). */
  Image?: string;
  State?: {
    Status?: string;
    Running?: boolean;
    Pid?: number;
    Health?: { Status?: string } | null;
  } | null;
  Config?: {
    User?: string;
    Image?: string;
    Labels?: Record<string, string> | null;
    Healthcheck?: HealthConfig | null;
    [key: string]: unknown;
  } | null;
  HostConfig?: {
    Privileged?: boolean;
    CapAdd?: string[] | null;
    CapDrop?: string[] | null;
    SecurityOpt?: string[] | null;
    NetworkMode?: string;
    PidMode?: string;
    IpcMode?: string;
    UTSMode?: string;
    RestartPolicy?: { Name?: string; MaximumRetryCount?: number } | null;
    [key: string]: unknown;
  } | null;
  NetworkSettings?: { Networks?: Record<string, unknown> | null } | null;
  [key: string]: unknown;
}

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
