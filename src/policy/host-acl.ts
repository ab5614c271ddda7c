/**
 * Whether a host file or folder carries a POSIX access control list. With one, the mode's group
 * bits are the list's mask: group write set may mean another named user may write, whatever the
 * owning group is. Node cannot read extended attributes, so GNU ls is asked (it marks such a file
 * with '+'); it is asked only about the rare file whose group may write, and when it cannot
 * answer the file is taken to carry a list (fail closed).
 */

const known = new Map<string, boolean>();

export function hasAcl(path: string): boolean {
  const seen = known.get(path);
  if (seen !== undefined) return seen;
  // Loaded on first use: a run that mounts no such file never pays for node:child_process.
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const ls = spawnSync('ls', ['-ld', '--', path], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  const mode = ls.status === 0 ? (ls.stdout.split(' ')[0] ?? '') : '';
  const acl = mode.length !== 10 || mode.endsWith('+');
  known.set(path, acl);
  return acl;
}
