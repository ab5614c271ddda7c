// Writes oclif.manifest.json: every command's id, summary, flags and file, so that oclif lists the
// commands and shows help without loading each command's module (which `safedock --help`,
// `rules` or `presets list` would otherwise pay for on every start). Runs after tsc, from dist/;
// development through bin/dev.js ignores the file and reads the sources.
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Config } from '@oclif/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const file = join(root, 'oclif.manifest.json');
// oclif reads an existing manifest instead of the commands: it would be written back unchanged.
rmSync(file, { force: true });
const config = await Config.load(root);
const plugin = config.plugins.get(config.pjson.name);
if (plugin === undefined) throw new Error(`oclif-manifest: no plugin ${config.pjson.name} at ${root}`);
const { manifest } = plugin;
if (Object.keys(manifest.commands).length === 0) throw new Error('oclif-manifest: no commands found in dist/commands');
writeFileSync(file, `${JSON.stringify(manifest, null, 1)}\n`);
