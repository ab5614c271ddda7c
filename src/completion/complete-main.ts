import { globalWords } from '../engine/global-options.js';
import { packageRoot } from '../package-root.js';
import { RULES } from '../policy/catalog.js';
import { builtinPresets } from '../presets/builtin.js';
import type { PresetCatalog } from '../presets/catalog.js';
import { openCatalog } from '../presets/select.js';
import { complete } from './complete.js';
import { buildSpec, type OclifCommandInfo } from './spec.js';

/**
 * `safedock __complete WORD... CURRENT` (hidden; the completion scripts call it): prints the
 * candidates for CURRENT, one `value<TAB>description` line each, then `:files`, `:dirs` or
 * `:none`. Never fails loudly: a shell completing prints nothing rather than an error.
 */
export async function completeMain(
  args: readonly string[],
  io: { stdout: NodeJS.WritableStream },
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<number> {
  const words = args.slice(0, -1);
  // The command is the first word after docker's global options (`safedock -H unix:///x run …`).
  const spec = buildSpec(await commandInfo(words[globalWords(words).count]));
  const cur = args[args.length - 1] ?? '';
  // A broken project config completes what it can: the run itself will say what is wrong.
  const catalog = async (): Promise<PresetCatalog | undefined> => openCatalog({ cwd, env }).catch(() => undefined);
  const result = await complete(spec, words, cur, {
    presets: async () => (await catalog())?.names() ?? [...(await builtinPresets()).keys()],
    services: async () => Object.keys((await catalog())?.projectConfig?.services ?? {}),
    rules: RULES,
  });
  const lines = result.candidates.map((c) =>
    c.description === undefined || c.description === '' ? c.value : `${c.value}\t${oneLine(c.description)}`,
  );
  lines.push(`:${result.names ?? 'none'}`);
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/**
 * The commands completion needs to know: after `run`, `explain` or `learn` (the most completed), only
 * that one, whose flags come from the docker flag table, without loading oclif; else oclif's list.
 */
async function commandInfo(first: string | undefined): Promise<readonly OclifCommandInfo[]> {
  if (first === 'run' || first === 'explain' || first === 'learn' || first === 'export') {
    return [{ id: first, flags: {}, args: {} }];
  }
  const { Config } = await import('@oclif/core');
  const config = await Config.load(packageRoot);
  return config.commands;
}

/** Descriptions are shown beside the value: one line, tabs and newlines flattened. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
