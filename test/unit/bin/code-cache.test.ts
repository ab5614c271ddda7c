/**
 * bin/code-cache.js: the run bundle's V8 code cache is used only for the very bundle it was made
 * from, only from a private file of the user's own, and its absence or a folder it cannot be
 * written to never stops a run.
 */
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

interface Loaded {
  exports: { answer: () => string };
  cached: boolean;
  save(depth: number): void;
}
const { loadCached } = createRequire(import.meta.url)('../../../bin/code-cache.js') as {
  loadCached: (file: string, env: NodeJS.ProcessEnv) => Loaded;
};

/** A bundle-like script: a CommonJS module whose function says which version of the file ran. */
const script = (word: string): string =>
  `"use strict";\nfunction answer() { return ${JSON.stringify(word)}; }\nmodule.exports = { answer };\n`;

let dir: string;
let bundle: string;
let env: NodeJS.ProcessEnv;
const cacheDir = (): string => join(dir, 'cache', 'safedock');
const cacheFiles = (): string[] => readdirSync(cacheDir()).filter((f) => f.endsWith('.v8'));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'safedock-code-cache-'));
  bundle = join(dir, 'run.bundle.cjs');
  writeFileSync(bundle, script('first'));
  env = { XDG_CACHE_HOME: join(dir, 'cache') };
});
afterEach(() => {
  chmodSync(dir, 0o700);
  rmSync(dir, { recursive: true, force: true });
});

describe('the run bundle loaded with a code cache', () => {
  it('runs without a cache, writes a private one, and uses it next time', () => {
    const first = loadCached(bundle, env);
    expect(first.exports.answer()).toBe('first');
    expect(first.cached).toBe(false);
    first.save(2);
    const [file] = cacheFiles();
    expect(file).toMatch(
      new RegExp(`^run\\.bundle-[0-9a-f]{8}-node${process.versions.node}-${process.arch}-\\d+\\.v8$`),
    );
    expect(statSync(join(cacheDir(), file ?? '')).mode & 0o777).toBe(0o600);
    expect(statSync(cacheDir()).mode & 0o777).toBe(0o700);
    const second = loadCached(bundle, env);
    expect(second.cached).toBe(true);
    expect(second.exports.answer()).toBe('first');
  });

  it('refuses a cache made from other content of the same length, and replaces it', () => {
    loadCached(bundle, env).save(2);
    // Same length: V8's own check (the length of the source) would take the old code.
    writeFileSync(bundle, script('other'));
    const changed = loadCached(bundle, env);
    expect(changed.cached).toBe(false);
    expect(changed.exports.answer()).toBe('other');
    changed.save(1);
    expect(cacheFiles()).toHaveLength(1);
    expect(loadCached(bundle, env).cached).toBe(true);
  });

  it.each([
    ['writable by the group', (file: string) => chmodSync(file, 0o620)],
    ['writable by everyone', (file: string) => chmodSync(file, 0o602)],
  ])('ignores a cache file %s', (_what, loosen) => {
    loadCached(bundle, env).save(2);
    loosen(join(cacheDir(), cacheFiles()[0] ?? ''));
    const loaded = loadCached(bundle, env);
    expect(loaded.cached).toBe(false);
    expect(loaded.exports.answer()).toBe('first');
  });

  it('does not follow a symbolic link in place of the cache file', () => {
    loadCached(bundle, env).save(2);
    const [file] = cacheFiles();
    const real = join(dir, 'elsewhere.v8');
    writeFileSync(real, '');
    rmSync(join(cacheDir(), file ?? ''));
    symlinkSync(real, join(cacheDir(), file ?? ''));
    expect(loadCached(bundle, env).cached).toBe(false);
  });

  it('runs on when the cache folder cannot be made, and writes nothing', () => {
    // A file where the folder should be: refused to root as well (ENOTDIR).
    writeFileSync(join(dir, 'cache'), '');
    const loaded = loadCached(bundle, env);
    expect(() => loaded.save(2)).not.toThrow();
    expect(loaded.exports.answer()).toBe('first');
    expect(readdirSync(dir).sort()).toEqual(['cache', 'run.bundle.cjs']);
  });

  it.each([
    ['their cache folder', (theirs: string) => theirs],
    ['a folder missing in their folder', (theirs: string) => join(theirs, 'cache')],
  ])("writes no cache into someone else's folder: %s (root with another user's HOME)", (_what, base) => {
    // Root: a folder given to nobody; anyone else: the root folder, which is root's.
    let theirs = '/';
    if (process.getuid?.() === 0) {
      theirs = join(dir, 'theirs');
      mkdirSync(theirs);
      chownSync(theirs, 65534, 65534);
    }
    const loaded = loadCached(bundle, { XDG_CACHE_HOME: base(theirs) });
    expect(() => loaded.save(2)).not.toThrow();
    expect(existsSync(join(base(theirs), 'safedock'))).toBe(false);
    expect(existsSync(join(theirs, 'cache'))).toBe(false);
  });

  it('keeps the cache of the run that went furthest: a shorter run does not replace it', () => {
    // The header: 8 bytes of magic, the bundle's length (4), then the depth of the run that made it.
    const depth = (): number | undefined => readFileSync(join(cacheDir(), cacheFiles()[0] ?? ''))[12];
    loadCached(bundle, env).save(1);
    expect(depth()).toBe(1);
    const deeper = loadCached(bundle, env);
    expect(deeper.cached).toBe(true);
    deeper.save(2);
    expect(depth()).toBe(2);
    loadCached(bundle, env).save(1);
    expect(depth()).toBe(2);
  });

  it("gives the script the loader's import(), which works in code compiled from the cache", async () => {
    writeFileSync(
      bundle,
      '"use strict";\nconst load = async () => (await module.importModule("node:path")).posix.sep;\n' +
        'module.exports = { answer: () => "x", load };\n',
    );
    loadCached(bundle, env).save(2);
    const cached = loadCached(bundle, env) as unknown as { cached: boolean; exports: { load: () => Promise<string> } };
    expect(cached.cached).toBe(true);
    await expect(cached.exports.load()).resolves.toBe('/');
  });

  it('has no cache without a place for one (no HOME, no XDG_CACHE_HOME)', () => {
    const loaded = loadCached(bundle, {});
    loaded.save(2);
    expect(loaded.cached).toBe(false);
    expect(loaded.exports.answer()).toBe('first');
  });
});
