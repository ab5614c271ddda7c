import { Command } from '@oclif/core';
import { reportError } from '../errors.js';
import { fromOclifError, oclifExitCode } from './oclif-errors.js';
import { locateConfigError } from '../presets/yaml-file.js';

/**
 * The base of safedock's oclif commands: whatever a command throws, its own errors and oclif's
 * parse errors alike, is printed by the one formatter (formatError in src/errors.ts) and ends the
 * command with that error's exit status.
 */
export abstract class SafedockCommand extends Command {
  protected override async catch(err: Error & { exitCode?: number }): Promise<never> {
    if (oclifExitCode(err) !== undefined) throw err;
    const command = this.id?.split(':').join(' ') ?? '';
    // A command without flags has none declared at all (undefined at run time, whatever the type says).
    const declared = this.ctor.flags as Record<string, { name: string; char?: string; type: string }> | undefined;
    const flags = Object.values(declared ?? {});
    const code = reportError(await locateConfigError(fromOclifError(err, { command, flags })), process.stderr, command);
    this.exit(code);
  }
}
