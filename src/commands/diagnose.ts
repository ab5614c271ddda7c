import { Args } from '@oclif/core';
import { SafedockCommand } from '../cli/safedock-command.js';
import { diagnoseMain } from '../cli/diagnose-main.js';

export default class Diagnose extends SafedockCommand {
  static override summary =
    'Say whether an exited container died of the hardening: the cause, the preset setting, the fixing flag.';
  static override description =
    'For a container started with safedock run -d that has exited: reads its exit code, the tail of its logs and its settings, and names the cause, the setting of the preset responsible, the flag that would fix it, and the safedock learn line that finds every fix.';
  static override args = { container: Args.string({ description: 'container name or id', required: true }) };
  static override examples = ['<%= config.bin %> diagnose web'];

  async run(): Promise<void> {
    const { args } = await this.parse(Diagnose);
    this.exit(await diagnoseMain(args.container, { stdout: process.stdout, env: process.env, cwd: process.cwd() }));
  }
}
