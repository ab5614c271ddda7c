// Compiles the built-in presets (presets/*.yaml) into dist/builtin-presets.json, so that
// `safedock run` reads one JSON file instead of loading a YAML parser on every start.
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'presets');
const presets = {};
for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
  const doc = parse(readFileSync(join(dir, file), 'utf8'));
  presets[doc.name] = { ...doc, file: `presets/${file}` };
}
mkdirSync(join(root, 'dist'), { recursive: true });
writeFileSync(join(root, 'dist', 'builtin-presets.json'), JSON.stringify(presets));
