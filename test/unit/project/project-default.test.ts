import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { SafedockError } from '../../../src/errors.js';
import { saveProjectDefault } from '../../../src/project/project-default.js';
import { writeFileAtomic } from '../../../src/project/write-file-atomic.js';

const made: string[] = [];
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'safedock-pick-'));
  made.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('saving the project default (preset: in .safedock.yaml)', () => {
  it('creates the file with a comment saying what it is', async () => {
    const file = join(folder(), '.safedock.yaml');
    await saveProjectDefault(file, 'sandbox');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# safedock project config: /);
    expect(parse(text)).toEqual({ preset: 'sandbox' });
  });

  it('changes preset: and keeps every other field, comment and the layout', async () => {
    const file = join(folder(), '.safedock.yaml');
    const before = [
      '# team policy, see the wiki',
      'preset: strict # chosen in review',
      '',
      '# risks we accept here',
      'accept:',
      '  SD118: nginx starts as root and drops to www-data',
      '',
    ].join('\n');
    writeFileSync(file, before);
    await saveProjectDefault(file, 'compat');
    expect(readFileSync(file, 'utf8')).toBe(before.replace('preset: strict', 'preset: compat'));
  });

  it('adds preset: to a config that has none, and to one holding only comments', async () => {
    const dir = folder();
    const withAccept = join(dir, 'a.yaml');
    writeFileSync(withAccept, 'accept:\n  SD119: writes its cache\n');
    await saveProjectDefault(withAccept, 'web');
    expect(parse(readFileSync(withAccept, 'utf8'))).toEqual({ accept: { SD119: 'writes its cache' }, preset: 'web' });
    const onlyComment = join(dir, 'b.yaml');
    writeFileSync(onlyComment, '# nothing yet\n');
    await saveProjectDefault(onlyComment, 'web');
    expect(readFileSync(onlyComment, 'utf8')).toMatch(/^# nothing yet\n[\s\S]*preset: web\n$/);
  });

  it('leaves a broken file as it is and says so', async () => {
    const file = join(folder(), '.safedock.yaml');
    writeFileSync(file, 'preset: [unclosed\n');
    await expect(saveProjectDefault(file, 'web')).rejects.toThrow(/project config .*\.safedock\.yaml: invalid YAML/);
    writeFileSync(file, '- a list\n');
    await expect(saveProjectDefault(file, 'web')).rejects.toThrow(/expected a mapping such as "preset: strict"/);
    expect(readFileSync(file, 'utf8')).toBe('- a list\n');
  });

  it('keeps the file mode, follows a symbolic link, and leaves no temporary file', async () => {
    const dir = folder();
    const real = join(dir, 'shared.yaml');
    writeFileSync(real, 'preset: strict\n');
    chmodSync(real, 0o640);
    const link = join(dir, '.safedock.yaml');
    symlinkSync(real, link);
    await saveProjectDefault(link, 'sandbox');
    expect(readFileSync(real, 'utf8')).toBe('preset: sandbox\n');
    expect(statSync(real).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir).sort()).toEqual(['.safedock.yaml', 'shared.yaml']);
  });
});

describe('writeFileAtomic', () => {
  it('without replace, refuses a file that exists and changes nothing', () => {
    const dir = folder();
    const file = join(dir, 'x.yaml');
    writeFileSync(file, 'old\n');
    let error: unknown;
    try {
      writeFileAtomic(file, 'new\n', { replace: false });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SafedockError);
    expect((error as SafedockError).message).toBe(`${file} already exists`);
    expect(readFileSync(file, 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toEqual(['x.yaml']);
  });

  it('writes a script executable: a new one as the umask allows, a replaced one for whoever may read it', () => {
    const dir = folder();
    // What the umask leaves of 0777, as any program made here gets it.
    writeFileSync(join(dir, 'probe'), '', { mode: 0o777 });
    writeFileAtomic(join(dir, 'run.sh'), '#!/bin/sh\n', { replace: true, executable: true });
    expect(statSync(join(dir, 'run.sh')).mode & 0o777).toBe(statSync(join(dir, 'probe')).mode & 0o777);
    expect(statSync(join(dir, 'run.sh')).mode & 0o100).toBe(0o100);
    writeFileAtomic(join(dir, 'plain.json'), '{}\n', { replace: true });
    expect(statSync(join(dir, 'plain.json')).mode & 0o111).toBe(0);
    const old = join(dir, 'old.sh');
    writeFileSync(old, 'old\n');
    chmodSync(old, 0o640);
    writeFileAtomic(old, '#!/bin/sh\n', { replace: true, executable: true });
    expect(statSync(old).mode & 0o777).toBe(0o750);
  });

  it('reports a folder that is not there, naming the file', () => {
    const file = join(folder(), 'missing', 'x.yaml');
    expect(() => writeFileAtomic(file, 'x', { replace: false })).toThrow(`cannot write ${file}: ENOENT`);
  });
});
