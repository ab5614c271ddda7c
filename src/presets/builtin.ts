import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import type { Preset } from './types.js';
import { validatePreset } from './validate.js';

export const DEFAULT_PRESET = 'strict';

/** The folder holding package.json; this file runs from src/, dist/ or the run bundle in dist/. */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'presets'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('safedock: cannot find its own package folder (with presets/)');
    dir = parent;
  }
  return dir;
}

const packageRoot = findPackageRoot();

let cache: Map<string, Preset> | undefined;

/**
 * The presets shipped in presets/*.yaml. The build compiles them to dist/builtin-presets.json
 * so a run needs no YAML parser; from source they are parsed directly.
 */
export async function builtinPresets(): Promise<Map<string, Preset>> {
  if (cache) return cache;
  const compiled = join(packageRoot, 'dist', 'builtin-presets.json');
  let docs: Record<string, unknown>;
  if (existsSync(compiled) && import.meta.url.includes('/dist/')) {
    docs = JSON.parse(readFileSync(compiled, 'utf8')) as Record<string, unknown>;
  } else {
    const { parse } = await import('yaml');
    docs = {};
    const dir = join(packageRoot, 'presets');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
      const doc = parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
      docs[String(doc.name)] = { ...doc, file: `presets/${file}` };
    }
  }
  cache = new Map(Object.entries(docs).map(([name, doc]) => [name, validatePreset(doc, String((doc as { file?: unknown }).file ?? name))]));
  return cache;
}

export async function resolvePreset(name: string): Promise<Preset> {
  const presets = await builtinPresets();
  const preset = presets.get(name);
  if (!preset) {
    throw new UsageError(
      `unknown preset "${name}"`,
      `Choose one of: ${[...presets.keys()].sort().join(', ')} (for example --preset ${DEFAULT_PRESET}).`,
    );
  }
  return preset;
}
