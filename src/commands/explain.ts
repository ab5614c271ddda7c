import { Command } from '@oclif/core';
import { explainMain } from '../cli/run-main.js';

/**
 * Listed in the command tree for `safedock help`; the binary routes `safedock explain` straight
 * to explainMain, so that run's options are parsed with docker's grammar, not oclif's.
 */
export default class Explain extends Command {
  static override summary =
    'Show every setting safedock run would apply, where it comes from, and what your flags loosened.';
  static override usage = 'explain [OPTIONS] IMAGE [COMMAND] [ARG...]';
  static override strict = false;
  static override examples = [
    '<%= config.bin %> explain -p 8080:80 nginx',
    '<%= config.bin %> explain --preset sandbox --json python:3 app.py',
  ];

  async run(): Promise<void> {
    this.exit(await explainMain(this.argv, { io: process, env: process.env, cwd: process.cwd() }));
  }
}
