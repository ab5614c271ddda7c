// Compiles the built-in presets (presets/*.yaml) into dist/builtin-presets.json, so that
// `safedock run` reads one JSON file of checked presets instead of loading a YAML parser and
// checking every preset on every start.
// Runs after tsc: each preset is checked with the compiled validator (errors name file:line: key),
// and every `extends` chain is resolved once, so a broken built-in fails the build.
import { readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBuiltinFile } from '../dist/presets/builtin.js';
import { PresetCatalog } from '../dist/presets/catalog.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'presets');
const presets = {};
const checked = new Map();
try {
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const preset = await readBuiltinFile(join(dir, file), `presets/${file}`);
    if (`${preset.name}.yaml` !== file)
      throw new Error(`presets/${file}: name: "${preset.name}" differs from the file name`);
    checked.set(preset.name, preset);
    // Written as checked (validatePreset's output), so that a run does not check it again.
    const { source: _source, ...compiled } = preset;
    presets[preset.name] = compiled;
  }
  const catalog = new PresetCatalog(checked, { userDir: undefined, projectDir: undefined }, undefined);
  for (const name of checked.keys()) await catalog.resolve({ name, origin: '--preset' });
  // The shipped seccomp profiles are checked here, once, instead of on every run.
  const { checkSeccompFile } = await import('../dist/seccomp/validate.js');
  for (const file of readdirSync(join(root, 'seccomp')).filter((f) => f.endsWith('.json'))) {
    const report = await checkSeccompFile(join(root, 'seccomp', file));
    if (report.problems.length > 0)
      throw new Error(`seccomp/${file}: ${report.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  }
} catch (err) {
  console.error(`compile-presets: ${err.message}`);
  process.exit(1);
}
mkdirSync(join(root, 'dist'), { recursive: true });
writeFileSync(join(root, 'dist', 'builtin-presets.json'), JSON.stringify(presets));
