import { Flags } from '@oclif/core';
import { SafedockCommand } from '../cli/safedock-command.js';
import { initMain, NON_INTERACTIVE_FORM } from '../init/init-main.js';

export default class Init extends SafedockCommand {
  static override summary =
    'Set up the project policy in this folder: a few questions, then .safedock.yaml (and a project preset when needed).';
  static override description = [
    'On a terminal, asks what the workload needs (network, ports and their address, root start, writable paths, a fixed uid, memory and CPUs), proposes the closest built-in preset (sandbox without network, compat for software that starts as root, else strict) and shows the resulting docker run arguments before writing.',
    'It writes .safedock.yaml with "preset: NAME" and, when the answers need more than the built-in gives, .safedock/presets/NAME.yaml extending it. Afterwards every `safedock run` in this folder and below uses that preset. Ports are not part of it: they go to a service in .safedock.yaml (services: NAME: ports:), which `safedock run --service NAME` publishes, so that two containers in the folder never ask for the same host port.',
    'Existing files are replaced only after a yes (or with --force). Without a terminal, give every answer as a flag:',
    NON_INTERACTIVE_FORM,
    'Exit status: 0 written, 1 refused or failed, 125 a flag safedock init does not know, 130 cancelled (Ctrl-C or Esc); nothing is written unless everything is.',
  ].join('\n\n');
  static override examples = [
    '<%= config.bin %> init',
    '<%= config.bin %> init --preset strict --yes --port 8080:80 --writable /var/cache/app --memory 1g',
    '<%= config.bin %> init --preset sandbox --yes --no-network --name batch',
    '<%= config.bin %> init --yes --starts-as-root --port 80:80 --address 0.0.0.0 --writable /data:volume',
  ];
  static override flags = {
    preset: Flags.string({
      description: 'The preset to build on (default: proposed from the answers: sandbox, strict or compat)',
      helpValue: 'NAME',
    }),
    yes: Flags.boolean({
      char: 'y',
      description: 'Ask nothing: take every answer from the flags (safe defaults for the rest) and write',
    }),
    force: Flags.boolean({ description: 'With --yes: replace existing files (.safedock.yaml keeps its other fields)' }),
    network: Flags.boolean({
      allowNo: true,
      description: 'Whether the workload needs the network (default: as --preset has it, else yes)',
    }),
    port: Flags.string({
      multiple: true,
      description: 'A port the service publishes (safedock run --service NAME), as docker -p takes it (repeatable)',
      helpValue: 'HOST:CONTAINER',
    }),
    address: Flags.string({
      description: 'The host address ports are published on (default: 127.0.0.1, this machine only)',
      helpValue: 'ADDR',
    }),
    'starts-as-root': Flags.boolean({
      allowNo: true,
      description: 'The software starts as root and drops privileges, or writes into its own files (proposes compat)',
    }),
    writable: Flags.string({
      multiple: true,
      description:
        'A path the software writes to: in memory (PATH or PATH:tmpfs) or kept in a named volume (PATH:volume) (repeatable)',
      helpValue: 'PATH[:volume]',
    }),
    user: Flags.string({ description: 'Run as this fixed numeric user', helpValue: 'UID[:GID]' }),
    memory: Flags.string({
      description: "Memory limit, as docker --memory takes it (default: the preset's)",
      helpValue: 'SIZE',
    }),
    cpus: Flags.string({ description: "CPU limit, as docker --cpus takes it (default: the preset's)", helpValue: 'N' }),
    name: Flags.string({
      description:
        "Name of the project preset and of the service with the ports, when written (default: the folder's name)",
      helpValue: 'NAME',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Init);
    process.exitCode = await initMain(
      {
        yes: flags.yes,
        force: flags.force,
        preset: flags.preset,
        network: flags.network,
        port: flags.port ?? [],
        address: flags.address,
        writable: flags.writable ?? [],
        user: flags.user,
        memory: flags.memory,
        cpus: flags.cpus,
        startsAsRoot: flags['starts-as-root'],
        name: flags.name,
      },
      { io: process, env: process.env, cwd: process.cwd() },
    );
  }
}
