#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS SAFEDOCK_NODE_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS} node --
// The shebang, from left to right:
// - NODE_EXTRA_CA_CERTS is moved aside: Node reads that certificate file at startup (tens of
//   milliseconds), and safedock never uses Node's trust store (an engine's TLS uses
//   DOCKER_CERT_PATH; images are pulled by the engine). It is put back below so that
//   `-e NODE_EXTRA_CA_CERTS` still passes the caller's value, as docker would.
// - `node --`: Node 20 would otherwise read docker's `--env-file FILE` as its own option.
//
// This file and bin/ are CommonJS (bin/package.json): Node starts a script faster and in less
// memory than an ES module, and `safedock run` should start about as fast as `docker run`.
'use strict';
require('./check-node.js');
const { join } = require('node:path');
const { endQuietlyOnBrokenPipe } = require('./broken-pipe.js');
const { restoreEnvironment } = require('./environment.js');

restoreEnvironment(process.env);
endQuietlyOnBrokenPipe([process.stdout, process.stderr]);

async function main() {
  // docker's global options come before the command (`safedock --context NAME run …`). They are
  // read only when the command line starts with an option, so a plain `safedock run` loads nothing more.
  let args = process.argv.slice(2);
  let globals = {};
  if (args[0]?.startsWith('-')) {
    const { parseGlobalOptions } = await import('../dist/engine/global-options.js');
    try {
      ({ globals, rest: args } = parseGlobalOptions(args));
    } catch (err) {
      const { reportError } = await import('../dist/errors.js');
      process.exit(reportError(err, process.stderr, '', process.env));
    }
  }

  // `safedock run` is the hot path: it goes straight to its bundled script, compiled with a code
  // cache (bin/code-cache.js), without loading the command tree. export takes run's options too,
  // so docker's grammar parses them, not oclif's; it has a bundle of its own.
  const command = args[0];
  if (command === 'run' || command === 'explain' || command === 'export') {
    const { loadCached } = require('./code-cache.js');
    const name = command === 'export' ? 'export' : 'run';
    const bundle = loadCached(join(__dirname, '..', 'dist', `${name}.bundle.cjs`), process.env);
    const { runMain, explainMain, exportMain } = bundle.exports;
    const main = command === 'run' ? runMain : command === 'explain' ? explainMain : exportMain;
    const rest = args.slice(1);
    const code = await main(rest, { io: process, env: process.env, cwd: process.cwd(), globals });
    // A command that went all the way compiled the most of its bundle: the cache keeps the most.
    const wentAllTheWay =
      command !== 'explain' && code !== 125 && !rest.includes('--dry-run') && !rest.includes('--help');
    bundle.save(wentAllTheWay ? 2 : 1);
    // A write that failed on a closed pipe is reported on a later turn: let its handler end the
    // process first (141, as docker's own output does), else exit with the run's code.
    setImmediate(() => process.exit(code));
  } else if (command === 'learn') {
    // learn takes run's grammar too, so oclif's parser never sees its arguments either.
    const { learnMain } = await import('../dist/cli/learn-main.js');
    const code = await learnMain(args.slice(1), { io: process, env: process.env, cwd: process.cwd(), globals });
    setImmediate(() => process.exit(code));
  } else {
    const { main } = await import('../dist/cli/main.js');
    process.exitCode = await main(args, process, process.env);
  }
}

main().catch((err) => {
  // Commands report their own errors; this is a fault in safedock itself, printed as Node would.
  process.exitCode = 1;
  console.error(err);
});
