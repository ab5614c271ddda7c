import { readFileSync } from 'node:fs';
import { reportError } from '../errors.js';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';
import { helpColumns, wrapHelp } from '../text/wrap.js';
import { commandTree } from './command-tree.js';
import { fromOclifError, oclifExitCode } from './oclif-errors.js';
import { unknownGlobalFlag } from './unknown-command.js';

export interface MainIO {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** safedock's version, as package.json has it. */
export function safedockVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

/**
 * Every command but run, explain, export and learn (which bin/run.js sends straight on): the
 * version (`-v`, `--version`, as docker), `help run`, `help explain`, `help export` and `help learn`
 * (the same text as their --help), then oclif's command tree with help wrapped to the terminal and
 * every error printed by the one formatter. Resolves with the exit status.
 */
export async function main(
  argv: readonly string[],
  io: MainIO,
  env: NodeJS.ProcessEnv,
  options: { development?: boolean } = {},
): Promise<number> {
  const [first, second] = argv;
  if (first === '-v' || first === '--version') {
    io.stdout.write(`safedock version ${safedockVersion()}\n`);
    return 0;
  }
  if (first === '__complete') {
    const { completeMain } = await import('../completion/complete-main.js');
    return completeMain(argv.slice(1), io, env, process.cwd());
  }
  // docker's -h is its --help; any other option before the command is one nobody knows.
  if (first === '-h') return main(['--help', ...argv.slice(1)], io, env, options);
  const unknownFlag = first === undefined ? undefined : unknownGlobalFlag(first);
  if (unknownFlag !== undefined) return reportError(unknownFlag, io.stderr, '', env);
  const columns = helpColumns(io.stdout, env);
  if (first === 'help' && argv.length === 2 && (second === 'run' || second === 'explain')) {
    // The flag table behind run's help loads only for it, not for every command oclif runs.
    const { renderExplainHelp, renderRunHelp } = await import('../docker-cli/run-help.js');
    io.stdout.write(second === 'run' ? renderRunHelp(columns) : renderExplainHelp(columns));
    return 0;
  }
  if (first === 'help' && argv.length === 2 && second === 'export') {
    const { renderExportHelp } = await import('../export/export-help.js');
    io.stdout.write(renderExportHelp(columns));
    return 0;
  }
  if (first === 'help' && argv.length === 2 && second === 'learn') {
    const { LEARN_HELP } = await import('./learn-main.js');
    io.stdout.write(wrapHelp(LEARN_HELP, columns));
    return 0;
  }
  // oclif reads its help width from this setting when its modules load, so it is set first.
  // Commands and hooks load from dist/, as this module does, whatever NODE_ENV says: oclif would
  // otherwise load their TypeScript sources under NODE_ENV=test or development, a second copy
  // of every module (bin/dev.js, which runs from the sources, asks for that).
  const settings = globalThis as { oclif?: Record<string, unknown> };
  settings.oclif = { ...settings.oclif, columns, enableAutoTranspile: options.development === true };
  // oclif checks the Node version with semver when it loads (milliseconds); bin/check-node.js has
  // already refused an old Node, so that check is skipped.
  const engineWarning = process.env.OCLIF_DISABLE_ENGINE_WARNING;
  process.env.OCLIF_DISABLE_ENGINE_WARNING = '1';
  const { Config, run } = await import('@oclif/core');
  if (engineWarning === undefined) delete process.env.OCLIF_DISABLE_ENGINE_WARNING;
  else process.env.OCLIF_DISABLE_ENGINE_WARNING = engineWarning;
  const config = await Config.load(packageRoot);
  try {
    // No flush afterwards: stdout is a file, a pipe or a terminal, all written synchronously here,
    // and waiting for a drain that a closed pipe never sends would hang.
    await run([...argv], config);
    return Number(process.exitCode ?? 0);
  } catch (err) {
    const code = oclifExitCode(err);
    if (code !== undefined) return code;
    return reportError(fromOclifError(err, undefined, commandTree(config.commands)), io.stderr, '', env);
  }
}
