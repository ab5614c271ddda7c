/**
 * Values in the spellings Compose files use, shared by the compose and swarm renderers and read back
 * by src/export/from-compose.ts.
 */
import type { Healthcheck, RestartPolicy, RunSpec } from '../model/run-spec.js';
import { envSecret } from '../policy/env-secrets.js';

/** Nanoseconds in the largest unit that keeps them whole (Compose reads h, m, s, ms, us). */
export function composeDuration(ns: number): string {
  for (const [unit, size] of [
    ['h', 3_600_000_000_000],
    ['m', 60_000_000_000],
    ['s', 1_000_000_000],
    ['ms', 1_000_000],
    ['us', 1_000],
  ] as const) {
    if (ns % size === 0) return `${ns / size}${unit}`;
  }
  return `${Math.round(ns / 1000)}us`;
}

export function composeHealthcheck(h: Healthcheck): Record<string, unknown> {
  if (h.Test?.[0] === 'NONE') return { disable: true };
  const out: Record<string, unknown> = {};
  if (h.Test !== undefined) out.test = [...h.Test];
  if (h.Interval !== undefined) out.interval = composeDuration(h.Interval);
  if (h.Timeout !== undefined) out.timeout = composeDuration(h.Timeout);
  if (h.Retries !== undefined) out.retries = h.Retries;
  if (h.StartPeriod !== undefined) out.start_period = composeDuration(h.StartPeriod);
  return out;
}

export function composeRestart(r: RestartPolicy): string {
  return r.Name === 'on-failure' && r.MaximumRetryCount > 0 ? `on-failure:${r.MaximumRetryCount}` : r.Name;
}

/**
 * The environment as a mapping. Credentials are written without their value: Compose then takes
 * it from the environment it runs in, and the file can be shared. Returns the names so hidden.
 */
export function composeEnvironment(env: readonly string[]): {
  environment: Record<string, string | null>;
  hidden: string[];
} {
  const environment: Record<string, string | null> = {};
  const hidden: string[] = [];
  for (const entry of env) {
    const eq = entry.indexOf('=');
    const name = eq < 0 ? entry : entry.slice(0, eq);
    if (eq < 0) environment[name] = null;
    else if (envSecret(entry) !== undefined) {
      environment[name] = null;
      hidden.push(name);
    } else environment[name] = entry.slice(eq + 1);
  }
  return { environment, hidden };
}

/** One published port in the short syntax: `127.0.0.1:8080:80/tcp`, `[::1]:6000:6000/tcp`, `80/tcp`. */
export function composePort(p: RunSpec['ports'][number]): string {
  const host = p.hostIp.includes(':') ? `[${p.hostIp}]` : p.hostIp;
  if (host === '' && p.hostPort === '') return p.port;
  return `${host === '' ? '' : `${host}:`}${p.hostPort}:${p.port}`;
}

/** The network modes docker run names that are not networks of their own. */
export function isNetworkMode(target: string): boolean {
  return ['host', 'none', 'bridge', 'default'].includes(target) || target.startsWith('container:');
}
