/**
 * What the image's own configuration changes about a hardened run: whether its user is root (a
 * preset's non-root user replaces it), and which VOLUME paths stay writable under a read-only root.
 */
import type { ImageFacts } from '../engine/engine.js';
import { mountTarget } from '../model/mounts.js';
import type { RunSpec } from '../model/run-spec.js';
import { resolveUser, type ImageAccounts } from '../policy/image-accounts.js';

/**
 * Whether the image's user is root. With the image's account files, as the engine resolves it (a
 * USER app that /etc/passwd maps to uid 0 is root); without them, by name: empty, `root`, `0`.
 */
export function imageRunsAsRoot(user: string, accounts?: ImageAccounts): boolean {
  if (accounts !== undefined) {
    const resolved = resolveUser(user, [], accounts);
    // A user the engine cannot resolve is judged by the policy (SD135); tailoring keeps it.
    if (!('error' in resolved)) return resolved.uid === 0;
  }
  const name = user.split(':')[0]?.trim() ?? '';
  return name === '' || name === 'root' || /^[+-]?0+$/.test(name);
}

/**
 * An image's VOLUME paths get writable anonymous volumes even under a read-only root: they are
 * reported, unless the run mounts something there itself.
 */
export function volumeNotes(spec: RunSpec, image: ImageFacts | undefined): string[] {
  if (!spec.readOnly || !image || image.volumes.length === 0) return [];
  const mounted = new Set(spec.mounts.map(mountTarget));
  return image.volumes
    .filter((path) => !mounted.has(path.replace(/\/+$/, '') || '/'))
    .map(
      (path) =>
        `VOLUME ${path} of the image stays writable despite --read-only (an anonymous volume); --tmpfs ${path} keeps it in memory`,
    );
}
