import { request as httpRequest } from 'node:http';
import { SafedockError } from '../errors.js';
import type { EngineKind, InfoDocument, VersionDocument } from './engine-api.js';
import type { EngineTarget } from './target.js';
import { transportFor } from './transport.js';

/** The newest Engine API version safedock speaks (that of docker CLI 28.2). */
export const MAX_API_VERSION = '1.50';
/** The oldest Engine API version safedock supports (Engine 20.10). */
export const MIN_API_VERSION = '1.41';

export interface EngineVersion {
  apiVersion: string;
  engineVersion: string;
}

export function compareApiVersions(a: string, b: string): number {
  const [amaj = 0, amin = 0] = a.split('.').map(Number);
  const [bmaj = 0, bmin = 0] = b.split('.').map(Number);
  return amaj - bmaj || amin - bmin;
}

/** The version both sides speak: the engine's, capped at ours. Below the minimum is refused. */
export function negotiateApiVersion(engineApi: string, target: EngineTarget): string {
  if (!/^\d+\.\d+$/.test(engineApi)) {
    throw new SafedockError(`the engine at ${target.display} reported an unreadable API version "${engineApi}"`, {
      code: 'engine-version',
    });
  }
  if (compareApiVersions(engineApi, MIN_API_VERSION) < 0) {
    throw new SafedockError(
      `the engine at ${target.display} speaks API ${engineApi}; safedock needs ${MIN_API_VERSION} (Engine 20.10) or newer`,
      { code: 'engine-version', hint: 'Upgrade the Docker engine, or point DOCKER_HOST at a newer one.' },
    );
  }
  return compareApiVersions(engineApi, MAX_API_VERSION) > 0 ? MAX_API_VERSION : engineApi;
}

/** What the engine says of itself: /version for the API and the engine's name, /info for rootless and cgroups. */
export interface EngineIdentity extends EngineVersion {
  kind: EngineKind;
  rootless: boolean;
  cgroupVersion: string;
  cgroupDriver: string;
}

/**
 * Asks the engine who it is, as cheaply as the docker CLI asks for its API version: the
 * unversioned /_ping (a fraction of a millisecond) gives the API version, and Docker names itself
 * in its Server header. Any other engine is asked GET /version, whose Components say whether it
 * is Podman ("Podman Engine"). GET /info (SecurityOptions "name=rootless", the cgroup version and
 * driver) goes out at the same time. This is the first contact with the engine, so it turns
 * connection failures into the messages users need: which address was tried and how to get an
 * engine there. An engine that does not answer /info is taken as rootful with unknown cgroups.
 */
export async function queryEngine(target: EngineTarget, timeoutMs = 30_000): Promise<EngineIdentity> {
  const infoRequest = get(target, '/info', timeoutMs);
  infoRequest.catch(() => undefined);
  const ping = await get(target, '/_ping', timeoutMs);
  const header = ping.headers['api-version'];
  const docker = /^Docker\/(\S+)/.exec(String(ping.headers.server ?? ''));
  let version: EngineVersion & { kind: EngineKind };
  if (ping.status === 200 && typeof header === 'string' && header !== '' && docker !== null) {
    version = { apiVersion: header, engineVersion: docker[1] ?? '', kind: 'docker' };
  } else {
    version = await versionDocument(target, timeoutMs);
  }
  let info: InfoDocument = {};
  try {
    const res = await infoRequest;
    if (res.status === 200) info = JSON.parse(res.body) as InfoDocument;
  } catch {
    // Rootless and cgroups stay unknown; every request after this one reports its own failure.
  }
  return {
    ...version,
    rootless: isRootless(info),
    cgroupVersion: typeof info.CgroupVersion === 'string' ? info.CgroupVersion : '',
    cgroupDriver: typeof info.CgroupDriver === 'string' ? info.CgroupDriver : '',
  };
}

async function versionDocument(target: EngineTarget, timeoutMs: number): Promise<EngineVersion & { kind: EngineKind }> {
  const version = await get(target, '/version', timeoutMs);
  if (version.status !== 200) {
    throw new SafedockError(
      `the engine at ${target.display} answered /version with HTTP ${version.status}: ${version.body.trim()}`,
      { code: 'engine-version' },
    );
  }
  let body: VersionDocument;
  try {
    body = JSON.parse(version.body) as VersionDocument;
  } catch (cause) {
    throw new SafedockError(`the engine at ${target.display} sent an unreadable /version answer`, {
      code: 'engine-version',
      cause,
    });
  }
  return { apiVersion: body.ApiVersion, engineVersion: body.Version, kind: engineKind(body) };
}

/** Podman's Docker-compatible API names itself in /version's Components. */
export function engineKind(version: Pick<VersionDocument, 'Components'>): EngineKind {
  return (version.Components ?? []).some((c) => c.Name === 'Podman Engine') ? 'podman' : 'docker';
}

/** Docker's rootless mode and a Podman run by a user both list "name=rootless" in SecurityOptions. */
export function isRootless(info: Pick<InfoDocument, 'SecurityOptions'>): boolean {
  return (info.SecurityOptions ?? []).some((o) => o.split(',').includes('name=rootless'));
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One unversioned GET to the engine, outside dockerode: used before dockerode is configured. */
export async function get(target: EngineTarget, path: string, timeoutMs: number): Promise<RawResponse> {
  const transport = await transportFor(target);
  const send = transport.https ? (await import('node:https')).request : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send({ ...transport.options, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      // A connection that breaks while the answer arrives.
      res.on('error', (err) => reject(connectionError(err, target)));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', (err) => reject(connectionError(err, target)));
    req.end();
  });
}

/** The ways a user picks an engine, as docker has them. */
const CHOOSE = '-H, DOCKER_HOST, --context, DOCKER_CONTEXT or `docker context use`';

export function connectionError(err: NodeJS.ErrnoException, target: EngineTarget): SafedockError {
  const where = target.display;
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
      return new SafedockError(`permission denied while connecting to the Docker engine at ${where}`, {
        code: 'engine-permission',
        cause: err,
        hint:
          target.kind === 'unix'
            ? `Your user may not open ${target.socketPath}: add it to the socket's group (usually "docker": sudo usermod -aG docker $USER, then log in again), or run safedock as root.`
            : "Check the engine's TLS certificates (DOCKER_CERT_PATH, --tlscert, or the context's) and its access rules.",
      });
    case 'ENOENT':
    case 'ECONNREFUSED':
    case 'ENOTSOCK':
      return new SafedockError(
        `cannot connect to the Docker engine at ${where}: no engine is listening there (${err.code})`,
        {
          code: 'engine-unreachable',
          cause: err,
          hint:
            target.kind === 'unix'
              ? `Start the engine (sudo systemctl start docker, or run dockerd), or choose one that runs: ${CHOOSE}.`
              : `Check that the engine listens on that address and port, or choose another: ${CHOOSE}.`,
        },
      );
    case 'ESSH':
      return new SafedockError(`cannot connect to the Docker engine at ${where}: ${err.message}`, {
        code: 'engine-unreachable',
        cause: err,
        hint: 'Check that `ssh HOST docker version` works from this shell (keys, known_hosts, docker on the remote host).',
      });
    default:
      return new SafedockError(`cannot connect to the Docker engine at ${where}: ${err.message}`, {
        code: 'engine-unreachable',
        cause: err,
        hint: `Check the engine's address and that the engine is running; choose another with ${CHOOSE}.`,
      });
  }
}
