#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS SAFEDOCK_NODE_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS} node --
// See bin/run.js for the shebang.
// Runs safedock from its TypeScript sources through tsx, for development.
import { restoreEnvironment } from './environment.js';
import './check-node.js';
import { register } from 'tsx/esm/api';

restoreEnvironment(process.env);
register();
const command = process.argv[2];
if (command === 'run' || command === 'explain') {
  const { runMain, explainMain } = await import('../src/cli/run-main.ts');
  const main = command === 'run' ? runMain : explainMain;
  const code = await main(process.argv.slice(3), { io: process, env: process.env, cwd: process.cwd() });
  process.exit(code);
} else {
  const { execute } = await import('@oclif/core');
  await execute({ development: true, dir: import.meta.url });
}
