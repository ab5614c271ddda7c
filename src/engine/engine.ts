import type { Duplex, Readable } from 'node:stream';
import type DockerodeType from 'dockerode';
import { SafedockError } from '../errors.js';
import { createQuery } from '../model/create-query.js';
import type { RunRequest } from '../api/create-body.js';
import { loadDockerode } from './load-dockerode.js';
import { connectionError, get, negotiateApiVersion, queryEngineVersion, type RawResponse } from './negotiate.js';
import { resolveEngineTarget, type EngineTarget } from './target.js';

/** What safedock needs to know about an image before merging a preset. */
export interface ImageFacts {
  id: string;
  user: string;
  volumes: string[];
  exposedPorts: string[];
}

export interface WaitResult {
  StatusCode: number;
  Error?: { Message?: string } | null;
}

export type WaitCondition = 'next-exit' | 'removed';

/** An error the engine answered with, keeping its HTTP status. */
export class EngineError extends SafedockError {
  readonly statusCode: number | undefined;
  constructor(message: string, statusCode: number | undefined, cause?: unknown) {
    super(message, { code: 'engine', cause });
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

export interface PullEvent {
  id?: string;
  status?: string;
  progress?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/**
 * The dockerode boundary: the only place that talks to the engine.
 * Every request that carries configuration sends it in the body (`_body`) with only the
 * documented query parameters in `_query`, so no setting (env values, profiles) reaches a URL.
 */
export class Engine {
  readonly target: EngineTarget;
  readonly apiVersion: string;
  readonly engineVersion: string;
  private readonly modem: Modem;

  private constructor(target: EngineTarget, apiVersion: string, engineVersion: string, docker: DockerodeType) {
    this.target = target;
    this.apiVersion = apiVersion;
    this.engineVersion = engineVersion;
    this.modem = (docker as unknown as { modem: Modem }).modem;
  }

  /**
   * Resolves the address, negotiates the API version and loads dockerode. With `image`, the
   * image is inspected at the same time (an unversioned request), so a run that needs the
   * image's user does not wait for one more round trip.
   */
  static async connect(env: NodeJS.ProcessEnv = process.env, options: { image?: string } = {}): Promise<Engine> {
    const target = resolveEngineTarget(env);
    const early =
      options.image === undefined
        ? undefined
        : get(target, `/images/${encodeURIComponent(options.image)}/json`, 30_000);
    early?.catch(() => undefined);
    // The engine answers while dockerode initialises.
    const [version, Dockerode] = await Promise.all([queryEngineVersion(target), loadDockerode()]);
    const apiVersion = negotiateApiVersion(version.apiVersion, target);
    const dockerOptions: DockerodeType.DockerOptions =
      target.kind === 'unix'
        ? { socketPath: target.socketPath, version: `v${apiVersion}` }
        : {
            host: target.host,
            port: target.port,
            protocol: target.tls ? 'https' : 'http',
            version: `v${apiVersion}`,
            ...(target.tls ? { ca: target.tls.ca, cert: target.tls.cert, key: target.tls.key } : {}),
          };
    const engine = new Engine(target, apiVersion, version.engineVersion, new Dockerode(dockerOptions));
    if (early !== undefined && options.image !== undefined) engine.prefetched.set(options.image, early);
    return engine;
  }

  /** Image inspections started by connect(), by reference. */
  private readonly prefetched = new Map<string, Promise<RawResponse>>();

  private dial<T>(options: Record<string, unknown>): Promise<T> {
    return new Promise((resolve, reject) => {
      this.modem.dial(options, (err, data) => (err ? reject(this.wrap(err)) : resolve(data as T)));
    });
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
    const created = await this.dial<{ Id: string; Warnings?: string[] | null }>({
      path: '/containers/create?',
      method: 'POST',
      options: { _query: query, _body: request.body },
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
      options: { _query: query, _body: {} },
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
   */
  async registerWait(id: string, condition: WaitCondition): Promise<{ exited: Promise<WaitResult> }> {
    const res = await this.dial<Readable>({
      path: `/containers/${id}/wait?`,
      method: 'POST',
      isStream: true,
      options: { _query: { condition }, _body: {} },
      statusCodes: { 200: true, 400: 'bad parameter', 404: 'no such container', 500: 'server error' },
    });
    const exited = new Promise<WaitResult>((resolve, reject) => {
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
    try {
      const info = await this.dial<{ State?: { Running?: boolean } }>({
        path: `/containers/${id}/json`,
        method: 'GET',
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
      });
      return info.State?.Running === true;
    } catch (err) {
      if (err instanceof EngineError && err.statusCode === 404) return false;
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

  /** The container's inspect document as the engine sends it, or undefined when it is gone. */
  async inspectContainer(id: string): Promise<ContainerInspect | undefined> {
    try {
      return await this.dial<ContainerInspect>({
        path: `/containers/${encodeURIComponent(id)}/json`,
        method: 'GET',
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
      });
    } catch (err) {
      if (err instanceof EngineError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

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
    IPAddress?: string;
  };
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

interface InspectedImage {
  Id: string;
  Config?: {
    User?: string;
    Volumes?: Record<string, unknown> | null;
    ExposedPorts?: Record<string, unknown> | null;
  } | null;
}

function imageFacts(info: InspectedImage): ImageFacts {
  return {
    id: info.Id,
    user: info.Config?.User ?? '',
    volumes: Object.keys(info.Config?.Volumes ?? {}),
    exposedPorts: Object.keys(info.Config?.ExposedPorts ?? {}),
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
