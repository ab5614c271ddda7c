import type DockerodeType from 'dockerode';

let cached: typeof DockerodeType | undefined;

/**
 * Loads dockerode on first use, so that commands which never reach the engine do not pay for
 * it. In the bundled run path (scripts/bundle.mjs) this import is inlined, with dockerode's
 * unused transports (SSH, BuildKit's gRPC session) deferred until something calls them.
 */
export async function loadDockerode(): Promise<typeof DockerodeType> {
  cached ??= (await import('dockerode')).default;
  return cached;
}
