// Bundles the `safedock run` path (src/cli/run-main.ts with dockerode) into dist/run.bundle.cjs,
// `safedock audit`'s library (src/cli/audit-main.ts) into dist/audit.bundle.cjs and `safedock
// export` (src/cli/export-main.ts) into dist/export.bundle.cjs. One file
// loads far faster than a tree of small modules. Parts of dockerode that a run never uses (the
// SSH tunnel, the BuildKit session over gRPC, tar packing of build contexts) stay outside the
// bundle and are loaded from node_modules on first use.
//
// The bundles are CommonJS scripts so that they can be compiled with a V8 code cache
// (bin/code-cache.js): Node 20 offers cached compilation for scripts, not for ES modules.
//
//   node scripts/bundle.mjs        writes the bundles, after checking the run bundle (checkRunBundle)
//
// test/unit/bin/run-bundle.test.ts builds the run bundle in memory and checks it the same way.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the bundle is written. */
export const RUN_BUNDLE = join(root, 'dist', 'run.bundle.cjs');

/**
 * The largest the bundle may grow (bytes of JavaScript) before the build refuses it: every byte is
 * read on every run. Raise it deliberately, with the benchmark's figures before and after. Last
 * raised from 535,000 at 536,096 bytes (the mount-password masking that runs to a password's end,
 * and the isolated network's early list), when `npm run bench` measured the run at 247 ms and
 * 44 ms of CPU against 256 ms and 45 ms before that session's changes.
 */
export const MAX_RUN_BUNDLE_BYTES = 548_000;

/**
 * Modules the run path must not load when it starts: each is heavy and needed only sometimes (a
 * preset file to parse, a question to ask, a TLS or SSH engine), so the bundle may reach them only
 * through `await import()` where they are needed, or through a deferred stand-in (DEFERRED below).
 */
export const LAZY_ONLY = [
  'yaml',
  '@inquirer/prompts',
  '@inquirer/core',
  'https',
  'node:https',
  'tls',
  'node:tls',
  'child_process',
  'node:child_process',
  'ssh2',
  'tar-fs',
  '@grpc/grpc-js',
  'protobufjs',
  'zlib',
  'node:zlib',
  // readline decodes keys for questions (src/prompt/session.ts loads it when one is asked).
  'readline',
  'node:readline',
  'readline/promises',
  'node:readline/promises',
];

/**
 * Code that must never be in the run bundle at all: the command tree and the other commands (the
 * diagnosis a failed run prints is learn's, and is in, loaded only when a run fails).
 */
export const NEVER_BUNDLED = [
  /^node_modules\/@oclif\//,
  /^src\/commands\//,
  /^src\/audit\//,
  /^src\/cli\/learn-main\.ts$/,
  /^src\/init\/init-main\.ts$/,
];

/** Modules replaced by a stand-in that loads the real one when first called or read. */
const DEFERRED = [
  { importer: /docker-modem[\\/]lib[\\/]modem\.js$/, request: './ssh', real: 'docker-modem/lib/ssh.js' },
  { importer: /dockerode[\\/]lib[\\/]docker\.js$/, request: './session', real: 'dockerode/lib/session.js' },
  { importer: /dockerode[\\/]lib[\\/]docker\.js$/, request: './buildkit', real: 'dockerode/lib/buildkit.js' },
  { importer: /dockerode[\\/]lib[\\/]util\.js$/, request: 'tar-fs', real: 'tar-fs' },
  { importer: /dockerode[\\/]lib[\\/]util\.js$/, request: '@balena/dockerignore', real: '@balena/dockerignore' },
  // zlib compresses build contexts; a run never builds.
  { importer: /dockerode[\\/]lib[\\/]util\.js$/, request: 'zlib', real: 'zlib' },
  // https pulls in tls and crypto; only TLS engines need it.
  { importer: /docker-modem[\\/]lib[\\/]http\.js$/, request: 'https', real: 'https' },
];

/**
 * Replacements inside the bundle: docker-modem's `readable-stream` is a userland copy of Node's
 * own stream module (the same API), and its `debug` logging is never turned on by safedock.
 */
const SUBSTITUTES = {
  name: 'substitutes',
  setup(b) {
    b.onResolve({ filter: /^readable-stream$/ }, () => ({ path: 'node:stream', external: true }));
    b.onResolve({ filter: /^debug$/ }, () => ({ path: 'debug', namespace: 'substitute' }));
    b.onLoad({ filter: /.*/, namespace: 'substitute' }, () => ({
      loader: 'js',
      contents: 'module.exports = function debug() { const log = function () {}; log.enabled = false; return log; };',
    }));
  },
};

/**
 * docker-modem describes every request with util.inspect (all levels, hidden fields included)
 * only to hand the text to its debug log, which the bundle silences (SUBSTITUTES): about a
 * millisecond of CPU per run spent on a string nobody reads. The statement is removed from the
 * bundled copy; the build fails when it is not found as expected, so a new docker-modem is
 * looked at again rather than silently left slow.
 */
const MODEM_DESCRIBE = /debug\('Sending: %s', util\.inspect\(options, \{\s*showHidden: true,\s*depth: null\s*\}\)\);/;
const quietModem = {
  name: 'quiet-modem',
  setup(b) {
    b.onLoad({ filter: /docker-modem[\\/]lib[\\/]modem\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!MODEM_DESCRIBE.test(text)) throw new Error(`${args.path}: the request description to drop was not found`);
      return { loader: 'js', contents: text.replace(MODEM_DESCRIBE, ''), resolveDir: dirname(args.path) };
    });
  },
};

const deferUnused = {
  name: 'defer-unused',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      const hit = DEFERRED.find((d) => d.request === args.path && d.importer.test(args.importer));
      return hit ? { path: hit.real, namespace: 'deferred' } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'deferred' }, (args) => ({
      loader: 'js',
      contents: `
        let real;
        const load = () => (real ??= require(${JSON.stringify(args.path)}));
        module.exports = new Proxy(function deferred() {}, {
          get: (_t, key) => load()[key],
          apply: (_t, self, params) => load().apply(self, params),
          construct: (_t, params) => new (load())(...params),
        });`,
    }));
  },
};

/** esbuild's options for the run bundle (the build writes it; the guard test builds it in memory). */
export const runBundleOptions = {
  entryPoints: [join(root, 'src/cli/run-main.ts')],
  outfile: RUN_BUNDLE,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  // Less to parse on every start; names stay readable and the source map is linked.
  minifyWhitespace: true,
  minifySyntax: true,
  // A script has no import.meta: its URL is the bundle file's (src/package-root.ts, presets). The
  // banner comes before esbuild's "use strict", so it carries the directive itself. __impt is the
  // loader's import() (see routeDynamicImports).
  define: { 'import.meta.url': '__safedockBundleUrl' },
  banner: {
    js:
      '"use strict";var __safedockBundleUrl = require("node:url").pathToFileURL(__filename).href;' +
      'var __impt = module.importModule || function (m) { throw new Error("load " + __filename + " with bin/code-cache.js to import " + m); };',
  },
  external: [
    'yaml',
    '@inquirer/prompts',
    '@grpc/grpc-js',
    '@grpc/proto-loader',
    'protobufjs',
    'ssh2',
    'cpu-features',
    ...DEFERRED.map((d) => d.real),
  ],
  plugins: [SUBSTITUTES, quietModem, deferUnused],
  metafile: true,
  logLevel: 'warning',
};

/**
 * What is wrong with a built run bundle, from esbuild's metafile: too large, code from the
 * command tree or another command, or a module the run path must load lazily imported eagerly
 * (anything but `import()`, outside the deferred stand-ins). An empty list when all is well.
 */
export function checkRunBundle(metafile) {
  const problems = [];
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (file.endsWith('.map')) continue;
    if (output.bytes > MAX_RUN_BUNDLE_BYTES) {
      problems.push(`the run bundle is ${output.bytes} bytes, over its limit of ${MAX_RUN_BUNDLE_BYTES}`);
    }
  }
  for (const [input, { imports }] of Object.entries(metafile.inputs)) {
    const bundled = NEVER_BUNDLED.find((re) => re.test(input));
    if (bundled !== undefined) problems.push(`${input} is in the run bundle (nothing matching ${bundled} may be)`);
    if (input.startsWith('deferred:')) continue;
    for (const { path, kind } of imports) {
      if (LAZY_ONLY.includes(path) && kind !== 'dynamic-import') {
        problems.push(`${input} loads ${path} eagerly (${kind}); import it with await import() where it is needed`);
      }
    }
  }
  return problems;
}

/**
 * The bundle's `import("x")` calls, made through the loader's import() instead (`__impt("x")`, the
 * same length, so the source map stays true). A script compiled from V8's code cache loses the
 * callback Node's vm needs for import() in its own code ("A dynamic import callback was not
 * specified"); bin/code-cache.js passes a function of its own, whose import() is Node's.
 * Throws when an import( is left that is not one of the external dynamic imports esbuild recorded.
 */
export function routeDynamicImports(text, metafile) {
  const paths = new Set();
  for (const { imports } of Object.values(metafile.inputs)) {
    for (const { path, kind, external } of imports) if (kind === 'dynamic-import' && external) paths.add(path);
  }
  let routed = text;
  for (const path of paths)
    routed = routed.split(`import(${JSON.stringify(path)})`).join(`__impt(${JSON.stringify(path)})`);
  const left = /\bimport\(/.exec(routed);
  if (left !== null) {
    throw new Error(
      `bundle: an import( esbuild did not record is left: ${routed.slice(left.index - 40, left.index + 40)}`,
    );
  }
  return routed;
}

/** Builds a bundle with esbuild and writes it, its dynamic imports routed through the loader. */
export async function buildBundle(options) {
  const result = await build({ ...options, write: false });
  for (const file of result.outputFiles) {
    writeFileSync(
      file.path,
      file.path.endsWith('.map') ? file.contents : routeDynamicImports(file.text, result.metafile),
    );
  }
  return result;
}

/**
 * esbuild's options for audit's bundle: the same loader and the same rules for import.meta, without
 * dockerode (an audit reads the engine through src/engine/engine-reader.ts).
 */
export const auditBundleOptions = {
  ...runBundleOptions,
  entryPoints: [join(root, 'src/cli/audit-main.ts')],
  outfile: join(root, 'dist', 'audit.bundle.cjs'),
  external: [...runBundleOptions.external, 'dockerode'],
};

/** esbuild's options for export's bundle: run's path with the renderers of the other targets. */
export const exportBundleOptions = {
  ...runBundleOptions,
  entryPoints: [join(root, 'src/cli/export-main.ts')],
  outfile: join(root, 'dist', 'export.bundle.cjs'),
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [run] = await Promise.all([
    buildBundle(runBundleOptions),
    buildBundle(auditBundleOptions),
    buildBundle(exportBundleOptions),
  ]);
  const problems = checkRunBundle(run.metafile);
  if (problems.length > 0) {
    console.error(`bundle: ${problems.join('\n  ')}`);
    process.exit(1);
  }
}
