/**
 * The one model of a run: every docker run setting as a typed field, normalised so that readers
 * (merge, policy, pick, audit, export, learn) never parse flag text again. Built from argv by
 * toSpec (src/model/to-spec.ts), from a preset the same way, from a container by fromInspect; sent to
 * the engine through toCreateBody. Field names follow the Engine API where one exists.
 *
 * The zero values are docker's: a field at its zero value means "not set" (the engine's or the
 * image's default applies), exactly as in the create body the docker CLI sends.
 */
import type { DeviceMapping, DeviceRequest } from '../grammar/devices.js';
import type { NetworkAttachment } from '../grammar/network.js';
import type { PortPublication } from '../grammar/ports.js';
import type { VolumeFlagMount } from '../grammar/volumes.js';
import type { Mount as ApiMount, Ulimit } from '../api/create-body.js';

/** A capability as the engine gets it: upper case with the CAP_ prefix (`CAP_NET_ADMIN`), or `ALL`. */
export type Capability = string;

export type Stream = 'stdin' | 'stdout' | 'stderr';
export type PullPolicy = 'missing' | 'always' | 'never';

/** One --security-opt entry as the engine reads it (a seccomp file already replaced by its JSON). */
export interface SecurityOpt {
  /** Lower case: `seccomp`, `apparmor`, `label`, `no-new-privileges`, `systempaths`, … */
  key: string;
  /** '' for a bare `no-new-privileges`. */
  value: string;
  /** The entry exactly as sent in HostConfig.SecurityOpt. */
  raw: string;
  /** For a seccomp profile read from a file: that file (the entry holds its compacted JSON). */
  file?: string;
}

/**
 * One mount, whichever flag asked for it. `via` keeps docker's three spellings apart because the
 * engine gets them in three fields (Binds and Config.Volumes, Mounts, Tmpfs) and treats them
 * slightly differently.
 */
export type MountSpec = VolumeFlagMount | MountFlagMount | TmpfsFlagMount;

export type { VolumeFlagMount };

/** `--mount …` (also --secret and --use-api-socket, which safedock and docker turn into one). */
export interface MountFlagMount {
  via: 'mount';
  target: string;
  mount: ApiMount;
  /** Set for `--secret NAME=FILE`: the secret's name. */
  secret?: string;
  /** Set for the engine socket that --use-api-socket adds. */
  apiSocket?: true;
}

/** `--tmpfs TARGET[:OPTIONS]`. */
export interface TmpfsFlagMount {
  via: 'tmpfs';
  target: string;
  /** The options as given, e.g. 'rw,noexec,size=64m'; '' when none. */
  options: string;
}

/** One host binding of a container port (ranges are expanded, as docker does). */
export type PublishedPort = PortPublication;

export interface RestartPolicy {
  Name: string;
  MaximumRetryCount: number;
}

/** The health check as sent (every field omitted when zero); `{ Test: ['NONE'] }` for --no-healthcheck. */
export interface Healthcheck {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
}

export interface ThrottleDevice {
  Path: string;
  Rate: number;
}
export interface WeightDevice {
  Path: string;
  Weight: number;
}

export interface RunSpec {
  // --- what runs -------------------------------------------------------------------------------
  image: string;
  /** The arguments after the image; null: the image's CMD. */
  command: string[] | null;
  /** --entrypoint; null: the image's; [''] resets it. */
  entrypoint: string[] | null;
  /** -u; '' runs the image's user. */
  user: string;
  workdir: string;
  /** The environment as docker sends it: env files in order, then -e (deduplicated by name). */
  env: string[];
  groupAdd: string[];
  hostname: string;
  domainname: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  stopSignal: string;
  /** Seconds; undefined: the engine's default. */
  stopTimeout: number | undefined;
  /** --init; undefined: the engine's default. */
  init: boolean | undefined;
  healthcheck: Healthcheck | undefined;

  // --- the client's side of the run (none of it is in the create body but `name` and `platform`) ----
  name: string;
  platform: string;
  detach: boolean;
  /** Undefined: docker's default keys. */
  detachKeys: string | undefined;
  interactive: boolean;
  tty: boolean;
  /** -a streams as given; [] attaches stdout and stderr. */
  attach: Stream[];
  sigProxy: boolean;
  quiet: boolean;
  pull: PullPolicy;
  cidfile: string;
  autoRemove: boolean;
  /** --use-api-socket (its mount is in `mounts`). */
  useApiSocket: boolean;

  // --- privilege ---------------------------------------------------------------------------------
  privileged: boolean;
  /** Normalised (see src/docker-cli/capabilities.ts), sorted, without duplicates. */
  capAdd: Capability[];
  capDrop: Capability[];
  /** In the order the engine gets them; the last entry of a key wins there. */
  securityOpt: SecurityOpt[];
  /** [] when systempaths=unconfined was given; null: the engine's defaults. */
  maskedPaths: string[] | null;
  readonlyPaths: string[] | null;
  readOnly: boolean;
  runtime: string;
  isolation: string;
  cgroupParent: string;

  // --- namespaces ----------------------------------------------------------------------------------
  pid: string;
  ipc: string;
  uts: string;
  userns: string;
  cgroupns: string;

  // --- storage -------------------------------------------------------------------------------------
  mounts: MountSpec[];
  volumesFrom: string[];
  volumeDriver: string;
  storageOpt: Record<string, string>;

  // --- network -------------------------------------------------------------------------------------
  /** --network entries in order; [] joins the engine's default network. */
  networks: NetworkAttachment[];
  /** The container-wide network flags, applied to the first network as docker does. */
  networkAliases: string[];
  ip: string;
  ip6: string;
  macAddress: string;
  linkLocalIps: string[];
  links: string[];
  ports: PublishedPort[];
  /** Exposed without a binding (--expose), e.g. '8080/tcp'. */
  expose: string[];
  publishAll: boolean;
  dns: string[];
  dnsOptions: string[];
  dnsSearch: string[];
  extraHosts: string[];

  // --- devices and kernel --------------------------------------------------------------------------
  devices: DeviceMapping[];
  /** CDI device names (vendor/class=name), sent as one device request. */
  cdiDevices: string[];
  gpus: DeviceRequest[];
  deviceCgroupRules: string[];
  sysctls: Record<string, string>;
  ulimits: Ulimit[];

  // --- resources (0: no limit, docker's zero value) ------------------------------------------------
  memory: number;
  memoryReservation: number;
  memorySwap: number;
  memorySwappiness: number;
  kernelMemory: number;
  oomKillDisable: boolean;
  oomScoreAdj: number;
  shmSize: number;
  nanoCpus: number;
  cpuShares: number;
  cpuPeriod: number;
  cpuQuota: number;
  cpuRealtimePeriod: number;
  cpuRealtimeRuntime: number;
  cpusetCpus: string;
  cpusetMems: string;
  pidsLimit: number;
  blkioWeight: number;
  blkioWeightDevice: WeightDevice[];
  blkioDeviceReadBps: ThrottleDevice[];
  blkioDeviceWriteBps: ThrottleDevice[];
  blkioDeviceReadIOps: ThrottleDevice[];
  blkioDeviceWriteIOps: ThrottleDevice[];
  /** Windows-only limits (refused on Linux engines before any request). */
  cpuCount: number;
  cpuPercent: number;
  ioMaximumBandwidth: number;
  ioMaximumIOps: number;

  // --- logging -------------------------------------------------------------------------------------
  logDriver: string;
  logOpts: Record<string, string>;
  restart: RestartPolicy;
}

export type SpecField = keyof RunSpec;

/** The model with nothing set: what `docker run IMAGE` sends. */
export function emptySpec(image = ''): RunSpec {
  return {
    image,
    command: null,
    entrypoint: null,
    user: '',
    workdir: '',
    env: [],
    groupAdd: [],
    hostname: '',
    domainname: '',
    labels: {},
    annotations: {},
    stopSignal: '',
    stopTimeout: undefined,
    init: undefined,
    healthcheck: undefined,
    name: '',
    platform: '',
    detach: false,
    detachKeys: undefined,
    interactive: false,
    tty: false,
    attach: [],
    sigProxy: true,
    quiet: false,
    pull: 'missing',
    cidfile: '',
    autoRemove: false,
    useApiSocket: false,
    privileged: false,
    capAdd: [],
    capDrop: [],
    securityOpt: [],
    maskedPaths: null,
    readonlyPaths: null,
    readOnly: false,
    runtime: '',
    isolation: '',
    cgroupParent: '',
    pid: '',
    ipc: '',
    uts: '',
    userns: '',
    cgroupns: '',
    mounts: [],
    volumesFrom: [],
    volumeDriver: '',
    storageOpt: {},
    networks: [],
    networkAliases: [],
    ip: '',
    ip6: '',
    macAddress: '',
    linkLocalIps: [],
    links: [],
    ports: [],
    expose: [],
    publishAll: false,
    dns: [],
    dnsOptions: [],
    dnsSearch: [],
    extraHosts: [],
    devices: [],
    cdiDevices: [],
    gpus: [],
    deviceCgroupRules: [],
    sysctls: {},
    ulimits: [],
    memory: 0,
    memoryReservation: 0,
    memorySwap: 0,
    memorySwappiness: -1,
    kernelMemory: 0,
    oomKillDisable: false,
    oomScoreAdj: 0,
    shmSize: 0,
    nanoCpus: 0,
    cpuShares: 0,
    cpuPeriod: 0,
    cpuQuota: 0,
    cpuRealtimePeriod: 0,
    cpuRealtimeRuntime: 0,
    cpusetCpus: '',
    cpusetMems: '',
    pidsLimit: 0,
    blkioWeight: 0,
    blkioWeightDevice: [],
    blkioDeviceReadBps: [],
    blkioDeviceWriteBps: [],
    blkioDeviceReadIOps: [],
    blkioDeviceWriteIOps: [],
    cpuCount: 0,
    cpuPercent: 0,
    ioMaximumBandwidth: 0,
    ioMaximumIOps: 0,
    logDriver: '',
    logOpts: {},
    restart: { Name: 'no', MaximumRetryCount: 0 },
  };
}
