import { initError } from './global-options.js';

/**
 * Where the engine listens and how to reach it. `display` is the address as docker prints it
 * (`unix:///var/run/docker.sock`, `tcp://10.0.0.5:2376`, `ssh://me@host`), never with a password.
 */
export type EngineTarget =
  | { kind: 'unix'; socketPath: string; display: string }
  | { kind: 'tcp'; host: string; port: number; tls: TlsFiles | undefined; display: string }
  | { kind: 'ssh'; host: string; port: number | undefined; user: string | undefined; display: string };

/**
 * TLS material for a tcp engine. docker always trusts only the given CA when it has one; with
 * `skipVerify` (--tls without --tlsverify, or a context's skip-tls-verify) the server's
 * certificate is not checked.
 */
export interface TlsFiles {
  ca: Buffer | undefined;
  cert: Buffer | undefined;
  key: Buffer | undefined;
  skipVerify: boolean;
}

export const DEFAULT_SOCKET = '/var/run/docker.sock';
const DEFAULT_HOST = `unix://${DEFAULT_SOCKET}`;
const DEFAULT_TCP_PORT = '2375';
const DEFAULT_TLS_HOST = 'tcp://localhost:2376';

/**
 * docker's ParseHost: an -H/DOCKER_HOST value → the address it connects to. Empty means the
 * default socket (tcp://localhost:2376 when TLS is on); a bare `HOST[:PORT]` is tcp; tcp without
 * a port gets 2375 (also with TLS, as docker does); unix without a path the default socket.
 * Throws docker's "invalid bind address format" and "invalid proto" errors.
 */
export function parseHost(value: string, defaultToTls: boolean): string {
  const host = value.trim();
  if (host === '') return defaultToTls ? DEFAULT_TLS_HOST : DEFAULT_HOST;
  const sep = host.indexOf('://');
  const proto = sep < 0 ? 'tcp' : host.slice(0, sep);
  const rest = sep < 0 ? host : host.slice(sep + 3);
  switch (proto) {
    case 'tcp':
      return parseTcp(rest);
    case 'unix':
    case 'npipe': {
      // As docker: the scheme is taken off once more, so unix://unix:///x is unix:///x.
      const path = rest.startsWith(`${proto}://`) ? rest.slice(proto.length + 3) : rest;
      if (path.includes('://')) throw initError(`invalid proto, expected ${proto}: ${path}`);
      return `${proto}://${path === '' ? (proto === 'unix' ? DEFAULT_SOCKET : '//./pipe/docker_engine') : path}`;
    }
    case 'fd':
    case 'ssh':
      return host;
    default:
      throw initError(`invalid bind address format: ${host}`);
  }
}

/** docker's ParseTCPAddr on what follows tcp:// (its errors name that part only, as docker's do). */
function parseTcp(rest: string): string {
  if (rest === '' || rest === 'tcp://') return `tcp://localhost:${DEFAULT_TCP_PORT}`;
  const given = rest;
  rest = rest.startsWith('tcp://') ? rest.slice('tcp://'.length) : rest;
  if (rest.includes('://') || rest === '') throw initError(`invalid proto, expected tcp: ${given}`);
  let address = rest.endsWith(']:') ? `${rest}${DEFAULT_TCP_PORT}` : rest;
  const slash = address.indexOf('/');
  const path = slash < 0 ? '' : address.slice(slash);
  address = slash < 0 ? address : address.slice(0, slash);
  address = address.slice(address.lastIndexOf('@') + 1);
  // Go's url.Parse first: a port that is not digits fails there, with its own words.
  const colonPort = address.startsWith('[')
    ? address.slice(address.indexOf(']') + 1)
    : address.slice(address.lastIndexOf(':'));
  if (address.includes(':') && colonPort !== '' && !/^:\d*$/.test(colonPort)) {
    throw initError(`parse "tcp://${rest}": invalid port "${colonPort}" after host`);
  }
  const split = splitHostPort(address) ?? splitHostPort(joinHostPort(address, DEFAULT_TCP_PORT));
  if (split === undefined) throw initError(`invalid bind address format: ${given}`);
  const hostname = split.host === '' ? 'localhost' : split.host;
  const port = split.port === '' ? DEFAULT_TCP_PORT : split.port;
  // Go's strconv.Atoi: a number that does not fit still passes here and fails when dialled.
  if (!/^[+-]?\d+$/.test(port)) throw initError(`invalid bind address format: ${given}`);
  return `tcp://${joinHostPort(hostname, port)}${path}`;
}

/** Go's net.SplitHostPort: undefined where Go returns an error. */
function splitHostPort(address: string): { host: string; port: string } | undefined {
  if (address.startsWith('[')) {
    const end = address.indexOf(']');
    if (end < 0 || address[end + 1] !== ':') return undefined;
    const host = address.slice(1, end);
    const port = address.slice(end + 2);
    return port.includes(':') || host.includes('[') ? undefined : { host, port };
  }
  const colon = address.lastIndexOf(':');
  if (colon < 0 || address.indexOf(':') !== colon) return undefined;
  if (address.includes('[') || address.includes(']')) return undefined;
  return { host: address.slice(0, colon), port: address.slice(colon + 1) };
}

function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** An address parseHost returned → how to reach it. */
export function targetOf(host: string, tls: TlsFiles | undefined): EngineTarget {
  const display = hideSecret(host);
  if (host.startsWith('unix://')) return { kind: 'unix', socketPath: host.slice('unix://'.length), display };
  if (host.startsWith('tcp://')) {
    const authority = host.slice('tcp://'.length).split('/')[0] ?? '';
    const split = splitHostPort(authority.slice(authority.lastIndexOf('@') + 1));
    const port = Number(split?.port);
    if (split === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw initError(`invalid bind address format: ${display}`);
    }
    return { kind: 'tcp', host: split.host, port, tls, display };
  }
  if (host.startsWith('ssh://')) {
    let url: URL;
    try {
      url = new URL(host);
    } catch {
      throw initError(`invalid SSH URL: ${display}`);
    }
    if (url.password !== '') throw initError('plain-text password is not supported');
    if (url.pathname !== '' && url.pathname !== '/') throw initError(`extra path after the host: "${url.pathname}"`);
    if (url.hostname === '') throw initError('no host specified');
    return {
      kind: 'ssh',
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port === '' ? undefined : Number(url.port),
      user: url.username === '' ? undefined : decodeURIComponent(url.username),
      display,
    };
  }
  throw initError(
    `${display}: safedock reaches engines over unix://, tcp:// and ssh:// (${host.split(':')[0] ?? ''}:// is for other platforms or for the daemon itself)`,
  );
}

/** An address as it may be printed: a user name stays, a password never does. */
export function hideSecret(host: string): string {
  return host.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@:]*):[^/@]*@/i, '$1$2:***@');
}
