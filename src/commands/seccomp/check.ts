import { Args } from '@oclif/core';
import { SafedockCommand } from '../../cli/safedock-command.js';
import { checkSeccompFile, renderSeccompCheck } from '../../seccomp/index.js';

export default class SeccompCheck extends SafedockCommand {
  static override summary = 'Check a seccomp profile file before passing it to --security-opt seccomp=FILE.';
  static override description = `Checks the profile against the engine's format (fields, SCMP_ACT_* actions, SCMP_CMP_* comparisons, SCMP_ARCH_* architectures), every syscall name against the x86_64 and aarch64 tables (with a suggestion for a misspelling, which the engine would silently skip), and safedock's rules: the default action must refuse what is not listed (SCMP_ACT_ERRNO, KILL, KILL_PROCESS, KILL_THREAD or TRAP), and "{}" or a profile without syscalls is refused (the engine turns seccomp off for "{}").

Exit codes: 0 the profile is valid; 1 it has problems (each printed on stderr as FILE: JSON-PATH: message) or cannot be read or parsed; 125 bad command-line usage.`;
  static override args = {
    file: Args.string({ description: 'seccomp profile (JSON) to check', required: true }),
  };
  static override examples = [
    '<%= config.bin %> seccomp check seccomp/strict.json',
    '<%= config.bin %> seccomp check ./my-profile.json',
  ];

  async run(): Promise<void> {
    const { args } = await this.parse(SeccompCheck);
    const report = renderSeccompCheck(await checkSeccompFile(args.file));
    for (const line of report.stdout) this.log(line);
    for (const line of report.stderr) this.logToStderr(line);
    if (report.exitCode !== 0) this.exit(report.exitCode);
  }
}
