import { request as httpRequest } from 'node:http';
import { SafedockError } from '../errors.js';
import type { EngineTarget } from './target.js';

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

/**
 * Asks the engine which API it speaks, as the docker CLI does: the API-Version header of the
 * unversioned /_ping (a few milliseconds), falling back to /version for engines that do not send
 * it. This is the first contact with the engine, so it turns connection failures into the
 * messages users need: which address was tried and how to get an engine there.
 */
export async function queryEngineVersion(target: EngineTarget, timeoutMs = 30_000): Promise<EngineVersion> {
  const ping = await get(target, '/_ping', timeoutMs);
  const header = ping.headers['api-version'];
  const server = String(ping.headers.server ?? '');
  if (ping.status === 200 && typeof header === 'string' && header !== '') {
    return { apiVersion: header, engineVersion: /^Docker\/(\S+)/.exec(server)?.[1] ?? '' };
  }
  const version = await get(target, '/version', timeoutMs);
  if (version.status !== 200) {
    throw new SafedockError(
      `the engine at ${target.display} answered /version with HTTP ${version.status}: ${version.body.trim()}`,
      {
        code: 'engine-version',
      },
    );
  }
  try {
    const body = JSON.parse(version.body) as { ApiVersion?: string; Version?: string };
    return { apiVersion: body.ApiVersion ?? '', engineVersion: body.Version ?? '' };
  } catch (cause) {
    throw new SafedockError(`the engine at ${target.display} sent an unreadable /version answer`, {
      code: 'engine-version',
      cause,
    });
  }
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One unversioned GET to the engine, outside dockerode: used before dockerode is configured. */
export async function get(target: EngineTarget, path: string, timeoutMs: number): Promise<RawResponse> {
  // https (with tls and crypto) is loaded only for TLS engines: a unix socket needs none of it.
  const send = target.kind === 'tcp' && target.tls ? (await import('node:https')).request : httpRequest;
  return new Promise((resolve, reject) => {
    const options =
      target.kind === 'unix'
        ? { socketPath: target.socketPath, path, method: 'GET' }
        : {
            host: target.host,
            port: target.port,
            path,
            method: 'GET',
            ...(target.tls ? { ca: target.tls.ca, cert: target.tls.cert, key: target.tls.key } : {}),
          };
    const req = send(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', (err) => reject(connectionError(err, target)));
    req.end();
  });
}

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
            : "Check the TLS certificates in DOCKER_CERT_PATH and the engine's access rules.",
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
              ? 'Start the engine (sudo systemctl start docker, or run dockerd), or set DOCKER_HOST to an engine that is running.'
              : 'Check that the engine listens on that address and port, or unset DOCKER_HOST to use the local socket.',
        },
      );
    default:
      return new SafedockError(`cannot connect to the Docker engine at ${where}: ${err.message}`, {
        code: 'engine-unreachable',
        cause: err,
        hint: 'Check DOCKER_HOST and that the engine is running.',
      });
  }
}
