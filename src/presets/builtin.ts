import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PresetCatalog } from './catalog.js';
import type { Preset } from './types.js';
import { validatePreset } from './validate.js';
import { readYamlFile, withLines } from './yaml-file.js';

export const DEFAULT_PRESET = 'strict';

export { packageRoot } from '../package-root.js';
import { packageRoot } from '../package-root.js';

let cache: Promise<Map<string, Preset>> | undefined;

/**
 * The presets shipped in presets/*.yaml, checked but not yet resolved (a preset's `extends` is
 * applied by the catalog). The build compiles them to dist/builtin-presets.json so a run needs no
 * YAML parser nor a second check; from source they are parsed directly, with line numbers in errors.
 */
export function builtinPresets(): Promise<Map<string, Preset>> {
  cache ??= loadBuiltins();
  return cache;
}

async function loadBuiltins(): Promise<Map<string, Preset>> {
  const compiled = join(packageRoot, 'dist', 'builtin-presets.json');
  const presets = new Map<string, Preset>();
  if (existsSync(compiled) && import.meta.url.includes('/dist/')) {
    // The build wrote these presets after checking them with validatePreset (the same code, from
    // the same commit): a run takes them as they are instead of checking them again.
    const checked = JSON.parse(readFileSync(compiled, 'utf8')) as Record<string, Preset>;
    for (const [name, preset] of Object.entries(checked)) presets.set(name, { ...preset, source: 'built-in' });
    return presets;
  }
  const dir = join(packageRoot, 'presets');
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const preset = await readBuiltinFile(join(dir, file), `presets/${file}`);
    presets.set(preset.name, preset);
  }
  return presets;
}

/** One built-in preset file, checked with line numbers (also used by scripts/compile-presets.mjs). */
export async function readBuiltinFile(path: string, display: string): Promise<Preset> {
  const yaml = await readYamlFile(path, 'preset', display);
  return { ...withLines(yaml, () => validatePreset(yaml.value, display)), source: 'built-in' };
}

/** A built-in preset by name, resolved (its `extends` applied). Runs use selectPreset (select.ts). */
export async function resolvePreset(name: string): Promise<Preset> {
  const catalog = new PresetCatalog(await builtinPresets(), { userDir: undefined, projectDir: undefined }, undefined);
  return (await catalog.resolve({ name, origin: '--preset' })).preset;
}
