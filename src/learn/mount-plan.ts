/**
 * Where to mount something writable so that a program can write what it writes, under a read-only
 * root. Pure: the written paths and what the image holds in their folders in, mount choices out.
 *
 * - A folder the image leaves empty, or fills only with placeholders (empty files and folders, as
 *   packages leave for logs and run files), gets a tmpfs owned by the container's user: the program
 *   recreates what it needs, and nothing outlives the container.
 * - A folder the image fills with data (a database's data folder) gets a named volume: the engine
 *   copies the image's content, owners and modes into a new volume on first use, and the data lasts.
 * - A folder the program makes gets a tmpfs of its own (one on its parent would hide the parent's
 *   other folders), unless it makes several side by side in a folder without data: then that folder.
 * - The system's own folders are never covered: a mount on /etc or /usr would hide the image's
 *   files or make its programs writable. A file written straight into one has no narrower fix.
 */
import { posix } from 'node:path';
import { NEVER_COVER } from '../run/system-folders.js';

export { NEVER_COVER };

/** A path the program wrote (or tried to). */
export interface Written {
  path: string;
  /** Whether it is (or was being made as) a folder. */
  isDir: boolean;
}

/** What the image holds in a folder, apart from what the program wrote. */
export interface FolderFacts {
  exists: boolean;
  /** A non-empty file, a link or a special file: content a tmpfs would hide. */
  data?: string;
}

export interface MountChoice {
  kind: 'tmpfs' | 'volume';
  path: string;
  /** The written paths this mount makes writable. */
  for: string[];
  /** For a volume: an example of the data the image holds there. */
  data?: string;
}

export interface MountPlan {
  mounts: MountChoice[];
  /** Written paths no mount can cover without hiding or exposing the system's own files. */
  uncoverable: Written[];
}

const parentOf = (path: string): string => posix.dirname(path);
const coverable = (folder: string): boolean => !NEVER_COVER.has(folder);
const inside = (path: string, folder: string): boolean => folder === '/' || path.startsWith(`${folder}/`);

/** The folders whose facts planMounts needs for these written paths. */
export function foldersToInspect(written: readonly Written[]): string[] {
  return [...new Set(written.map((w) => parentOf(w.path)).filter(coverable))].sort();
}

export function planMounts(written: readonly Written[], folders: ReadonlyMap<string, FolderFacts>): MountPlan {
  const chosen: MountChoice[] = [];
  const uncoverable: Written[] = [];
  for (const w of written) {
    const parent = parentOf(w.path);
    const facts = folders.get(parent);
    let choice: MountChoice | undefined;
    // A folder the program makes gets its own tmpfs: one over its parent would hide the parent's
    // other folders (a tmpfs on /run hides /run/lock). A file needs its folder covered.
    if (w.isDir && coverable(w.path)) choice = { kind: 'tmpfs', path: w.path, for: [w.path] };
    else if (!w.isDir && coverable(parent))
      choice =
        facts?.data === undefined
          ? { kind: 'tmpfs', path: parent, for: [w.path] }
          : { kind: 'volume', path: parent, for: [w.path], data: facts.data };
    if (choice === undefined) uncoverable.push(w);
    else chosen.push(choice);
  }
  // Several folders made side by side in a folder without data: one tmpfs on that folder.
  const byParent = new Map<string, MountChoice[]>();
  for (const c of chosen)
    if (c.kind === 'tmpfs' && c.for.length === 1 && c.for[0] === c.path)
      byParent.set(parentOf(c.path), [...(byParent.get(parentOf(c.path)) ?? []), c]);
  for (const [parent, siblings] of byParent) {
    if (siblings.length < 2 || !coverable(parent) || folders.get(parent)?.data !== undefined) continue;
    for (const s of siblings) s.path = parent;
  }
  // One mount per folder; a mount inside another of the same kind (or inside a volume) is not needed.
  const merged: MountChoice[] = [];
  for (const c of chosen.sort((a, b) => a.path.length - b.path.length || (a.path < b.path ? -1 : 1))) {
    const same = merged.find((m) => m.path === c.path);
    if (same !== undefined) {
      same.for.push(...c.for.filter((p) => !same.for.includes(p)));
      continue;
    }
    const outer = merged.find((m) => inside(c.path, m.path) && (m.kind === c.kind || m.kind === 'volume'));
    if (outer !== undefined) {
      outer.for.push(...c.for.filter((p) => !outer.for.includes(p)));
      continue;
    }
    merged.push({ ...c, for: [...c.for] });
  }
  return { mounts: merged, uncoverable };
}

/** Whether a path lies at or below one of these mount points. */
export function coveredBy(path: string, mounts: readonly string[]): string | undefined {
  return mounts.find((m) => path === m || inside(path, m));
}
