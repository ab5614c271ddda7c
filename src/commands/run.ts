import { Command } from '@oclif/core';
import { runMain } from '../cli/run-main.js';

/**
 * Listed in the command tree for `safedock help`; the binary routes `safedock run` straight to
 * runMain, so oclif's parser never sees run's argv (docker's grammar differs from oclif's).
 */
export default class Run extends Command {
  static override summary = 'Run a command in a new container, hardened by a preset (same flags as docker run).';
  static override description =
    'Takes every docker run flag. The chosen preset (default: strict) is merged under your flags: capabilities dropped, read-only root, non-root user, no-new-privileges, resource limits. See `safedock run --help` for the flags.';
  static override usage = 'run [OPTIONS] IMAGE [COMMAND] [ARG...]';
  static override strict = false;
  static override examples = [
    '<%= config.bin %> run --rm -it safedock-demo sh',
    '<%= config.bin %> run --preset none --rm alpine true',
    '<%= config.bin %> run --dry-run --json -p 8080:80 nginx',
  ];

  async run(): Promise<void> {
    const code = await runMain(this.argv, { io: process, env: process.env, cwd: process.cwd() });
    this.exit(code);
  }
}
