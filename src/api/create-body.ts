/**
 * The Engine API's container-create request, fully typed, in the shape the docker CLI 28 sends it:
 * field names and zero values follow the engine's JSON so that a body built by toCreateBody
 * (src/model/to-create-body.ts) compares with the docker CLI's after JSON parsing. A container's
 * inspect answer carries the same Config and HostConfig (src/api/inspect.ts).
 */
export type JsonMap<T> = Record<string, T>;

export interface PortBinding {
  HostIp: string;
  HostPort: string;
}

export interface MountVolumeOptions {
  NoCopy?: boolean;
  Labels?: Record<string, string>;
  Subpath?: string;
  DriverConfig?: { Name?: string; Options?: Record<string, string> };
}

export interface MountBindOptions {
  Propagation?: string;
  NonRecursive?: boolean;
  ReadOnlyNonRecursive?: boolean;
  ReadOnlyForceRecursive?: boolean;
  CreateMountpoint?: boolean;
}

export interface MountTmpfsOptions {
  SizeBytes?: number;
  Mode?: number;
  Options?: string[][];
}

export interface MountImageOptions {
  Subpath?: string;
}

export interface Mount {
  Type: string;
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: MountBindOptions;
  VolumeOptions?: MountVolumeOptions;
  TmpfsOptions?: MountTmpfsOptions;
  ImageOptions?: MountImageOptions;
}

export interface Ulimit {
  Name: string;
  Hard: number;
  Soft: number;
}

export interface DeviceMapping {
  PathOnHost: string;
  PathInContainer: string;
  CgroupPermissions: string;
}

export interface DeviceRequest {
  Driver: string;
  Count: number;
  DeviceIDs: string[] | null;
  Capabilities: string[][] | null;
  Options: Record<string, string> | null;
}

export interface WeightDevice {
  Path: string;
  Weight: number;
}

export interface ThrottleDevice {
  Path: string;
  Rate: number;
}

export interface RestartPolicy {
  Name: string;
  MaximumRetryCount: number;
}

export interface HealthConfig {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
}

export interface EndpointIpamConfig {
  IPv4Address?: string;
  IPv6Address?: string;
  LinkLocalIPs?: string[];
}

export interface EndpointSettings {
  IPAMConfig: EndpointIpamConfig | null;
  Links: string[] | null;
  Aliases: string[] | null;
  MacAddress: string;
  DriverOpts: Record<string, string> | null;
  GwPriority: number;
  NetworkID: string;
  EndpointID: string;
  Gateway: string;
  IPAddress: string;
  IPPrefixLen: number;
  IPv6Gateway: string;
  GlobalIPv6Address: string;
  GlobalIPv6PrefixLen: number;
  DNSNames: string[] | null;
}

export interface HostConfig {
  Binds: string[] | null;
  ContainerIDFile: string;
  LogConfig: { Type: string; Config: JsonMap<string> };
  NetworkMode: string;
  PortBindings: JsonMap<PortBinding[]>;
  RestartPolicy: RestartPolicy;
  AutoRemove: boolean;
  VolumeDriver: string;
  VolumesFrom: string[] | null;
  ConsoleSize: [number, number];
  Annotations?: JsonMap<string>;
  CapAdd: string[] | null;
  CapDrop: string[] | null;
  CgroupnsMode: string;
  Dns: string[];
  DnsOptions: string[];
  DnsSearch: string[];
  ExtraHosts: string[] | null;
  GroupAdd: string[] | null;
  IpcMode: string;
  Cgroup: string;
  Links: string[] | null;
  OomScoreAdj: number;
  PidMode: string;
  Privileged: boolean;
  PublishAllPorts: boolean;
  ReadonlyRootfs: boolean;
  SecurityOpt: string[] | null;
  StorageOpt?: JsonMap<string>;
  Tmpfs?: JsonMap<string>;
  UTSMode: string;
  UsernsMode: string;
  ShmSize: number;
  Sysctls?: JsonMap<string>;
  Runtime?: string;
  Isolation: string;
  CpuShares: number;
  Memory: number;
  NanoCpus: number;
  CgroupParent: string;
  BlkioWeight: number;
  BlkioWeightDevice: WeightDevice[];
  BlkioDeviceReadBps: ThrottleDevice[];
  BlkioDeviceWriteBps: ThrottleDevice[];
  BlkioDeviceReadIOps: ThrottleDevice[];
  BlkioDeviceWriteIOps: ThrottleDevice[];
  CpuPeriod: number;
  CpuQuota: number;
  CpuRealtimePeriod: number;
  CpuRealtimeRuntime: number;
  CpusetCpus: string;
  CpusetMems: string;
  Devices: DeviceMapping[];
  DeviceCgroupRules: string[] | null;
  DeviceRequests: DeviceRequest[] | null;
  KernelMemory?: number;
  MemoryReservation: number;
  MemorySwap: number;
  MemorySwappiness: number;
  OomKillDisable: boolean;
  PidsLimit: number;
  Ulimits: Ulimit[];
  CpuCount: number;
  CpuPercent: number;
  IOMaximumIOps: number;
  IOMaximumBandwidth: number;
  Mounts?: Mount[];
  MaskedPaths: string[] | null;
  ReadonlyPaths: string[] | null;
  Init?: boolean;
}

export interface ContainerConfig {
  Hostname: string;
  Domainname: string;
  User: string;
  AttachStdin: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  ExposedPorts?: JsonMap<Record<string, never>>;
  Tty: boolean;
  OpenStdin: boolean;
  StdinOnce: boolean;
  Env: string[] | null;
  Cmd: string[] | null;
  Healthcheck?: HealthConfig;
  Image: string;
  Volumes: JsonMap<Record<string, never>>;
  WorkingDir: string;
  Entrypoint: string[] | null;
  OnBuild: string[] | null;
  Labels: JsonMap<string>;
  StopSignal?: string;
  StopTimeout?: number;
}

export interface CreateBody extends ContainerConfig {
  HostConfig: HostConfig;
  NetworkingConfig: { EndpointsConfig: JsonMap<EndpointSettings> };
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
