import { maskEngineMessage } from '../grammar/mount-secrets.js';
import type { Duplex, Readable } from 'node:stream';
import type DockerodeType from 'dockerode';
import { SafedockError } from '../errors.js';
import { createQuery } from '../model/create-query.js';
import type { RunRequest } from '../api/create-body.js';
import type {
  ContainerInspect,
  ContainerSummary,
  Engine,
  EngineFacts,
  ImageConfig,
  ImageFacts,
  InfoDocument,
  ListContainersOptions,
  NetworkCreateSpec,
  NetworkSummary,
  PullEvent,
  VersionDocument,
  VolumeInspect,
  WaitCondition,
  WaitResult,
} from './engine-api.js';
import { loadDockerode } from './load-dockerode.js';
import { connectionError, get, negotiateApiVersion, queryEngine, type RawResponse } from './negotiate.js';
import { podmanCreateBody } from './podman.js';
import type { EngineSelection } from './select.js';
import type { EngineTarget } from './target.js';
import { transportFor } from './transport.js';

export type {
  ContainerInspect,
  ContainerSummary,
  Engine,
  EngineFacts,
  ImageConfig,
  ImageFacts,
  NetworkSummary,
  PullEvent,
  VolumeInspect,
  WaitCondition,
  WaitResult,
} from './engine-api.js';

/** An error the engine answered with, keeping its HTTP status. */
export class EngineError extends SafedockError {
  readonly statusCode: number | undefined;
  constructor(message: string, statusCode: number | undefined, cause?: unknown) {
    // The engine quotes a volume's mount data when mounting it fails, a cifs password among them.
    super(maskEngineMessage(message), { code: 'engine', cause });
    this.name = 'EngineError';
    this.statusCode = statusCode;
  }
}

interface ModemError extends Error {
  statusCode?: number;
  json?: { message?: string } | null;
  code?: string;
}

interface Modem {
  dial(options: Record<string, unknown>, callback: (err: ModemError | null, data: unknown) => void): void;
  followProgress(
    stream: Readable,
    onFinished: (err: Error | null, output: unknown[]) => void,
    onProgress?: (event: PullEvent) => void,
  ): void;
}

export interface ConnectOptions {
  /** Inspect this image while connecting (one round trip less for a run that needs its user). */
  image?: string;
  /** Where Podman's seccomp profile files go (XDG_RUNTIME_DIR, XDG_CACHE_HOME, HOME). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Connects to the selected engine: asks who it is (API version, Docker or Podman, rootless,
 * cgroups) while dockerode loads, and negotiates the API version as the docker CLI does. With
 * `image`, the image is inspected at the same time (an unversioned request), so a run that needs
 * the image's user does not wait for one more round trip.
 */
export async function connect(selection: EngineSelection, options: ConnectOptions = {}): Promise<Engine> {
  const { target } = selection;
  const early =
    options.image === undefined ? undefined : get(target, `/images/${encodeURIComponent(options.image)}/json`, 30_000);
  early?.catch(() => undefined);
  const asked = queryEngine(target);
  asked.catch(() => undefined);
  // One turn of the event loop first: the requests go out, and the engine answers them while
  // dockerode's modules are evaluated (milliseconds of work of their own).
  await new Promise<void>((resolve) => setImmediate(resolve));
  const [identity, Dockerode, transport] = await Promise.all([asked, loadDockerode(), transportFor(target)]);
  const apiVersion = negotiateApiVersion(identity.apiVersion, target);
  const facts: EngineFacts = {
    kind: identity.kind,
    engineVersion: identity.engineVersion,
    apiVersion,
    rootless: identity.rootless,
    cgroupVersion: identity.cgroupVersion,
    cgroupDriver: identity.cgroupDriver,
    socketPath: target.kind === 'unix' ? target.socketPath : undefined,
  };
  const docker = new Dockerode({ ...transport.dockerode, version: `v${apiVersion}` });
  const engine = new DockerodeEngine(selection, facts, docker, options.env ?? process.env);
  if (early !== undefined && options.image !== undefined) engine.prefetched.set(options.image, early);
  return engine;
}

/**
 * The dockerode implementation of Engine: the only place that talks to the engine.
 * Every request that carries configuration sends it in the body (`_body`) with only the
 * documented query parameters in `_query`, so no setting (env values, profiles) reaches a URL.
 */
class DockerodeEngine implements Engine {
  readonly target: EngineTarget;
  private readonly modem: Modem;

  constructor(
    readonly selection: EngineSelection,
    readonly facts: EngineFacts,
    docker: DockerodeType,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.target = selection.target;
    this.modem = (docker as unknown as { modem: Modem }).modem;
  }

  get apiVersion(): string {
    return this.facts.apiVersion;
  }

  get engineVersion(): string {
    return this.facts.engineVersion;
  }

  /** Image inspections started by connect(), by reference. */
  readonly prefetched = new Map<string, Promise<RawResponse>>();

  private dial<T>(options: Record<string, unknown>): Promise<T> {
    return new Promise((resolve, reject) => {
      this.modem.dial(options, (err, data) => (err ? reject(this.wrap(err)) : resolve(data as T)));
    });
  }

  async networksNamed(name: string): Promise<NetworkSummary[]> {
    const all = await this.dial<NetworkSummary[]>({
      path: '/networks?',
      method: 'GET',
      // The engine's name filter also matches parts of names: the exact ones are kept below.
      options: { _query: { filters: JSON.stringify({ name: { [name]: true } }) }, _body: {} },
      statusCodes: { 200: true, 500: 'server error' },
    });
    return all.filter((n) => n.Name === name);
  }

  async createNetwork(spec: NetworkCreateSpec): Promise<'created' | 'exists'> {
    try {
      await this.dial({
        path: '/networks/create?',
        method: 'POST',
        options: {
          _query: {},
          _body: {
            Name: spec.name,
            CheckDuplicate: true,
            Driver: spec.driver,
            Options: spec.options,
            Labels: spec.labels,
          },
        },
        statusCodes: {
          201: true,
          400: 'bad parameter',
          403: 'forbidden',
          404: 'plugin not found',
          409: 'conflict',
          500: 'server error',
        },
      });
      return 'created';
    } catch (err) {
      if (err instanceof EngineError && err.statusCode === 409) return 'exists';
      throw err;
    }
  }

  async removeNetwork(id: string): Promise<boolean> {
    try {
      await this.dial({
        path: `/networks/${id}?`,
        method: 'DELETE',
        options: { _query: {}, _body: {} },
        statusCodes: { 204: true, 403: 'forbidden', 404: 'no such network', 409: 'conflict', 500: 'server error' },
      });
      return true;
    } catch (err) {
      // Gone already, or a container is on it (the engine answers 403 or 409).
      if (err instanceof EngineError && [403, 404, 409].includes(err.statusCode ?? 0)) return false;
      throw err;
    }
  }

  /** Turns a modem error into a message like docker's "Error response from daemon: …". */
  wrap(err: ModemError): SafedockError {
    if (err instanceof SafedockError) return err;
    if (err.statusCode !== undefined) {
      const message = err.json?.message ?? err.message.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
      return new EngineError(`Error response from daemon: ${message}`, err.statusCode, err);
    }
    if (err.code) return connectionError(err, this.target);
    return new EngineError(err.message, undefined, err);
  }

  /** The image's config, or undefined when the engine has no such image. */
  async inspectImage(ref: string): Promise<ImageFacts | undefined> {
    const early = this.prefetched.get(ref);
    if (early !== undefined) {
      this.prefetched.delete(ref);
      const res = await early;
      if (res.status === 404) return undefined;
      if (res.status === 200) return imageFacts(JSON.parse(res.body) as InspectedImage);
    }
    try {
      const info = await this.dial<InspectedImage>({
        path: `/images/${encodeURIComponent(ref)}/json`,
        method: 'GET',
        statusCodes: { 200: true, 404: 'no such image', 500: 'server error' },
      });
      return imageFacts(info);
    } catch (err) {
      if (err instanceof EngineError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  /** Pulls an image, reporting each progress event; fails with the engine's message. */
  async pull(ref: string, platform: string | undefined, onProgress: (event: PullEvent) => void): Promise<void> {
    // An inspection started before the pull would describe the image as it was.
    this.prefetched.delete(ref);
    const { repo, tag } = splitReference(ref);
    const query: Record<string, string> = { fromImage: repo };
    if (tag) query.tag = tag;
    if (platform) query.platform = platform;
    const stream = await this.dial<Readable>({
      path: '/images/create?',
      method: 'POST',
      isStream: true,
      options: { _query: query, _body: {} },
      statusCodes: { 200: true, 404: 'no such image', 500: 'server error' },
    });
    await new Promise<void>((resolve, reject) => {
      this.modem.followProgress(
        stream,
        (err) =>
          err ? reject(new EngineError(`Error response from daemon: ${err.message}`, undefined, err)) : resolve(),
        (event) => {
          if (event.error) {
            stream.destroy();
            reject(
              new EngineError(`Error response from daemon: ${event.errorDetail?.message ?? event.error}`, undefined),
            );
            return;
          }
          onProgress(event);
        },
      );
    });
  }

  /** Creates the container; the configuration travels in the request body only. */
  async create(request: RunRequest): Promise<{ id: string; warnings: string[] }> {
    const query = createQuery(request);
    const body = this.facts.kind === 'podman' ? podmanCreateBody(request.body, this.facts, this.env) : request.body;
    const created = await this.dial<{ Id: string; Warnings?: string[] | null }>({
      path: '/containers/create?',
      method: 'POST',
      options: { _query: query, _body: body },
      statusCodes: {
        200: true,
        201: true,
        400: 'bad parameter',
        404: 'no such image',
        409: 'conflict',
        500: 'server error',
      },
    });
    return { id: created.Id, warnings: created.Warnings ?? [] };
  }

  /** A hijacked attach: one raw duplex stream carrying stdin up and the output down. */
  attach(
    id: string,
    streams: { stdin: boolean; stdout: boolean; stderr: boolean },
    detachKeys?: string,
  ): Promise<Duplex> {
    const query: Record<string, string | boolean> = {
      stream: true,
      stdin: streams.stdin,
      stdout: streams.stdout,
      stderr: streams.stderr,
    };
    if (detachKeys !== undefined) query.detachKeys = detachKeys;
    return this.dial<Duplex>({
      path: `/containers/${id}/attach?`,
      method: 'POST',
      isStream: true,
      hijack: true,
      // Not `openStdin`: docker-modem would then hold the request open waiting for a body and
      // never send it. The upgraded socket is duplex already; stdin is written to it.
      openStdin: false,
      // An empty body of length 0, as the docker CLI sends: Podman passes whatever the request
      // carries on to the container's stdin, and without a length docker-modem would send a
      // chunked body whose terminator ("0\r\n\r\n") Podman would hand to the container.
      file: Buffer.alloc(0),
      headers: { 'Content-Type': 'text/plain' },
      options: { _query: query },
      statusCodes: {
        101: true,
        200: true,
        400: 'bad parameter',
        404: 'no such container',
        409: 'conflict',
        500: 'server error',
      },
    });
  }

  /**
   * Registers a wait and resolves once the engine has accepted it (its response headers arrived),
   * so that a container started afterwards, even one removed at exit, cannot be missed.
   * `exited` gives the exit status (wrapped in an object: a promise returned from an async
   * function would be flattened into it, and this would not resolve until the container exits).
   * Podman answers condition=removed with status 0 whatever the exit code was: there the wait is
   * for next-exit, and the container is removed here once it has exited (its own removal may
   * still be under way), so that `--rm` leaves nothing behind when the run returns.
   */
  async registerWait(id: string, condition: WaitCondition): Promise<{ exited: Promise<WaitResult> }> {
    const removeHere = condition === 'removed' && this.facts.kind === 'podman';
    const res = await this.dial<Readable>({
      path: `/containers/${id}/wait?`,
      method: 'POST',
      isStream: true,
      options: { _query: { condition: removeHere ? 'next-exit' : condition }, _body: {} },
      statusCodes: { 200: true, 400: 'bad parameter', 404: 'no such container', 500: 'server error' },
    });
    const status = new Promise<WaitResult>((resolve, reject) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => reject(this.wrap(err)));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as WaitResult);
        } catch (cause) {
          reject(
            new EngineError('the engine ended the wait for the container without an exit status', undefined, cause),
          );
        }
      });
    });
    const exited = removeHere ? status.then(async (result) => (await this.remove(id), result)) : status;
    // Observed by the caller later; keep an early failure from being reported as unhandled.
    exited.catch(() => undefined);
    return { exited };
  }

  async start(id: string): Promise<void> {
    await this.dial({
      path: `/containers/${id}/start?`,
      method: 'POST',
      options: { _query: {}, _body: {} },
      statusCodes: { 204: true, 304: true, 404: 'no such container', 500: 'server error' },
    });
  }

  async resize(id: string, rows: number, columns: number): Promise<void> {
    await this.dial({
      path: `/containers/${id}/resize?`,
      method: 'POST',
      options: { _query: { h: rows, w: columns }, _body: {} },
      statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
    });
  }

  /** Whether the container is running now (false when it is gone). */
  async isRunning(id: string): Promise<boolean> {
    const info = await this.inspectContainer(id);
    return info?.State?.Running === true;
  }

  async inspectContainer(id: string): Promise<ContainerInspect | undefined> {
    // The engine stores names with a leading slash and takes `/name` for `name`; a slash in the
    // path makes it answer with a redirect instead, which the HTTP client cannot follow. No name
    // or id holds a slash elsewhere.
    const ref = id.replace(/^\/+/, '');
    if (ref === '' || ref.includes('/')) return undefined;
    return this.getOrMissing<ContainerInspect>(`/containers/${encodeURIComponent(ref)}/json`, 'no such container');
  }

  async imageConfig(ref: string): Promise<ImageConfig | undefined> {
    const info = await this.getOrMissing<{ Config?: ImageConfig | null }>(
      `/images/${encodeURIComponent(ref)}/json`,
      'no such image',
    );
    return info === undefined ? undefined : (info.Config ?? {});
  }

  async inspectVolume(name: string): Promise<VolumeInspect | undefined> {
    return this.getOrMissing<VolumeInspect>(`/volumes/${encodeURIComponent(name)}`, 'no such volume');
  }

  async listContainers(options: ListContainersOptions = {}): Promise<ContainerSummary[]> {
    const query: Record<string, string | boolean> = {};
    if (options.all === true) query.all = true;
    if (options.filters !== undefined) query.filters = JSON.stringify(options.filters);
    return this.dial<ContainerSummary[]>({
      path: '/containers/json?',
      method: 'GET',
      options: { _query: query },
      statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
    });
  }

  async info(): Promise<InfoDocument> {
    return this.dial<InfoDocument>({ path: '/info', method: 'GET', statusCodes: { 200: true, 500: 'server error' } });
  }

  async version(): Promise<VersionDocument> {
    return this.dial<VersionDocument>({
      path: '/version',
      method: 'GET',
      statusCodes: { 200: true, 500: 'server error' },
    });
  }

  /** A GET whose 404 means "there is none": undefined then. */
  private async getOrMissing<T>(path: string, missing: string): Promise<T | undefined> {
    try {
      return await this.dial<T>({ path, method: 'GET', statusCodes: { 200: true, 404: missing, 500: 'server error' } });
    } catch (err) {
      if (err instanceof EngineError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  async kill(id: string, signal: string): Promise<void> {
    await this.dial({
      path: `/containers/${id}/kill?`,
      method: 'POST',
      options: { _query: { signal }, _body: {} },
      statusCodes: { 204: true, 404: 'no such container', 409: 'container not running', 500: 'server error' },
    });
  }

  /** Force-removes a container; a container that is already gone is not an error. */
  async remove(id: string): Promise<void> {
    try {
      await this.dial({
        path: `/containers/${id}?`,
        method: 'DELETE',
        options: { _query: { force: true, v: true }, _body: {} },
        statusCodes: { 200: true, 204: true, 404: 'no such container', 409: 'conflict', 500: 'server error' },
      });
    } catch (err) {
      if (
        err instanceof EngineError &&
        (err.statusCode === 404 || /removal of container .* is already in progress/.test(err.message))
      )
        return;
      throw err;
    }
  }

  // --- reads of a container after it ran (safedock learn, safedock diagnose) ------------------

  /** What the container changed in its root filesystem (`docker diff`): Kind 0 changed, 1 added, 2 deleted. */
  async changes(id: string): Promise<Array<{ Path: string; Kind: number }>> {
    const list = await this.dial<unknown>({
      path: `/containers/${encodeURIComponent(id)}/changes`,
      method: 'GET',
      statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
    });
    // No change at all comes as `null`, which the modem hands over as an empty buffer.
    return Array.isArray(list) ? (list as Array<{ Path: string; Kind: number }>) : [];
  }

  /**
   * The last `tail` lines the container printed on stdout and stderr, interleaved as logged (the
   * json-file and local drivers keep them). A container with a TTY sends one raw stream.
   */
  async logs(id: string, tail: number, tty: boolean): Promise<string> {
    const stream = await this.dial<Readable>({
      path: `/containers/${encodeURIComponent(id)}/logs?`,
      method: 'GET',
      isStream: true,
      options: { _query: { stdout: true, stderr: true, tail: String(tail) }, _body: {} },
      statusCodes: { 200: true, 404: 'no such container', 500: 'server error', 501: 'no logs' },
    });
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    return (tty ? raw : joinFrames(raw)).toString('utf8');
  }

  /**
   * A path of the container's filesystem as a tar stream (`docker cp CONTAINER:PATH -`), the path's
   * own entry first; undefined when the path does not exist. Works on a stopped container too.
   */
  async archive(id: string, path: string): Promise<Readable | undefined> {
    try {
      return await this.dial<Readable>({
        path: `/containers/${encodeURIComponent(id)}/archive?`,
        method: 'GET',
        isStream: true,
        options: { _query: { path }, _body: {} },
        statusCodes: { 200: true, 400: 'bad parameter', 404: 'no such path', 500: 'server error' },
      });
    } catch (err) {
      if (err instanceof EngineError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  /** Removes a named volume; one that is already gone is not an error. */
  async removeVolume(name: string): Promise<void> {
    try {
      await this.dial({
        path: `/volumes/${encodeURIComponent(name)}?`,
        method: 'DELETE',
        options: { _query: { force: true }, _body: {} },
        statusCodes: { 204: true, 404: 'no such volume', 409: 'volume in use', 500: 'server error' },
      });
    } catch (err) {
      if (err instanceof EngineError && err.statusCode === 404) return;
      throw err;
    }
  }
}

/** The payloads of a multiplexed log stream (8-byte frame headers: stream, 3 zero bytes, length), in order. */
function joinFrames(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length) {
    const length = raw.readUInt32BE(at + 4);
    parts.push(raw.subarray(at + 8, Math.min(raw.length, at + 8 + length)));
    at += 8 + length;
  }
  return Buffer.concat(parts);
}

/** The parts of GET /images/{id}/json that ImageFacts holds. */
export interface InspectedImage {
  Id: string;
  Config?: {
    User?: string;
    Volumes?: Record<string, unknown> | null;
    ExposedPorts?: Record<string, unknown> | null;
    Labels?: Record<string, string> | null;
    Cmd?: string[] | null;
    Entrypoint?: string[] | null;
  } | null;
}

export function imageFacts(info: InspectedImage): ImageFacts {
  return {
    id: info.Id,
    user: info.Config?.User ?? '',
    volumes: Object.keys(info.Config?.Volumes ?? {}),
    exposedPorts: Object.keys(info.Config?.ExposedPorts ?? {}),
    labels: info.Config?.Labels ?? {},
    cmd: info.Config?.Cmd ?? [],
    entrypoint: info.Config?.Entrypoint ?? [],
  };
}

/** A reference as docker prints it: `:latest` added when there is neither a tag nor a digest. */
export function withDefaultTag(ref: string): string {
  const slash = ref.lastIndexOf('/');
  return ref.includes('@') || ref.lastIndexOf(':') > slash ? ref : `${ref}:latest`;
}

/** Splits `repo[:tag][@digest]` the way the pull endpoint wants it. */
export function splitReference(ref: string): { repo: string; tag: string | undefined } {
  const at = ref.indexOf('@');
  if (at >= 0) return { repo: ref.slice(0, at), tag: ref.slice(at + 1) };
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repo: ref, tag: 'latest' };
}
