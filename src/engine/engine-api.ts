import type { Duplex, Readable } from 'node:stream';
import type DockerodeType from 'dockerode';
import type { RunRequest } from '../api/create-body.js';
import type { EngineSelection } from './select.js';
import type { EngineTarget } from './target.js';

/** What safedock needs to know about an image before merging a preset. */
export interface ImageFacts {
  id: string;
  user: string;
  volumes: string[];
  exposedPorts: string[];
  /** The image's labels (its own metadata: io.safedock.tmpfs names transient folders). */
  labels?: Readonly<Record<string, string>>;
  /** Its default command and entrypoint: what a container runs when you name none. */
  cmd?: readonly string[];
  entrypoint?: readonly string[];
}

export interface WaitResult {
  StatusCode: number;
  Error?: { Message?: string } | null;
}

export type WaitCondition = 'next-exit' | 'removed';

export interface PullEvent {
  id?: string;
  status?: string;
  progress?: string;
  error?: string;
  errorDetail?: { message?: string };
}

export type EngineKind = 'docker' | 'podman';

/** The parts of a container's inspect document that safedock reads. */
export interface ContainerInspect {
  Id: string;
  Name?: string;
  Image?: string;
  State?: { Status?: string; Running?: boolean; ExitCode?: number; OOMKilled?: boolean; Error?: string };
  Config?: {
    Image?: string;
    User?: string;
    Cmd?: string[] | null;
    Entrypoint?: string[] | null;
    WorkingDir?: string;
    Env?: string[] | null;
    Tty?: boolean;
    Labels?: Record<string, string> | null;
  };
  HostConfig?: {
    ReadonlyRootfs?: boolean;
    CapAdd?: string[] | null;
    CapDrop?: string[] | null;
    SecurityOpt?: string[] | null;
    Tmpfs?: Record<string, string> | null;
    Binds?: string[] | null;
    Sysctls?: Record<string, string> | null;
    PortBindings?: Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> | null;
  };
  Mounts?: Array<{ Type?: string; Name?: string; Source?: string; Destination?: string; RW?: boolean }> | null;
  NetworkSettings?: {
    Ports?: Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> | null;
    /** Set on docker's default bridge only; a user-defined network's address is in Networks. */
    IPAddress?: string;
    Networks?: Record<string, { IPAddress?: string }> | null;
  };
}

/** The engine's answers to GET /containers/json and /volumes/{name}. */
export type ContainerSummary = DockerodeType.ContainerInfo;
export type VolumeInspect = DockerodeType.VolumeInspectInfo;
/** GET /version; Components is missing from some engines' answers. */
export type VersionDocument = Omit<DockerodeType.DockerVersion, 'Components'> & {
  Components?: Array<{ Name: string; Version: string; Details?: Record<string, unknown> }>;
};

/** GET /info: the fields safedock reads, and the rest as the engine sent it. */
export interface InfoDocument {
  ServerVersion?: string;
  SecurityOptions?: string[] | null;
  CgroupVersion?: string;
  CgroupDriver?: string;
  [key: string]: unknown;
}

/** What connecting learned about the engine at the other end. */
export interface EngineFacts {
  kind: EngineKind;
  engineVersion: string;
  /** The API version both sides speak (the engine's, capped at safedock's). */
  apiVersion: string;
  /** A rootless engine (Docker's rootless mode, or Podman run by a user): SecurityOptions name=rootless. */
  rootless: boolean;
  /** "1" or "2"; empty when the engine does not say. */
  cgroupVersion: string;
  /** "cgroupfs", "systemd", or "none" (a rootless engine without cgroups); empty when not said. */
  cgroupDriver: string;
  /** The engine's socket when it is on this machine; undefined for a remote engine. */
  socketPath: string | undefined;
}

export interface ListContainersOptions {
  all?: boolean;
  /** The engine's filters, e.g. { label: ['safedock.test=1'] }. */
  filters?: Record<string, string[]>;
}

/**
 * The engine as every command sees it: the small set of Engine API calls safedock makes. The
 * dockerode implementation lives in engine.ts (connect()); tests drive the run lifecycle with a fake.
 */
export interface Engine {
  readonly selection: EngineSelection;
  readonly target: EngineTarget;
  readonly facts: EngineFacts;
  /** Shorthands for facts.apiVersion and facts.engineVersion. */
  readonly apiVersion: string;
  readonly engineVersion: string;

  /** The image's config, or undefined when the engine has no such image. */
  inspectImage(ref: string): Promise<ImageFacts | undefined>;
  /** Pulls an image, reporting each progress event; fails with the engine's message. */
  pull(ref: string, platform: string | undefined, onProgress: (event: PullEvent) => void): Promise<void>;
  /** Creates the container; the configuration travels in the request body only. */
  create(request: RunRequest): Promise<{ id: string; warnings: string[] }>;
  /** A hijacked attach: one raw duplex stream carrying stdin up and the output down. */
  attach(
    id: string,
    streams: { stdin: boolean; stdout: boolean; stderr: boolean },
    detachKeys?: string,
  ): Promise<Duplex>;
  /**
   * Registers a wait and resolves once the engine has accepted it, so that a container started
   * afterwards cannot be missed. `exited` settles with the exit status.
   */
  registerWait(id: string, condition: WaitCondition): Promise<{ exited: Promise<WaitResult> }>;
  start(id: string): Promise<void>;
  resize(id: string, rows: number, columns: number): Promise<void>;
  /** Whether the container is running now (false when it is gone). */
  isRunning(id: string): Promise<boolean>;
  kill(id: string, signal: string): Promise<void>;
  /** Force-removes a container with its anonymous volumes; one that is already gone is not an error. */
  remove(id: string): Promise<void>;
  /** The container's inspect document, or undefined when there is no such container. */
  inspectContainer(id: string): Promise<ContainerInspect | undefined>;
  /** The volume's inspect document, or undefined when there is no such volume. */
  inspectVolume(name: string): Promise<VolumeInspect | undefined>;
  listContainers(options?: ListContainersOptions): Promise<ContainerSummary[]>;
  info(): Promise<InfoDocument>;
  version(): Promise<VersionDocument>;

  // Reads of a container after it ran (safedock learn, safedock diagnose).
  /** What the container changed in its root filesystem (`docker diff`): Kind 0 changed, 1 added, 2 deleted. */
  changes(id: string): Promise<Array<{ Path: string; Kind: number }>>;
  /** The last `tail` lines the container printed on stdout and stderr, interleaved as logged. */
  logs(id: string, tail: number, tty: boolean): Promise<string>;
  /** A path of the container's filesystem as a tar stream, or undefined when it does not exist. */
  archive(id: string, path: string): Promise<Readable | undefined>;
  /** Removes a named volume; one that is already gone is not an error. */
  removeVolume(name: string): Promise<void>;

  // What export --from-container subtracts from a container's settings.
  /** The image's own Config (env, command, user, labels …), or undefined when there is no such image. */
  imageConfig(ref: string): Promise<ImageConfig | undefined>;
  // safedock's isolated network (isolated-network.ts decides; these only ask).
  /** The networks whose name is exactly `name` (several while racing creates settle). */
  networksNamed(name: string): Promise<NetworkSummary[]>;
  /** Creates a network; 'exists' when the engine refuses a second of that name (CheckDuplicate). */
  createNetwork(spec: NetworkCreateSpec): Promise<'created' | 'exists'>;
  /** Removes a network; one that is gone or still in use is left as it is (false). */
  removeNetwork(id: string): Promise<boolean>;
}

/** A network as the engine lists it (the fields safedock reads). */
export interface NetworkSummary {
  Id: string;
  Name: string;
  /** RFC 3339, the engine's clock. */
  Created?: string;
  Driver?: string;
  Options?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
}

/** What safedock creates a network with. */
export interface NetworkCreateSpec {
  name: string;
  driver: string;
  options: Record<string, string>;
  labels: Record<string, string>;
}

/** An image's own settings, which a container created from it inherits. */
export interface ImageConfig {
  User?: string;
  Env?: string[] | null;
  Cmd?: string[] | null;
  Entrypoint?: string[] | null;
  Labels?: Record<string, string> | null;
  WorkingDir?: string;
  ExposedPorts?: Record<string, unknown> | null;
  Volumes?: Record<string, unknown> | null;
  StopSignal?: string;
  Healthcheck?: unknown;
}
