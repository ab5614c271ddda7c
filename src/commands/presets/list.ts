import { Command, Flags } from '@oclif/core';
import { SafedockError } from '../../errors.js';
import { errorText, presetsList } from '../../presets/cli.js';

export default class PresetsList extends Command {
  static override summary = 'List the presets: built-in, user and project, and which one a run uses by default.';
  static override description =
    "Sources, lowest precedence first: built-in (presets/*.yaml), user ($XDG_CONFIG_HOME/safedock/presets, default ~/.config/safedock/presets), project (.safedock/presets in the folder of the nearest .safedock.yaml). A later source overrides a preset of the same name. * marks the default: SAFEDOCK_PRESET, then the project config's preset, then strict.";
  static override examples = ['<%= config.bin %> presets list', '<%= config.bin %> presets list --json'];
  static override flags = {
    json: Flags.boolean({ description: 'Print the list as JSON' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(PresetsList);
    const out = await presetsList({ cwd: process.cwd(), env: process.env }, flags.json);
    process.stdout.write(out.stdout);
    process.stderr.write(out.stderr);
    process.exitCode = out.exitCode;
  }

  protected override async catch(err: Error & { exitCode?: number }): Promise<void> {
    if (!(err instanceof SafedockError)) {
      // oclif's own handling (it rethrows) for anything that is not a message meant for the user.
      await super.catch(err);
      return;
    }
    process.stderr.write(errorText(err));
    process.exitCode = err.exitCode;
  }
}
