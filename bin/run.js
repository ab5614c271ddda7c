#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS SAFEDOCK_NODE_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS} node --
// The shebang, from left to right:
// - NODE_EXTRA_CA_CERTS is moved aside: Node reads that certificate file at startup (tens of
//   milliseconds), and safedock never uses Node's trust store (an engine's TLS uses
//   DOCKER_CERT_PATH; images are pulled by the engine). It is put back below so that
//   `-e NODE_EXTRA_CA_CERTS` still passes the caller's value, as docker would.
// - `node --`: Node 20 would otherwise read docker's `--env-file FILE` as its own option.
import { restoreEnvironment } from './environment.js';
import './check-node.js';

restoreEnvironment(process.env);

// `safedock run` is the hot path: it goes straight to its bundled module, without loading the
// command tree, so that it starts about as fast as `docker run`.
const command = process.argv[2];
if (command === 'run' || command === 'explain') {
  const { runMain, explainMain } = await import('../dist/run.bundle.mjs');
  const main = command === 'run' ? runMain : explainMain;
  const code = await main(process.argv.slice(3), { io: process, env: process.env, cwd: process.cwd() });
  process.exit(code);
} else if (command === 'learn') {
  // learn takes run's grammar too, so oclif's parser never sees its arguments either.
  const { learnMain } = await import('../dist/learn/learn-main.js');
  process.exit(await learnMain(process.argv.slice(3), { io: process, env: process.env, cwd: process.cwd() }));
} else {
  const { execute } = await import('@oclif/core');
  await execute({ dir: import.meta.url });
}
