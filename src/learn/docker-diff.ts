/**
 * `docker diff`: what a container changed in its root filesystem, and which of those changes are
 * the program's own writes (the outermost change of each branch). Pure.
 */

export type ChangeKind = 'changed' | 'added' | 'deleted';

export interface Change {
  kind: ChangeKind;
  path: string;
}

/** The engine's Kind numbers and the docker CLI's letters, one table. */
const KINDS: ReadonlyArray<{ kind: ChangeKind; code: number; letter: string }> = [
  { kind: 'changed', code: 0, letter: 'C' },
  { kind: 'added', code: 1, letter: 'A' },
  { kind: 'deleted', code: 2, letter: 'D' },
];

/** The engine's answer to GET /containers/ID/changes. Unknown kinds are refused, never guessed. */
export function changesFromApi(list: ReadonlyArray<{ Path: string; Kind: number }>): Change[] {
  return list.map(({ Path, Kind }) => {
    const row = KINDS.find((k) => k.code === Kind);
    if (row === undefined) throw new Error(`the engine reported a change of unknown kind ${String(Kind)} for ${Path}`);
    return { kind: row.kind, path: Path };
  });
}

/** `docker diff` output: one `A /path` line per change; blank lines are skipped. */
export function parseDiffText(text: string): Change[] {
  const changes: Change[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trimEnd();
    if (line === '') continue;
    const row = KINDS.find((k) => line.startsWith(`${k.letter} /`));
    if (row === undefined) throw new Error(`line ${String(index + 1)} of the diff is not "A|C|D /path": ${line}`);
    changes.push({ kind: row.kind, path: line.slice(2) });
  }
  return changes;
}

/**
 * The program's own writes: every added, deleted or changed path that is not merely a folder
 * holding another change (a `C` folder with changes below it), and not inside an added folder
 * (the added folder is the write). Sorted by path.
 */
export function writtenPaths(changes: readonly Change[]): Change[] {
  const paths = new Set(changes.map((c) => c.path));
  const hasChangeBelow = (path: string): boolean => [...paths].some((p) => p.startsWith(`${path}/`));
  const added = changes.filter((c) => c.kind === 'added').map((c) => c.path);
  const insideAdded = (path: string): boolean => added.some((a) => path.startsWith(`${a}/`));
  return changes
    .filter((c) => !(c.kind === 'changed' && hasChangeBelow(c.path)) && !insideAdded(c.path))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
