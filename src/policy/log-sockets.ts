/**
 * Log drivers that the engine connects to a unix socket of the host: syslog-address=unix:///…,
 * fluentd-address=unix:///… (any option of any driver whose value is a unix:// or unixgram://
 * address). The engine daemon, as root on the host, opens the socket and writes every line the
 * container prints to it, so a log address that is an engine socket hands the container's output
 * to the engine's API. Each such address is judged as a host path the engine writes to.
 */
import type { RunSpec } from '../model/run-spec.js';
import type { HostMount } from './host-mounts.js';
import type { FindingOrigin } from './types.js';

const UNIX_SCHEME = /^unix(?:gram)?:/i;

/**
 * The socket path the engine takes from a unix address: Go's url.Parse(...).Path, so a host part
 * (`unix://localhost/var/run/docker.sock`) is dropped and the path kept.
 */
function unixPath(value: string): string | undefined {
  if (!UNIX_SCHEME.test(value)) return undefined;
  try {
    const path = decodeURIComponent(new URL(value).pathname);
    return path.startsWith('/') ? path : undefined;
  } catch {
    return undefined;
  }
}

export function logSockets(spec: Pick<RunSpec, 'logDriver' | 'logOpts'>, origin: FindingOrigin): HostMount[] {
  const out: HostMount[] = [];
  for (const [key, value] of Object.entries(spec.logOpts)) {
    const path = unixPath(value.trim());
    if (path === undefined) continue;
    out.push({
      source: path,
      target: `log-opt:${key}`,
      readOnly: false,
      propagation: '',
      shown: `--log-driver ${spec.logDriver || 'json-file'} --log-opt ${key}=${value}`,
      origin,
      lead: `the ${spec.logDriver || 'json-file'} log driver's address `,
    });
  }
  return out;
}
