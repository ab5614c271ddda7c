import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';

interface CodeCache {
  loadCached: (file: string, env: NodeJS.ProcessEnv) => { exports: unknown; save: (depth: number) => void };
}

/** A library a command calls, and how to let its code cache keep what this run compiled. */
export interface Bundled<T> {
  lib: T;
  /** depth 1: the command stopped early (bad input); 2: it went all the way. */
  done: (depth: number) => void;
}

/**
 * A library scripts/bundle.mjs bundled (dist/NAME.bundle.cjs), loaded with the code cache the run
 * path uses (bin/code-cache.js) when safedock runs from dist/: one cached script instead of a
 * hundred modules. From the sources (bin/dev.js, tests) it is the module itself, `fromSources`.
 * The library must keep its errors inside (it returns exit codes), as its copy of each class is
 * its own.
 */
export async function loadBundled<T>(name: string, fromSources: () => Promise<T>): Promise<Bundled<T>> {
  if (!import.meta.url.includes('/dist/')) return { lib: await fromSources(), done: () => undefined };
  const { loadCached } = createRequire(import.meta.url)(join(packageRoot, 'bin', 'code-cache.js')) as CodeCache;
  const bundle = loadCached(join(packageRoot, 'dist', `${name}.bundle.cjs`), process.env);
  return { lib: bundle.exports as T, done: (depth) => bundle.save(depth) };
}
