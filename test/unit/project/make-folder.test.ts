/** makeFolder: parents made one level at a time; a file on the way and a folder that cannot be made are named. */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeFolder } from '../../../src/project/make-folder.js';

const dir = mkdtempSync(join(tmpdir(), 'safedock-mkfolder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('makeFolder', () => {
  it('makes the missing parents, and takes an existing folder as it is', () => {
    makeFolder(join(dir, 'a', 'b', 'c'), '-o a/b/c');
    expect(existsSync(join(dir, 'a', 'b', 'c'))).toBe(true);
    expect(() => makeFolder(join(dir, 'a', 'b'), '-o a/b')).not.toThrow();
  });

  it('names a file where a folder is wanted, itself or a parent', () => {
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => makeFolder(join(dir, 'file'), '-o file')).toThrow(
      `-o file: ${join(dir, 'file')} is a file, not a folder`,
    );
    expect(() => makeFolder(join(dir, 'file', 'sub'), '-o file/sub')).toThrow(
      `-o file/sub: ${join(dir, 'file')} is a file, not a folder`,
    );
  });

  it('fails at once, with the reason, where the file system refuses (procfs, where a recursive mkdir loops)', () => {
    expect(() => makeFolder('/proc/safedock-no-such', '-o /proc/safedock-no-such')).toThrow(
      /^-o \/proc\/safedock-no-such: cannot make the folder \/proc\/safedock-no-such \(E[A-Z]+\)$/,
    );
  });
});
