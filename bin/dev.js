#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS SAFEDOCK_NODE_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS} node --
// See bin/run.js for the shebang.
// Runs safedock from its TypeScript sources through tsx, for development.
'use strict';
require('./check-node.js');
const { rmSync } = require('node:fs');
const { join } = require('node:path');
const { endQuietlyOnBrokenPipe } = require('./broken-pipe.js');
const { restoreEnvironment } = require('./environment.js');

restoreEnvironment(process.env);
endQuietlyOnBrokenPipe([process.stdout, process.stderr]);

async function main() {
  const { register } = await import('tsx/esm/api');
  register();
  let args = process.argv.slice(2);
  let globals = {};
  if (args[0]?.startsWith('-')) {
    const { parseGlobalOptions } = await import('../src/engine/global-options.ts');
    try {
      ({ globals, rest: args } = parseGlobalOptions(args));
    } catch (err) {
      const { reportError } = await import('../src/errors.ts');
      process.exit(reportError(err, process.stderr, '', process.env));
    }
  }
  const command = args[0];
  if (command === 'run' || command === 'explain') {
    const { runMain, explainMain } = await import('../src/cli/run-main.ts');
    const main = command === 'run' ? runMain : explainMain;
    const code = await main(args.slice(1), { io: process, env: process.env, cwd: process.cwd(), globals });
    // A write that failed on a closed pipe is reported on a later turn: let its handler end the
    // process first (141, as docker's own output does), else exit with the run's code.
    setImmediate(() => process.exit(code));
  } else {
    // oclif in development mode loads the commands from src/ (through tsx) instead of dist/, and
    // must see their flags and descriptions there too: the manifest the build wrote (which oclif
    // reads whenever it exists) may be older than the sources. The next build writes it again.
    rmSync(join(__dirname, '..', 'oclif.manifest.json'), { force: true });
    process.env.NODE_ENV = 'development';
    const { main } = await import('../src/cli/main.ts');
    process.exitCode = await main(args, process, process.env, { development: true });
  }
}

main().catch((err) => {
  process.exitCode = 1;
  console.error(err);
});
