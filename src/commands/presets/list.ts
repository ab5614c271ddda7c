import { Flags } from '@oclif/core';
import { reportError } from '../../errors.js';
import { SafedockCommand } from '../../cli/safedock-command.js';
import { migrateInitPorts } from '../../init/migrate-ports.js';
import { presetsList } from '../../presets/cli.js';

export default class PresetsList extends SafedockCommand {
  static override summary = 'List the presets: built-in, user and project, and which one a run uses by default.';
  static override description =
    "Sources, lowest precedence first: built-in (presets/*.yaml), user ($XDG_CONFIG_HOME/safedock/presets, default ~/.config/safedock/presets), project (.safedock/presets in the folder of the nearest .safedock.yaml). A later source overrides a preset of the same name. * marks the default: SAFEDOCK_PRESET, then the project config's preset, then strict.";
  static override examples = ['<%= config.bin %> presets list', '<%= config.bin %> presets list --json'];
  static override flags = {
    json: Flags.boolean({ description: 'Print the list as JSON' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(PresetsList);
    for (const note of await migrateInitPorts(process.cwd())) process.stderr.write(`safedock: ${note}\n`);
    const out = await presetsList({ cwd: process.cwd(), env: process.env }, flags.json);
    for (const warning of out.warnings) process.stderr.write(`safedock: ${warning}\n`);
    process.stdout.write(out.stdout);
    // A broken preset file is reported, and the list of the others still shown.
    for (const problem of out.problems) reportError(problem, process.stderr, 'presets list');
    if (out.problems.length > 0) this.exit(1);
  }
}
