import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { SafedockError } from '../errors.js';

/** Where the engine listens, resolved from the environment as the docker CLI does. */
export type EngineTarget =
  | { kind: 'unix'; socketPath: string; display: string }
  | { kind: 'tcp'; host: string; port: number; tls: TlsFiles | undefined; display: string };

export interface TlsFiles {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

export const DEFAULT_SOCKET = '/var/run/docker.sock';

/**
 * DOCKER_HOST (unix:// or tcp://), DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, else the default socket.
 * Certificates are read from DOCKER_CERT_PATH (default ~/.docker) when TLS verification is on.
 */
export function resolveEngineTarget(env: NodeJS.ProcessEnv): EngineTarget {
  const host = env.DOCKER_HOST?.trim();
  if (!host) return { kind: 'unix', socketPath: DEFAULT_SOCKET, display: `unix://${DEFAULT_SOCKET}` };
  if (host.startsWith('unix://')) {
    const socketPath = host.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw badHost(host, 'the socket path must be absolute');
    return { kind: 'unix', socketPath, display: host };
  }
  if (host.startsWith('tcp://') || host.startsWith('http://') || host.startsWith('https://')) {
    let url: URL;
    try {
      url = new URL(host.replace(/^tcp:/, 'http:'));
    } catch {
      throw badHost(host, 'expected tcp://HOST:PORT');
    }
    const verify = isTruthy(env.DOCKER_TLS_VERIFY);
    const port = url.port ? Number(url.port) : verify ? 2376 : 2375;
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    return {
      kind: 'tcp',
      host: hostname,
      port,
      tls: verify ? readTls(env.DOCKER_CERT_PATH || join(homedir(), '.docker')) : undefined,
      display: `${verify ? 'tcp (TLS)' : 'tcp'}://${url.host}`,
    };
  }
  throw badHost(host, 'safedock reaches engines over unix:// sockets and tcp:// (with DOCKER_TLS_VERIFY for TLS)');
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

function readTls(dir: string): TlsFiles {
  const read = (name: string): Buffer => {
    const file = join(dir, name);
    try {
      return readFileSync(file);
    } catch (cause) {
      throw new SafedockError(`cannot read TLS file ${file}: ${(cause as Error).message}`, {
        code: 'engine-tls',
        cause,
        hint: 'DOCKER_TLS_VERIFY is set: put ca.pem, cert.pem and key.pem in DOCKER_CERT_PATH (default ~/.docker).',
      });
    }
  };
  return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
}

function badHost(host: string, expected: string): SafedockError {
  // A user name and password in the address are never printed.
  const shown = host.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@');
  return new SafedockError(`DOCKER_HOST=${shown} is not an engine address safedock can use: ${expected}`, {
    code: 'engine-host',
    hint: 'Set DOCKER_HOST to unix:///var/run/docker.sock or tcp://HOST:2376, or unset it.',
  });
}
