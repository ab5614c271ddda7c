/**
 * A run's user as numbers, read from the image's /etc/passwd and /etc/group (Kubernetes' runAsUser
 * and runAsGroup take numbers only). Pure: the files come from the engine (src/engine).
 */
import type { NumericUser } from './export-context.js';

/** The first regular file in a tar archive (what the engine's archive endpoint sends for one path). */
export function tarFirstFile(tar: Buffer): string | undefined {
  let at = 0;
  while (at + 512 <= tar.length) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) return undefined;
    const size = Number.parseInt(header.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const body = at + 512;
    if (type === '0' || type === '\0') return tar.subarray(body, body + size).toString('utf8');
    at = body + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

function lookup(file: string | undefined, name: string, column: number): number | undefined {
  for (const line of (file ?? '').split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name && fields[column] !== undefined && /^\d+$/.test(fields[column]))
      return Number(fields[column]);
  }
  return undefined;
}

/**
 * `user[:group]` as numbers: numbers stay numbers, names are looked up; a user without a group
 * gets the primary group of its passwd entry. Undefined when a name is not in the files.
 */
export function numericUser(
  user: string,
  passwd: string | undefined,
  group: string | undefined,
): NumericUser | undefined {
  const [u = '', g] = user.split(':');
  const uid = u === '' ? 0 : /^\d+$/.test(u) ? Number(u) : lookup(passwd, u, 2);
  if (uid === undefined) return undefined;
  let gid: number | undefined;
  if (g !== undefined && g !== '') {
    gid = /^\d+$/.test(g) ? Number(g) : lookup(group, g, 2);
    if (gid === undefined) return undefined;
  } else if (/^\d+$/.test(u) || u === '') {
    const entry = (passwd ?? '').split('\n').find((l) => l.split(':')[2] === String(uid));
    const primary = entry?.split(':')[3];
    gid = primary !== undefined && /^\d+$/.test(primary) ? Number(primary) : undefined;
  } else {
    gid = lookup(passwd, u, 3);
  }
  return { uid, gid };
}

/** Whether resolving needs the image's files (a name somewhere, or no group given). */
export function needsImageUsers(user: string): boolean {
  const [u = '', g] = user.split(':');
  return !/^\d+$/.test(u) || g === undefined || (g !== '' && !/^\d+$/.test(g));
}
