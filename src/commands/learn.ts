import { Command } from '@oclif/core';
import { learnMain } from '../cli/learn-main.js';

/**
 * Listed in the command tree for `safedock help`; the binary routes `safedock learn` straight to
 * learnMain, so that run's options are parsed with docker's grammar, not oclif's.
 */
export default class Learn extends Command {
  static override summary =
    'Find the smallest change to the preset under which an image works, prove it, and save it as a project preset.';
  static override usage = 'learn [OPTIONS] IMAGE [COMMAND] [ARG...]';
  static override strict = false;
  static override examples = [
    '<%= config.bin %> learn --probe http:80/ nginx',
    '<%= config.bin %> learn --yes --probe tcp:5432 --name db postgres:15',
    '<%= config.bin %> learn --dry-run --json myapp',
  ];

  async run(): Promise<void> {
    this.exit(await learnMain(this.argv, { io: process, env: process.env, cwd: process.cwd() }));
  }
}
