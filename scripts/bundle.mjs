// Bundles the `safedock run` path (src/cli/run-main.ts with dockerode) into dist/run.bundle.mjs.
// One file loads far faster than a tree of small modules, and run is the hot path. Parts of
// dockerode that a run never uses (the SSH tunnel, the BuildKit session over gRPC, tar packing
// of build contexts) stay outside the bundle and are loaded from node_modules on first use.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Modules replaced by a stand-in that loads the real one when first called or read. */
const DEFERRED = [
  { importer: /docker-modem[\\/]lib[\\/]modem\.js$/, request: './ssh', real: 'docker-modem/lib/ssh.js' },
  { importer: /dockerode[\\/]lib[\\/]docker\.js$/, request: './session', real: 'dockerode/lib/session.js' },
  { importer: /dockerode[\\/]lib[\\/]util\.js$/, request: 'tar-fs', real: 'tar-fs' },
  { importer: /dockerode[\\/]lib[\\/]util\.js$/, request: '@balena/dockerignore', real: '@balena/dockerignore' },
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

await build({
  entryPoints: [join(root, 'src/cli/run-main.ts')],
  outfile: join(root, 'dist/run.bundle.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  // Less to parse on every start; names stay readable and the source map is linked.
  minifyWhitespace: true,
  minifySyntax: true,
  // Real require for the CommonJS parts and the deferred modules.
  banner: {
    js: "import { createRequire as __safedockCreateRequire } from 'node:module'; const require = __safedockCreateRequire(import.meta.url);",
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
  plugins: [SUBSTITUTES, deferUnused],
  logLevel: 'warning',
});

// Modules a run loads only when it needs them (a question on the terminal, a preset file): a
// static import of one would load it on every run and slow the hot path down.
const { readFileSync } = await import('node:fs');
const out = readFileSync(join(root, 'dist/run.bundle.mjs'), 'utf8');
for (const lazy of ['@inquirer/prompts', 'yaml']) {
  if (new RegExp(`(^|[;\\n])\\s*import[^;()]*from\\s*["']${lazy.replace('/', '\\/')}["']`).test(out)) {
    throw new Error(`dist/run.bundle.mjs imports ${lazy} statically; import it with await import() where it is needed`);
  }
}
