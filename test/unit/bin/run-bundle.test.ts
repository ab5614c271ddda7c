/**
 * The CI-side guard on the run path's bundle (scripts/bundle.mjs): it is built here from the
 * sources, in memory, and must stay under its size limit, hold no code of the command tree or of
 * the other commands, and load the heavy modules a run rarely needs (YAML, inquirer, TLS, SSH,
 * child processes) only through `await import()`. Not a timing test: these are what keep the
 * benchmark's figures where they are.
 */
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

interface BundleScript {
  runBundleOptions: BuildOptions;
  routeDynamicImports: (text: string, metafile: Metafile) => string;
  checkRunBundle: (metafile: Metafile) => string[];
  MAX_RUN_BUNDLE_BYTES: number;
  LAZY_ONLY: string[];
}
// A plain JavaScript build script, loaded by path (it has no type declarations).
const SCRIPT = '../../../scripts/bundle.mjs';
const { runBundleOptions, routeDynamicImports, checkRunBundle, MAX_RUN_BUNDLE_BYTES, LAZY_ONLY } = (await import(
  SCRIPT
)) as BundleScript;

describe('the run bundle', () => {
  it('is within its size, holds no other command, and loads nothing heavy eagerly', async () => {
    const result = await build({ ...runBundleOptions, write: false, metafile: true });
    const { metafile } = result;
    expect(checkRunBundle(metafile)).toEqual([]);
    const js = Object.entries(metafile.outputs).find(([file]) => file.endsWith('.cjs'));
    expect(js?.[1].bytes).toBeGreaterThan(100_000);
    // ASCII is read into V8's compact one-byte string (bin/code-cache.js); one character beyond
    // Latin-1 would double the memory the source takes. esbuild escapes strings but not regular
    // expressions: write a non-ASCII character there as \uXXXX.
    const text = Buffer.from(result.outputFiles.find((f) => f.path.endsWith('.cjs'))?.contents ?? []);
    const at = text.findIndex((b) => b >= 0x80);
    expect(at === -1 ? '' : text.subarray(Math.max(0, at - 60), at + 20).toString('utf8')).toBe('');
    // Every import() goes through the loader (a script compiled from a code cache has none of its own).
    const routed = routeDynamicImports(text.toString('latin1'), metafile);
    expect(routed).toContain('__impt("yaml")');
    expect(routed).not.toMatch(/\bimport\(/);
  }, 60_000);

  it('an import() esbuild did not record is refused, not left to fail at run time', () => {
    const metafile: Metafile = {
      inputs: { 'src/a.ts': { bytes: 1, imports: [{ path: 'yaml', kind: 'dynamic-import', external: true }] } },
      outputs: {},
    };
    expect(routeDynamicImports('a=await import("yaml")', metafile)).toBe('a=await __impt("yaml")');
    expect(() => routeDynamicImports('a=await import("yaml"),b=await import(name)', metafile)).toThrow(
      /an import\( esbuild did not record is left/,
    );
  });

  it('the check names each kind of problem, and lets import() and the deferred stand-ins be', () => {
    const metafile: Metafile = {
      outputs: {
        'dist/run.bundle.cjs': { bytes: MAX_RUN_BUNDLE_BYTES + 1, inputs: {}, imports: [], exports: [] },
        'dist/run.bundle.cjs.map': { bytes: 10 * MAX_RUN_BUNDLE_BYTES, inputs: {}, imports: [], exports: [] },
      },
      inputs: {
        'src/cli/run-main.ts': {
          bytes: 1,
          imports: [
            { path: 'yaml', kind: 'import-statement', external: true },
            { path: '@inquirer/prompts', kind: 'dynamic-import', external: true },
          ],
        },
        'node_modules/x/index.js': {
          bytes: 1,
          imports: [{ path: 'child_process', kind: 'require-call', external: true }],
        },
        'deferred:https': { bytes: 1, imports: [{ path: 'https', kind: 'require-call', external: true }] },
        'node_modules/@oclif/core/lib/index.js': { bytes: 1, imports: [] },
        'src/audit/audit-main.ts': { bytes: 1, imports: [] },
        'src/learn/run-diagnosis.ts': { bytes: 1, imports: [] },
      },
    };
    const problems = checkRunBundle(metafile);
    expect(problems).toEqual([
      `the run bundle is ${MAX_RUN_BUNDLE_BYTES + 1} bytes, over its limit of ${MAX_RUN_BUNDLE_BYTES}`,
      'src/cli/run-main.ts loads yaml eagerly (import-statement); import it with await import() where it is needed',
      'node_modules/x/index.js loads child_process eagerly (require-call); import it with await import() where it is needed',
      'node_modules/@oclif/core/lib/index.js is in the run bundle (nothing matching /^node_modules\\/@oclif\\// may be)',
      'src/audit/audit-main.ts is in the run bundle (nothing matching /^src\\/audit\\// may be)',
    ]);
    expect(LAZY_ONLY).toEqual(
      expect.arrayContaining(['yaml', '@inquirer/prompts', 'node:https', 'node:child_process']),
    );
  });
});
