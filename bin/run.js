#!/usr/bin/env -S node --
import './check-node.js';

// `safedock run` is the hot path: it goes straight to its own module, without loading the
// command tree, so that it starts about as fast as `docker run`.
if (process.argv[2] === 'run') {
  const { runMain } = await import('../dist/cli/run-main.js');
  const code = await runMain(process.argv.slice(3), { io: process, env: process.env, cwd: process.cwd() });
  process.exit(code);
} else {
  const { execute } = await import('@oclif/core');
  await execute({ dir: import.meta.url });
}
