import { Args } from '@oclif/core';
import { SafedockCommand } from '../cli/safedock-command.js';
import { completionScript, SHELLS } from '../completion/scripts.js';

export default class Completion extends SafedockCommand {
  static override summary = 'Print the shell completion script for bash, zsh or fish.';
  static override description = [
    "Completes commands, flags (docker's run flags for run and explain), preset names (the ones the folder you are in sees), rule ids and the values of flags that take a fixed set.",
    'Load it in the current shell with `source <(safedock completion bash)` (zsh: after compinit; fish: `safedock completion fish | source`); the script itself says how to load it in every new shell.',
  ].join('\n\n');
  static override examples = [
    'source <(<%= config.bin %> completion bash)',
    '<%= config.bin %> completion zsh > "${fpath[1]}/_safedock"',
    '<%= config.bin %> completion fish > ~/.config/fish/completions/safedock.fish',
  ];
  static override args = {
    shell: Args.string({ description: 'The shell', required: true, options: [...SHELLS] }),
  };

  async run(): Promise<void> {
    const { args } = await this.parse(Completion);
    const shell = SHELLS.find((s) => s === args.shell) ?? 'bash';
    process.stdout.write(completionScript(shell));
  }
}
