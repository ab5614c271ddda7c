import { readFileSync } from 'node:fs';

const cache = new Map<string, Buffer>();

/**
 * Reads a file once per run: safedock converts the flags twice (a check before any request, then
 * the real conversion), and `--env-file <(…)` or `--env-file /dev/stdin` is a pipe that can only
 * be read once. Errors are not cached, so they are thrown the same way each time.
 */
export function readOnce(path: string): Buffer {
  const hit = cache.get(path);
  if (hit !== undefined) return hit;
  const bytes = readFileSync(path);
  cache.set(path, bytes);
  return bytes;
}

/** Starts a new run: files read for an earlier run in the same process are read again. */
export function newReadScope(): void {
  cache.clear();
}
