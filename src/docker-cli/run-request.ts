/**
 * The Engine API container-create request, as docker CLI 28 sends it.
 * Field names and zero values follow the engine's JSON so that a body built here can be
 * compared with the docker CLI's byte for byte (after JSON parsing).
 */
export type JsonMap<T> = Record<string, T>;

export interface PortBinding {
  HostIp: string;
  HostPort: string;
}

export interface Mount {
  Type: string;
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: Record<string, unknown>;
  VolumeOptions?: Record<string, unknown>;
  TmpfsOptions?: Record<string, unknown>;
}

export interface Ulimit {
  Name: string;
  Hard: number;
  Soft: number;
}

export interface HostConfig {
  [key: string]: unknown;
  Binds: string[] | null;
  ContainerIDFile: string;
  LogConfig: { Type: string; Config: JsonMap<string> };
  NetworkMode: string;
  PortBindings: JsonMap<PortBinding[]>;
  RestartPolicy: { Name: string; MaximumRetryCount: number };
  AutoRemove: boolean;
  CapAdd: string[] | null;
  CapDrop: string[] | null;
  Privileged: boolean;
  PublishAllPorts: boolean;
  ReadonlyRootfs: boolean;
  SecurityOpt: string[] | null;
  Tmpfs?: JsonMap<string>;
  Memory: number;
  NanoCpus: number;
  PidsLimit: number;
  Ulimits: Ulimit[];
  Mounts?: Mount[];
  Init?: boolean;
  MaskedPaths: string[] | null;
  ReadonlyPaths: string[] | null;
}

export interface ContainerConfig {
  [key: string]: unknown;
  Hostname: string;
  User: string;
  AttachStdin: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  Tty: boolean;
  OpenStdin: boolean;
  StdinOnce: boolean;
  Env: string[] | null;
  Cmd: string[] | null;
  Image: string;
  Volumes: JsonMap<Record<string, never>>;
  WorkingDir: string;
  Entrypoint: string[] | null;
  Labels: JsonMap<string>;
  ExposedPorts?: JsonMap<Record<string, never>>;
}

export interface CreateBody extends ContainerConfig {
  HostConfig: HostConfig;
  NetworkingConfig: { EndpointsConfig: JsonMap<Record<string, unknown>> };
}

export type PullPolicy = 'missing' | 'always' | 'never';

/** What the client does around the create call; none of it is sent in the body. */
export interface ClientOptions {
  detach: boolean;
  pull: PullPolicy;
  /** Forward signals to the container (docker's --sig-proxy, default true). */
  sigProxy: boolean;
  quiet: boolean;
  detachKeys?: string;
  /** Written by the client once the container exists; refused when the file exists. */
  cidfile?: string;
}

/** Everything needed to create and run one container. */
export interface RunRequest {
  /** Sent as the `name` query parameter. */
  name?: string;
  /** Sent as the `platform` query parameter and used for the pull. */
  platform?: string;
  body: CreateBody;
  client: ClientOptions;
}

/** Facts about the caller that docker's conversions read. */
export interface ConvertContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The negotiated engine API version, e.g. "1.41"; gates fields newer engines only accept. */
  apiVersion: string;
  /** Rows and columns of the client's terminal when its stdout is one (docker sends them at create). */
  consoleSize?: readonly [number, number];
}
