import {
  closeSync,
  fchmodSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SafedockError } from '../errors.js';
import { randomHex } from '../hash.js';

/**
 * Writes a file so that readers see the old content or the new, never a part: the text goes to a
 * temporary file in the same folder (same filesystem), is flushed, then takes the file's place.
 *
 * `replace: false` refuses to touch a file that exists, even one created a moment ago by someone
 * else (the temporary file is hard-linked into place, which fails when the name is taken).
 * A replaced file keeps its permissions; a symbolic link is followed, so the link survives.
 * `executable` (a script): a new file is made as a compiler makes a program (0777 less the umask,
 * 0755 usually); a replaced one keeps its permissions, executable by whoever may read it.
 */
export function writeFileAtomic(file: string, text: string, options: { replace: boolean; executable?: boolean }): void {
  const target = isSymlink(file) ? realpathSync(file) : file;
  const existing = existingMode(target);
  const mode = existing !== undefined && options.executable === true ? existing | ((existing & 0o444) >> 2) : existing;
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}-${randomHex(4)}.tmp`);
  try {
    const fd = openSync(temp, 'wx', mode ?? (options.executable === true ? 0o777 : 0o666));
    try {
      if (mode !== undefined) fchmodSync(fd, mode);
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (options.replace) {
      renameSync(temp, target);
    } else {
      linkSync(temp, target);
      unlinkSync(temp);
    }
  } catch (err) {
    removeQuietly(temp);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new SafedockError(`${file} already exists`, {
        code: 'exists',
        exitCode: 1,
        hint: 'It appeared while safedock was writing; nothing of it was changed. Run the command again to decide about it.',
      });
    }
    throw new SafedockError(`cannot write ${file}: ${code ?? (err as Error).message}`, {
      code: 'write',
      exitCode: 1,
      cause: err,
      hint: 'Check that the folder exists and that you may write to it.',
    });
  }
}

function isSymlink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

function existingMode(file: string): number | undefined {
  try {
    return statSync(file).mode & 0o7777;
  } catch {
    return undefined;
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Never created, or already renamed into place.
  }
}
