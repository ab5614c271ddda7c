/** A Node file-system error phrased like Go's *PathError: "open /x: no such file or directory". */
const TEXTS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many levels of symbolic links',
  EPERM: 'operation not permitted',
};

export function goFsError(err: unknown, path: string): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  const op = code === 'EISDIR' ? 'read' : 'open';
  return `${op} ${path}: ${TEXTS[code] ?? (err instanceof Error ? err.message : String(err))}`;
}
