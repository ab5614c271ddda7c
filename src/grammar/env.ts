import { ValueError } from './value-error.js';

/** Replace what follows the first "=" so that a value never reaches an error message. */
export function redactValue(entry: string): string {
  const eq = entry.indexOf('=');
  return eq < 0 || eq === entry.length - 1 ? entry : `${entry.slice(0, eq + 1)}***`;
}

/**
 * docker's opts.ValidateEnv for one -e value: KEY=VALUE kept; a bare KEY takes the caller's value
 * when set, else stays bare (the daemon then unsets it). An empty name is an error.
 */
export function validateEnv(value: string, env: NodeJS.ProcessEnv): string {
  const eq = value.indexOf('=');
  const key = eq < 0 ? value : value.slice(0, eq);
  if (key === '') throw new ValueError(`invalid environment variable: ${redactValue(value)}`);
  if (eq >= 0) return value;
  const fromEnv = env[key];
  return fromEnv === undefined ? value : `${key}=${fromEnv}`;
}

/**
 * The -e list after docker's proxy-config round trip (a Go map): one entry per key, the last value
 * winning. docker's map order is random; this keeps each key where it first appeared.
 */
export function dedupeEnv(entries: readonly string[]): string[] {
  const byKey = new Map<string, string>();
  for (const e of entries) {
    const eq = e.indexOf('=');
    const key = eq < 0 ? e : e.slice(0, eq);
    byKey.set(key, e);
  }
  return [...byKey.values()];
}
