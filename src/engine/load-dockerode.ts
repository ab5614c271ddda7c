import { createRequire } from 'node:module';
import type DockerodeType from 'dockerode';

type ModuleWithLoad = { _load: (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown };

/**
 * Transports safedock never uses on the run path: docker-modem's SSH tunnel and dockerode's
 * BuildKit session (gRPC). Together they are most of dockerode's import time, so they are
 * loaded on first use instead of at import.
 */
const DEFERRED: ReadonlyArray<{ request: string; parentEnding: string }> = [
  { request: './ssh', parentEnding: '/docker-modem/lib/modem.js' },
  { request: './session', parentEnding: '/dockerode/lib/docker.js' },
];

let cached: typeof DockerodeType | undefined;

/** Loads dockerode once, with its unused transports deferred until something calls them. */
export function loadDockerode(): typeof DockerodeType {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const Module = require('node:module') as ModuleWithLoad;
  const original = Module._load;
  Module._load = function (request, parent, isMain) {
    const parentFile = parent?.filename?.replaceAll('\\', '/') ?? '';
    const deferred = DEFERRED.some((d) => d.request === request && parentFile.endsWith(d.parentEnding));
    if (!deferred) return original.call(this, request, parent, isMain);
    let real: ((...args: unknown[]) => unknown) | undefined;
    return (...args: unknown[]) => {
      real ??= original.call(Module, request, parent, false) as (...a: unknown[]) => unknown;
      return real(...args);
    };
  };
  try {
    cached = require('dockerode') as typeof DockerodeType;
  } finally {
    Module._load = original;
  }
  return cached;
}
