import { Args, Flags } from '@oclif/core';
import { SafedockCommand } from '../../cli/safedock-command.js';
import { migrateInitPorts } from '../../init/migrate-ports.js';
import { presetsShow } from '../../presets/cli.js';
import { SHOW_FORMATS } from '../../presets/render.js';
import type { Preset } from '../../presets/types.js';
import { presetLayer } from '../../run/pipeline.js';

export default class PresetsShow extends SafedockCommand {
  static override summary =
    'Print a preset resolved over the presets it extends, as YAML, JSON or docker run arguments.';
  static override description =
    'Without NAME, shows the preset a run here would use. --format args prints shell-quoted docker run flags (with --user as applied to an image that runs as root).';
  static override examples = [
    '<%= config.bin %> presets show sandbox',
    '<%= config.bin %> presets show strict --format args',
    '<%= config.bin %> presets show --format json',
  ];
  static override args = {
    name: Args.string({ description: 'The preset (default: the one a run here would use)', required: false }),
  };
  static override flags = {
    format: Flags.string({ description: 'Output format', options: [...SHOW_FORMATS], default: 'yaml' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(PresetsShow);
    for (const note of await migrateInitPorts(process.cwd())) process.stderr.write(`safedock: ${note}\n`);
    const format = SHOW_FORMATS.find((f) => f === flags.format) ?? 'yaml';
    const context = { cwd: process.cwd(), env: process.env };
    // The values are checked as a run converts them, so what is shown is a preset a run accepts.
    const check = (preset: Preset): void => void presetLayer(preset, context);
    process.stdout.write(await presetsShow(args.name, format, context, check));
  }
}
