import { lstat, readdir, stat } from 'node:fs/promises';

/** Owner, group and permission bits of a host file, or why they could not be read. */
export type FileFacts =
  | {
      path: string;
      state: 'present';
      kind: 'file' | 'dir' | 'socket' | 'other';
      uid: number;
      gid: number;
      mode: number;
    }
  | { path: string; state: 'missing' }
  | { path: string; state: 'unreadable'; error: string };

/** stat(2) of a path, following symlinks (the engine uses the file the link points to). */
export async function fileFacts(path: string): Promise<FileFacts> {
  try {
    const s = await stat(path);
    const kind = s.isFile() ? 'file' : s.isDirectory() ? 'dir' : s.isSocket() ? 'socket' : 'other';
    return { path, state: 'present', kind, uid: s.uid, gid: s.gid, mode: s.mode & 0o7777 };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { path, state: 'missing' };
    return { path, state: 'unreadable', error: (err as Error).message };
  }
}

/** The files directly inside a folder and one level below it (/etc/docker/certs.d/HOST/*.crt). */
export async function filesTwoDeep(dir: string): Promise<string[]> {
  const out: string[] = [];
  let hosts: string[];
  try {
    hosts = await readdir(dir);
  } catch {
    return out;
  }
  for (const host of hosts.sort()) {
    const sub = `${dir}/${host}`;
    const s = await lstat(sub).catch(() => undefined);
    if (s?.isDirectory() !== true) continue;
    const names = await readdir(sub).catch(() => [] as string[]);
    for (const name of names.sort()) out.push(`${sub}/${name}`);
  }
  return out;
}

/** The gid of a group in the host's /etc/group text, or undefined. */
export function groupId(groupFile: string, name: string): number | undefined {
  for (const line of groupFile.split('\n')) {
    const [group, , gid] = line.split(':');
    if (group === name && gid !== undefined && /^\d+$/.test(gid)) return Number(gid);
  }
  return undefined;
}
