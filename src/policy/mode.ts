import { UsageError } from '../errors.js';

/**
 * What risky settings meet:
 * - warn:    findings are reported; the run goes ahead.
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

/**
 * The mode for a run: --policy, then SAFEDOCK_POLICY, then ask when a person can answer on a
 * terminal and CI is not set, else enforce.
 */
export function resolveMode(flag: string | undefined, env: NodeJS.ProcessEnv, terminal: boolean): PolicyMode {
  if (flag !== undefined) return parseMode(flag, '"--policy" flag');
  const fromEnv = env.SAFEDOCK_POLICY;
  if (fromEnv !== undefined && fromEnv !== '') return parseMode(fromEnv, 'SAFEDOCK_POLICY');
  return terminal && !isCi(env) ? 'ask' : 'enforce';
}
