import type { Engine, EngineFacts } from './engine-api.js';
import type { EngineSelection } from './select.js';

const SOURCES: Record<EngineSelection['source'], (context: string) => string> = {
  'context-flag': (c) => `context ${c}, from --context`,
  'host-flag': () => 'from -H',
  DOCKER_HOST: () => 'from DOCKER_HOST',
  DOCKER_CONTEXT: (c) => `context ${c}, from DOCKER_CONTEXT`,
  'current-context': (c) => `context ${c}, from \`docker context use\``,
  default: () => 'the default socket',
};

/**
 * One line naming the engine and why it was chosen, for --dry-run and explain:
 * `engine: unix:///run/user/1000/docker.sock (context rootless, from `docker context use`)`,
 * followed by what the engine said of itself when it answered (`; Podman 4.3.1, API 1.41, rootless`).
 */
export function describeEngine(
  selection: EngineSelection,
  facts?: Pick<EngineFacts, 'kind' | 'engineVersion' | 'apiVersion' | 'rootless'>,
): string {
  const why = SOURCES[selection.source](selection.context);
  const tls =
    selection.target.kind === 'tcp' && selection.target.tls !== undefined
      ? selection.target.tls.skipVerify
        ? ', TLS without verifying the server'
        : ', TLS'
      : '';
  const line = `engine: ${selection.target.display} (${why}${tls})`;
  if (facts === undefined) return line;
  const name = facts.kind === 'podman' ? 'Podman' : 'Docker Engine';
  const version = facts.engineVersion === '' ? '' : ` ${facts.engineVersion}`;
  return `${line}; ${name}${version}, API ${facts.apiVersion}${facts.rootless ? ', rootless' : ''}`;
}

/**
 * Lines for stderr about the engine once a run is planned: docker's warnings about its config (a
 * config.json it could not parse), and with -D or --log-level debug the engine line. (Limits the
 * engine accepts but does not enforce are a policy finding, SD170.)
 */
export function engineNotices(engine: Pick<Engine, 'selection' | 'facts'>): string[] {
  const { selection } = engine;
  return [...selection.warnings, ...(selection.debug ? [describeEngine(selection, engine.facts)] : [])];
}
