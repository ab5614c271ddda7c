import { SafedockCommand } from '../cli/safedock-command.js';
import { exportMain } from '../cli/export-main.js';
import { processGlobals } from '../engine/global-options.js';

/**
 * Listed in the command tree for `safedock help`; the binary routes `safedock export` straight to
 * exportMain, so that run's options are parsed with docker's grammar, not oclif's.
 */
export default class Export extends SafedockCommand {
  static override summary =
    'Write the hardened run for Compose, Swarm, Kubernetes or plain docker, listing what the target cannot carry.';
  static override usage = 'export --format compose|swarm|k8s|args [-o DIR] [OPTIONS] IMAGE [COMMAND] [ARG...]';
  static override strict = false;
  static override examples = [
    '<%= config.bin %> export --format compose -o deploy -p 8080:80 nginx',
    '<%= config.bin %> export --format k8s --kind pod --seccomp runtime-default myimage',
    '<%= config.bin %> export --format args --from-container web',
  ];

  async run(): Promise<void> {
    this.exit(
      await exportMain(this.argv, { io: process, env: process.env, cwd: process.cwd(), globals: processGlobals() }),
    );
  }
}
