/**
 * Compose's variable interpolation, so that a service is judged with the values docker-compose
 * will give it: `privileged: ${PRIV:-true}` is privileged unless PRIV says otherwise. The
 * variables are the environment's, then the project folder's `.env` (the environment wins, as in
 * Compose). Forms: `$$` (a dollar), `$NAME`, `${NAME}`, `${NAME:-default}` / `${NAME-default}`
 * (empty or unset / unset), `${NAME:+alt}` / `${NAME+alt}`, `${NAME:?message}` / `${NAME?message}`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export class InterpolationError extends Error {}

/** The variables docker-compose would use in `dir`. */
export function composeVariables(dir: string, env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const vars: Record<string, string | undefined> = {};
  let text = '';
  try {
    text = readFileSync(join(dir, '.env'), 'utf8');
  } catch {
    // No .env: the environment alone.
  }
  for (const line of text.split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m === null || m[1] === undefined) continue;
    const raw = m[2] ?? '';
    vars[m[1]] = /^(["']).*\1$/.test(raw) ? raw.slice(1, -1) : raw;
  }
  return { ...vars, ...env };
}

const TOKEN = /\$(?:(\$)|([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])((?:[^{}]|\{[^{}]*\})*))?\})/g;

/** One string interpolated. */
export function interpolate(text: string, vars: Readonly<Record<string, string | undefined>>): string {
  return text.replace(
    TOKEN,
    (
      _,
      dollar: string | undefined,
      bare: string | undefined,
      name: string | undefined,
      op: string | undefined,
      arg: string | undefined,
    ) => {
      if (dollar !== undefined) return '$';
      const key = bare ?? name ?? '';
      const value = vars[key];
      const set = value !== undefined;
      const nonEmpty = set && value !== '';
      const inner = (): string => interpolate(arg ?? '', vars);
      switch (op) {
        case ':-':
          return nonEmpty ? value : inner();
        case '-':
          return set ? value : inner();
        case ':+':
          return nonEmpty ? inner() : '';
        case '+':
          return set ? inner() : '';
        case ':?':
        case '?':
          if (op === ':?' ? nonEmpty : set) return value ?? '';
          throw new InterpolationError(`${key}: ${inner() || 'required variable is missing a value'}`);
        default:
          return value ?? '';
      }
    },
  );
}

/** Every string in a parsed document interpolated (keys stay as written). */
export function interpolateDocument(value: unknown, vars: Readonly<Record<string, string | undefined>>): unknown {
  if (typeof value === 'string') return interpolate(value, vars);
  if (Array.isArray(value)) return value.map((v) => interpolateDocument(v, vars));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDocument(v, vars)]));
  return value;
}
