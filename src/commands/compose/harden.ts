import { Flags } from '@oclif/core';
import { SafedockCommand } from '../../cli/safedock-command.js';
import { processGlobals } from '../../engine/global-options.js';
import { composeHardenMain } from '../../cli/compose-harden-main.js';

export default class ComposeHarden extends SafedockCommand {
  static override summary = 'Write an override that layers the preset under every service of a Compose file.';
  static override description =
    "Each service is judged by the same rules as safedock run (a refused finding names the service and the rule). The override adds only what the service does not set itself: docker-compose -f compose.yaml -f compose.safedock.yaml up. The project's .safedock.yaml (preset, accept) applies; a service may name its preset with `x-safedock: {preset: NAME}` or the label io.safedock.preset, and accept a finding up to high with `x-safedock: {accept: {SD118: why}}` (a critical one only with --accept).";
  static override examples = [
    '<%= config.bin %> compose harden',
    '<%= config.bin %> compose harden -f deploy/compose.yaml --preset sandbox',
    '<%= config.bin %> compose harden --accept SD102:/var/run/docker.sock:/var/run/docker.sock --reason "the agent manages containers"',
  ];
  static override flags = {
    file: Flags.string({
      char: 'f',
      description: 'The Compose file (default: compose.yaml or docker-compose.yml here)',
    }),
    output: Flags.string({
      char: 'o',
      description: 'The override to write (default: compose.safedock.yaml beside the file)',
    }),
    preset: Flags.string({ description: 'The preset for services that name none' }),
    accept: Flags.string({
      description:
        'Accept a finding by its key (as the finding shows it; a critical one by its full key) for every service; needs --reason',
      multiple: true,
    }),
    reason: Flags.string({ description: 'Why the --accept before it is acceptable', multiple: true }),
    policy: Flags.string({ description: 'warn (report only) or enforce (refuse high findings; the default)' }),
    quiet: Flags.boolean({
      char: 'q',
      description:
        'No notes and no low or medium findings (SAFEDOCK_QUIET=1 says the same); refusals and errors are always shown',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ComposeHarden);
    this.exit(
      await composeHardenMain(
        {
          file: flags.file,
          output: flags.output,
          preset: flags.preset,
          accept: flags.accept ?? [],
          reason: flags.reason ?? [],
          policy: flags.policy,
          quiet: flags.quiet,
        },
        { io: process, env: process.env, cwd: process.cwd(), globals: processGlobals() },
      ),
    );
  }
}
