import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { SafedockError } from '../errors.js';

/**
 * Makes a folder and its missing parents, one level at a time: Node's recursive mkdir never returns
 * on a file system that answers mkdir strangely (under /proc it loops), and a parent that is a file
 * is named as such. `what` is how the user gave the folder (`-o deploy`), for the error.
 */
export function makeFolder(folder: string, what: string): void {
  const missing: string[] = [];
  for (let at = folder; ; at = dirname(at)) {
    const st = statOrMissing(at);
    if (st !== undefined) {
      if (!st.isDirectory()) {
        throw new SafedockError(`${what}: ${at} is a file, not a folder`, {
          code: 'usage',
          hint: 'Name a folder to write into (it is made when missing).',
        });
      }
      break;
    }
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      if (code === 'EEXIST') continue;
      throw new SafedockError(`${what}: cannot make the folder ${level} (${code})`, {
        code: 'usage',
        hint: 'Name a folder you can write in.',
      });
    }
  }
}

/** The path's status, or undefined when it is missing (or a parent on its way is a file). */
function statOrMissing(path: string): ReturnType<typeof statSync> {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw err;
  }
}
