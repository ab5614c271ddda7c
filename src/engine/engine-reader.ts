import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { EngineError, imageFacts, type ImageFacts, type InspectedImage } from './engine.js';
import { SafedockError } from '../errors.js';
import { connectionError, negotiateApiVersion, queryEngine } from './negotiate.js';
import type { EngineSelection } from './select.js';
import type { EngineTarget } from './target.js';
import type { ContainerInspect } from '../api/inspect.js';
import type { ContainerSummary, EngineInfo, NetworkInspect, SwarmInspect } from '../api/engine-state.js';

/** Requests in flight at once: enough to keep the engine busy, few enough not to crowd it. */
export const DEFAULT_PARALLEL = 16;

/**
 * Read-only access to the engine for audits: versioned GETs of JSON over a pool of kept-alive
 * connections, without dockerode (an audit needs neither its streams nor its startup cost).
 */
export class EngineReader {
  readonly target: EngineTarget;
  readonly apiVersion: string;
  readonly engineVersion: string;
  private readonly agent: HttpAgent;
  private readonly send: typeof httpRequest;

  private constructor(
    target: EngineTarget,
    apiVersion: string,
    engineVersion: string,
    send: typeof httpRequest,
    agent: HttpAgent,
  ) {
    this.target = target;
    this.apiVersion = apiVersion;
    this.engineVersion = engineVersion;
    this.send = send;
    this.agent = agent;
  }

  /** Reads the engine the docker CLI would talk to (contexts, -H, DOCKER_HOST: see select.ts). */
  static async connect(selection: EngineSelection, parallel = DEFAULT_PARALLEL): Promise<EngineReader> {
    const target = selection.target;
    if (target.kind === 'ssh') {
      throw new SafedockError(
        `the audit reads the engine over a unix socket or tcp; ${target.display} is an ssh:// engine`,
        {
          code: 'engine',
          hint: `Run the audit on that host (ssh ${target.host} safedock audit), or forward its socket: ssh -L /tmp/engine.sock:/var/run/docker.sock ${target.host}, then DOCKER_HOST=unix:///tmp/engine.sock safedock audit.`,
        },
      );
    }
    const version = await queryEngine(target);
    const apiVersion = negotiateApiVersion(version.apiVersion, target);
    if (target.kind === 'tcp' && target.tls) {
      const https = await import('node:https');
      const agent = new https.Agent({
        keepAlive: true,
        maxSockets: parallel,
        ca: target.tls.ca,
        cert: target.tls.cert,
        key: target.tls.key,
        rejectUnauthorized: !target.tls.skipVerify,
      });
      return new EngineReader(target, apiVersion, version.engineVersion, https.request, agent);
    }
    const agent = new HttpAgent({ keepAlive: true, maxSockets: parallel });
    return new EngineReader(target, apiVersion, version.engineVersion, httpRequest, agent);
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  /** GET /v{api}{path} as JSON; a 404 resolves to undefined, other failures throw EngineError. */
  async getJson<T>(path: string, timeoutMs = 30_000): Promise<T | undefined> {
    const { status, body } = await this.get(`/v${this.apiVersion}${path}`, timeoutMs);
    if (status === 404) return undefined;
    if (status < 200 || status >= 300) {
      let message = body.trim();
      try {
        message = (JSON.parse(body) as { message?: string }).message ?? message;
      } catch {
        // not JSON: the body as it came
      }
      throw new EngineError(`Error response from daemon: ${message} (GET ${path})`, status);
    }
    try {
      return JSON.parse(body) as T;
    } catch (cause) {
      throw new EngineError(`the engine sent an unreadable answer to GET ${path}`, status, cause);
    }
  }

  async info(): Promise<EngineInfo> {
    return (await this.getJson<EngineInfo>('/info')) ?? {};
  }

  network(name: string): Promise<NetworkInspect | undefined> {
    return this.getJson<NetworkInspect>(`/networks/${encodeURIComponent(name)}`);
  }

  /** The swarm's spec; undefined when this node is not a manager. */
  async swarm(): Promise<SwarmInspect | undefined> {
    try {
      return await this.getJson<SwarmInspect>('/swarm');
    } catch (err) {
      // 503: "This node is not a swarm manager".
      if (err instanceof EngineError && err.statusCode === 503) return undefined;
      throw err;
    }
  }

  /** One list call: running containers, or every container with `all`. */
  async listContainers(all: boolean): Promise<ContainerSummary[]> {
    return (await this.getJson<ContainerSummary[]>(`/containers/json${all ? '?all=1' : ''}`)) ?? [];
  }

  /**
   * Inspects containers `parallel` at a time (one pool of connections), keeping the order of `ids`.
   * A container removed since it was listed comes back undefined.
   */
  async inspectContainers(
    ids: readonly string[],
    onDone?: (done: number) => void,
  ): Promise<(ContainerInspect | undefined)[]> {
    return this.inParallel(
      ids,
      (id) => this.getJson<ContainerInspect>(`/containers/${encodeURIComponent(id)}/json`),
      onDone,
    );
  }

  /** The facts of each image (by id or reference) that the engine still has, inspected in parallel. */
  async inspectImages(refs: readonly string[]): Promise<Map<string, ImageFacts>> {
    const unique = [...new Set(refs.filter((r) => r !== ''))];
    const answers = await this.inParallel(unique, (ref) =>
      this.getJson<InspectedImage>(`/images/${encodeURIComponent(ref)}/json`),
    );
    const out = new Map<string, ImageFacts>();
    unique.forEach((ref, i) => {
      const info = answers[i];
      if (info !== undefined) out.set(ref, imageFacts(info));
    });
    return out;
  }

  /** `work` on each item, as many at a time as the pool has connections; results in order. */
  private async inParallel<T, R>(
    items: readonly T[],
    work: (item: T) => Promise<R>,
    onDone?: (done: number) => void,
  ): Promise<R[]> {
    const out: R[] = new Array<R>(items.length);
    let next = 0;
    let done = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < items.length; i = next++) {
        out[i] = await work(items[i] as T);
        onDone?.(++done);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.agent.maxSockets, items.length)) }, worker));
    return out;
  }

  private get(path: string, timeoutMs: number): Promise<{ status: number; body: string }> {
    const target = this.target;
    return new Promise((resolve, reject) => {
      const options =
        target.kind === 'unix'
          ? { socketPath: target.socketPath, path, method: 'GET', agent: this.agent }
          : { host: target.host, port: target.port, path, method: 'GET', agent: this.agent };
      const req = this.send(options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (err) => reject(connectionError(err, target)));
      });
      req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', (err) => reject(connectionError(err, target)));
      req.end();
    });
  }
}
