import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { builtinPresets, DEFAULT_PRESET } from './builtin.js';
import { PresetCatalog, type PresetChoice } from './catalog.js';
import {
  findProjectFolder,
  PROJECT_CONFIG_FILE,
  PROJECT_PRESET_DIR,
  readProjectConfig,
  type ProjectConfig,
} from './project-config.js';
import { configTrust } from './trust.js';
import type { Preset } from './types.js';

/** Where a run is: its working directory (for the project folder) and environment. */
export interface PresetContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * `$XDG_CONFIG_HOME/safedock/presets`, or `~/.config/safedock/presets` (a relative XDG_CONFIG_HOME
 * is ignored, as the XDG spec says).
 */
export function userPresetDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg !== undefined && xdg !== '' && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.config');
  return join(base, 'safedock', 'presets');
}

/**
 * The catalog for a folder: built-ins (from the compiled JSON), user presets, and, when the
 * working directory or a parent holds a project config, that config and the project's presets.
 * Only files that exist are read; without any, the YAML parser is never loaded.
 */
export async function openCatalog({ cwd, env }: PresetContext): Promise<PresetCatalog> {
  const trust = configTrust(env);
  const ignored: string[] = [];
  const folder = findProjectFolder(cwd, trust, ignored);
  let config: ProjectConfig | undefined;
  const file = folder === undefined ? undefined : join(folder, PROJECT_CONFIG_FILE);
  // A folder with project presets but no config file is a project too: its presets are found.
  if (file !== undefined && existsSync(file)) config = await readProjectConfig(file);
  const userDir = userPresetDir(env);
  const catalog = new PresetCatalog(
    await builtinPresets(),
    {
      userDir: existsSync(userDir) ? userDir : undefined,
      projectDir: folder === undefined ? undefined : join(folder, PROJECT_PRESET_DIR),
    },
    config,
    trust,
  );
  catalog.warnings.push(...ignored);
  return catalog;
}

/** The preset for a run: --preset, then SAFEDOCK_PRESET, then the project config's preset, then strict. */
export function choosePreset(
  cliName: string | undefined,
  env: NodeJS.ProcessEnv,
  config: ProjectConfig | undefined,
): PresetChoice {
  if (cliName !== undefined) return { name: cliName, origin: '--preset' };
  if (env.SAFEDOCK_PRESET) return { name: env.SAFEDOCK_PRESET, origin: 'SAFEDOCK_PRESET' };
  if (config?.preset !== undefined) return { name: config.preset, origin: 'project config' };
  return { name: DEFAULT_PRESET, origin: 'default' };
}

/** What a run needs from the catalog: the chosen preset, resolved over its parents, and the project config. */
export interface RunSelection {
  preset: Preset;
  project: ProjectConfig | undefined;
  /** Said in every plan and run: files ignored as untrusted, and presets that replace a built-in's name. */
  notes: string[];
  /**
   * The notes -q and SAFEDOCK_QUIET never silence: a preset that replaces a built-in's name (a
   * planted project `strict` must not pass unseen in a quiet script). Each is also in `notes`.
   */
  alerts: string[];
}

export async function selectForRun(cliName: string | undefined, context: PresetContext): Promise<RunSelection> {
  return selectFrom(await openCatalog(context), cliName, context.env);
}

/** selectForRun, from a catalog already open. */
export async function selectFrom(
  catalog: PresetCatalog,
  cliName: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<RunSelection> {
  const choice = choosePreset(cliName, env, catalog.projectConfig);
  const { preset, chain } = await catalog.resolve(choice);
  const chosenBy =
    choice.origin === 'project config' && catalog.projectConfig
      ? `the project config ${catalog.projectConfig.file}`
      : choice.origin;
  const alerts = chain
    .filter((p) => catalog.shadowsBuiltin(p))
    .map(
      (p) =>
        `preset ${p.name} is the ${p.source ?? ''} preset ${p.file}, not the built-in ${p.name}: a file of that name replaces the built-in (safedock presets list shows both)`,
    );
  return {
    preset: { ...preset, chosenBy },
    project: catalog.projectConfig,
    notes: [...catalog.warnings, ...alerts],
    alerts,
  };
}

/** The chosen preset, resolved over its parents. */
export async function selectPreset(cliName: string | undefined, context: PresetContext): Promise<Preset> {
  return (await selectForRun(cliName, context)).preset;
}
