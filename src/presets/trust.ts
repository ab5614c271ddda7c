/**
 * Which configuration files a run may read, like git's safe.directory: a project config or preset
 * applies to every run below its folder without asking, so a file (or a folder on the way to it)
 * that another user could write is ignored with a warning. Trusted: the invoking user's and root's
 * files, in folders nobody else can change (a sticky folder such as /tmp protects the entries of
 * their owners). SAFEDOCK_TRUSTED_FOLDERS (absolute folders separated by ':', or '*') trusts the
 * files below those folders whoever owns them, for checkouts owned by another uid in CI.
 */
import { lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { replaceablePart } from '../policy/engine-sockets.js';
import { hasAcl } from '../policy/host-acl.js';
import type { Invoker } from '../policy/facts.js';
import { invokingUser } from '../policy/host-user.js';

/** Why a file must not be read as configuration, or undefined when it may. */
export type TrustCheck = (file: string) => string | undefined;

export const TRUSTED_FOLDERS_VAR = 'SAFEDOCK_TRUSTED_FOLDERS';

function trustedFolders(env: NodeJS.ProcessEnv): string[] | '*' {
  const value = env[TRUSTED_FOLDERS_VAR]?.trim() ?? '';
  if (value === '*') return '*';
  return value
    .split(':')
    .filter((p) => isAbsolute(p))
    .map((p) => resolve(p));
}

const within = (path: string, folder: string): boolean =>
  path === folder || path.startsWith(folder.endsWith(sep) ? folder : `${folder}${sep}`);

export function configTrust(env: NodeJS.ProcessEnv, invoker: Invoker = invokingUser()): TrustCheck {
  const trusted = trustedFolders(env);
  const cache = new Map<string, string | undefined>();
  return (file) => {
    if (trusted === '*') return undefined;
    if (cache.has(file)) return cache.get(file);
    let why: string | undefined;
    try {
      const real = realpathSync(file);
      if (!trusted.some((f) => within(real, f) || within(resolve(file), f))) {
        const st = statSync(real);
        if (!mine(st.uid, invoker)) why = `it belongs to uid ${st.uid}, not to you (uid ${invoker.uid}) or root`;
        else if ((st.mode & 0o002) !== 0) why = 'every user may write to it';
        else if ((st.mode & 0o020) !== 0 && st.gid !== invoker.gid && st.gid !== 0)
          why = `group ${st.gid} may write to it`;
        else if ((st.mode & 0o020) !== 0 && hasAcl(real))
          why = 'its access control list may let other users write to it';
        else why = replaceablePart(real, invoker)?.why ?? linkProblem(resolve(file), invoker);
      }
    } catch {
      why = undefined; // a file that vanished is not read at all
    }
    cache.set(file, why);
    return why;
  };
}

const mine = (uid: number, invoker: Invoker): boolean => uid === invoker.uid || uid === 0;

/**
 * Why a symlink on the way to a file makes it untrusted: the file the path ends at may be yours,
 * but a link another user owns, or one in a folder another user can change, chooses which of your
 * (or root's) files is read, such as another project's acceptances. Each link met is checked where
 * it lies, then followed.
 */
function linkProblem(path: string, invoker: Invoker, hops = 0): string | undefined {
  let parent = '/';
  for (const part of path.split('/').filter((p) => p !== '')) {
    const here = join(parent, part);
    let st;
    try {
      st = lstatSync(here);
    } catch {
      return undefined;
    }
    if (!st.isSymbolicLink()) {
      parent = here;
      continue;
    }
    if (!mine(st.uid, invoker)) return `the symlink ${here} on the way to it belongs to uid ${st.uid}`;
    const replaceable = replaceablePart(here, invoker);
    if (replaceable !== undefined) return `the symlink ${here} on the way to it can be replaced: ${replaceable.why}`;
    // The kernel gives up after 40 links; so does this.
    if (hops >= 40) return `more than 40 symlinks on the way to it`;
    const target = resolve(dirname(here), readlinkSync(here));
    const inner = linkProblem(target, invoker, hops + 1);
    if (inner !== undefined) return inner;
    parent = realpathSync(here);
  }
  return undefined;
}

/** The warning for an ignored file. */
export function ignoredText(kind: string, file: string, why: string): string {
  return `ignored the ${kind} ${file}: ${why}; fix its owner or permissions, or set ${TRUSTED_FOLDERS_VAR} to a folder you trust`;
}
