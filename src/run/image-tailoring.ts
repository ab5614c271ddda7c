/**
 * What the image's own configuration changes about a hardened run, where that is sound without
 * learning: whether its user is root (a preset's non-root user replaces it), which VOLUME paths
 * stay writable under a read-only root (docker's anonymous volumes, reported), and the folders the
 * image itself declares transient (label io.safedock.tmpfs), which get a tmpfs owned by the
 * container's user. Nothing is guessed from names or environment variables: a pid file's folder
 * may hold data (PostgreSQL keeps postmaster.pid in its data folder), so such paths are for
 * safedock learn, which proves what it proposes.
 */
import { posix } from 'node:path';
import type { ImageFacts } from '../engine/engine.js';
import { mountTarget } from '../model/mounts.js';
import { provenanceKey, type SpecLayer } from '../model/provenance.js';
import type { RunSpec } from '../model/run-spec.js';
import { resolveUser, type ImageAccounts } from '../policy/image-accounts.js';
import { NEVER_COVER } from './system-folders.js';

/** The image label that names its transient folders: absolute paths, separated by commas or spaces. */
export const TRANSIENT_LABEL = 'io.safedock.tmpfs';
/** At most this many folders are taken from the label (an image's label is not a place for hundreds). */
const MAX_TRANSIENT = 16;
/** Under these a mount is the kernel's or the engine's business, never an image's. */
const KERNEL_TREES = ['/proc', '/sys', '/dev'];

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

/**
 * A tmpfs for each folder the image's label io.safedock.tmpfs declares transient, under a
 * read-only root only (a writable root needs none), owned by the container's user when its ids are
 * numbers (else world-writable with the sticky bit, as docker makes a tmpfs by default). docker's
 * tmpfs defaults stay (noexec, nosuid, nodev). A folder the preset or your flags already mount is
 * left to them; a system folder (/etc, /usr, …), a path under /proc, /sys or /dev, or one that is
 * not absolute and plain is refused with a note.
 */
export function transientTmpfs(
  spec: RunSpec,
  image: ImageFacts | undefined,
  accounts?: ImageAccounts,
): { layer: SpecLayer; notes: string[] } {
  const layer: SpecLayer = { spec: {}, provenance: new Map() };
  const notes: string[] = [];
  const label = image?.labels?.[TRANSIENT_LABEL];
  if (!spec.readOnly || label === undefined) return { layer, notes };
  const mounted = new Set(spec.mounts.map(mountTarget));
  const owner = userIds(spec.user !== '' ? spec.user : (image?.user ?? ''), accounts);
  const paths = [...new Set(label.split(/[\s,]+/).filter((p) => p !== ''))];
  const mounts: RunSpec['mounts'] = [];
  for (const path of paths.slice(0, MAX_TRANSIENT)) {
    const refusal = refuseTransient(path);
    if (refusal !== undefined) {
      notes.push(`the image's label ${TRANSIENT_LABEL} names ${JSON.stringify(path)}: ignored, ${refusal}`);
      continue;
    }
    if (mounted.has(path)) continue;
    const options = owner === undefined ? '' : `uid=${owner.uid},gid=${owner.gid}`;
    const text = options === '' ? path : `${path}:${options}`;
    mounts.push({ via: 'tmpfs', target: path, options });
    const origin = {
      source: { kind: 'image' as const, reason: `The image's label ${TRANSIENT_LABEL} names ${path} as transient.` },
      flag: 'tmpfs',
      text,
    };
    layer.provenance.set(provenanceKey('mounts', path), origin);
    layer.provenance.set('mounts', origin);
    notes.push(
      `the image names ${path} as transient (label ${TRANSIENT_LABEL}): a tmpfs there${owner === undefined ? '' : ` owned by ${owner.uid}:${owner.gid}`} (--tmpfs ${text}); your own --tmpfs or -v there wins`,
    );
  }
  if (paths.length > MAX_TRANSIENT)
    notes.push(
      `the image's label ${TRANSIENT_LABEL} names ${paths.length} folders; only the first ${MAX_TRANSIENT} are taken`,
    );
  if (mounts.length > 0) layer.spec.mounts = mounts;
  return { layer, notes };
}

/** Why a path from the label is not mounted, or undefined when it may be. */
function refuseTransient(path: string): string | undefined {
  if (NEVER_COVER.has(path)) return 'it is a system folder a tmpfs would hide';
  if (!path.startsWith('/') || posix.normalize(path) !== path || path.endsWith('/') || path.includes('..'))
    return 'it is not an absolute, plain path';
  if (KERNEL_TREES.some((t) => path === t || path.startsWith(`${t}/`))) return 'it is under /proc, /sys or /dev';
  return undefined;
}

/**
 * The user's ids: resolved in the image's account files as the engine does, when they were read;
 * else `uid[:gid]` as numbers (a lone uid's group is 0, as runc makes it), undefined for names.
 */
function userIds(user: string, accounts: ImageAccounts | undefined): { uid: number; gid: number } | undefined {
  if (accounts !== undefined) {
    const resolved = resolveUser(user, [], accounts);
    if (!('error' in resolved)) return { uid: resolved.uid, gid: resolved.gid };
  }
  const match = /^(\d+)(?::(\d+))?$/.exec(user);
  if (match === null) return user === '' ? { uid: 0, gid: 0 } : undefined;
  return { uid: Number(match[1]), gid: Number(match[2] ?? '0') };
}
