/**
 * Who runs safedock, for the policy: the home folder comes from the passwd database, never from
 * HOME (which anyone who sets a run's environment controls: HOME=/etc would make /etc "your home"),
 * and the "your own home" exception is never taken for a system folder.
 */
import { userInfo } from 'node:os';
import { posix } from 'node:path';
import type { Invoker } from './facts.js';

/** The invoking user: uid, gid and home from the passwd database. */
export function invokingUser(): Invoker {
  try {
    const info = userInfo();
    return { uid: info.uid, gid: info.gid, home: info.homedir };
  } catch {
    // A uid without a passwd entry (containers often run so): no home folder at all.
    return { uid: process.getuid?.() ?? -1, gid: process.getgid?.() ?? -1, home: '' };
  }
}

/** Folders that are the system's own tree: no home folder below them is a person's. */
const SYSTEM_TREES = [
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/proc',
  '/run',
  '/sbin',
  '/sys',
  '/usr',
  '/var',
];

/**
 * Folders that are the system's, whoever's home they are: a passwd entry may say a service's home
 * is /, /proc or /var/lib/x, but a mount of them is never "your own files". /root counts as its
 * owner's home only for uid 0.
 */
const SYSTEM_FOLDERS = ['/', ...SYSTEM_TREES, '/opt', '/srv', '/mnt', '/media', '/tmp', '/nonexistent'];

const within = (path: string, folders: readonly string[]): boolean =>
  folders.some((s) => path === s || (s !== '/' && path.startsWith(`${s}/`)));

/**
 * Whether `home`, read from the passwd database (never HOME), holds the user's own files, such as
 * the ones they hand over with --secret: any folder but the root, the system's tree, or /root for
 * another user.
 */
export function isPersonalHome(home: string, uid: number): boolean {
  if (home === '' || !home.startsWith('/')) return false;
  const clean = posix.resolve(home);
  if (clean === '/root') return uid === 0;
  return clean !== '/' && !within(clean, SYSTEM_TREES);
}

/** Whether `home` may be treated as the invoking user's own home folder (its files ordinary to mount). */
export function isOwnHomeFolder(home: string, uid: number): boolean {
  if (home === '' || !home.startsWith('/')) return false;
  const clean = posix.resolve(home);
  if (clean === '/root') return uid === 0;
  return !within(clean, SYSTEM_FOLDERS);
}
