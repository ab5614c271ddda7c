import { UsageError } from '../errors.js';

/**
 * What risky settings meet:
 * - warn:    findings are reported; the run goes ahead, its high and critical findings stamped in
 *            labels as warned-through. With CI set, critical ones still need --accept.
 * - ask:     high and critical findings that nobody accepted need a yes on the terminal.
 * - enforce: high and critical findings that nobody accepted refuse the run (exit 125).
 */
export const POLICY_MODES = ['warn', 'ask', 'enforce'] as const;
export type PolicyMode = (typeof POLICY_MODES)[number];

/** CI systems set CI (GitHub Actions, GitLab, Jenkins via plugins, CircleCI, …); "false" and "0" mean not CI. */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

function parseMode(value: string, origin: string): PolicyMode {
  const mode = value.trim().toLowerCase();
  if ((POLICY_MODES as readonly string[]).includes(mode)) return mode as PolicyMode;
  throw new UsageError(
    `invalid argument "${value}" for ${origin}: expected one of ${POLICY_MODES.join(', ')}`,
    'warn reports risky settings, ask puts a y/N question on the terminal, enforce refuses high and critical ones unless accepted.',
  );
}

/** Where a run's mode came from: the --policy flag, SAFEDOCK_POLICY, or the default (terminal and CI). */
export type ModeSource = '--policy' | 'SAFEDOCK_POLICY' | 'default';

/**
 * The mode for a run and where it came from: --policy, then SAFEDOCK_POLICY, then ask when a
 * person can answer on a terminal and CI is not set, else enforce.
 */
export function resolveModeFrom(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  terminal: boolean,
): { mode: PolicyMode; from: ModeSource } {
  if (flag !== undefined) return { mode: parseMode(flag, '"--policy" flag'), from: '--policy' };
  const fromEnv = env.SAFEDOCK_POLICY;
  if (fromEnv !== undefined && fromEnv !== '')
    return { mode: parseMode(fromEnv, 'SAFEDOCK_POLICY'), from: 'SAFEDOCK_POLICY' };
  return { mode: terminal && !isCi(env) ? 'ask' : 'enforce', from: 'default' };
}

export function resolveMode(flag: string | undefined, env: NodeJS.ProcessEnv, terminal: boolean): PolicyMode {
  return resolveModeFrom(flag, env, terminal).mode;
}
