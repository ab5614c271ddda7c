import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SafedockError } from '../errors.js';
import { writeFileAtomic } from '../project/write-file-atomic.js';
import {
  findProjectFolder,
  PROJECT_CONFIG_FILE,
  PROJECT_PRESET_DIR,
  readProjectConfig,
} from '../presets/project-config.js';
import { editYamlText, readYamlFile } from '../presets/yaml-file.js';

/** The reason safedock init wrote beside the ports of a project preset, before they moved to a service. */
const INIT_PORTS_REASON = /\(answered in safedock init\)/;

/**
 * Earlier versions of `safedock init` wrote the answered ports into the project preset, so that
 * every run in the folder published them and a second container failed with "port is already
 * allocated". This moves them, once, to the service of the same name in the project config
 * (`services: NAME: ports:`), which runs publish only with `--service NAME`: the preset loses its
 * `publish` setting and the ports part of its summary, both files keep their comments and their
 * other fields. Only the preset the project config names is looked at, and only when init wrote
 * its ports (the reason it gave them). Returns what to tell the user: nothing when there was
 * nothing to move, so the note comes once.
 */
export async function migrateInitPorts(cwd: string): Promise<string[]> {
  const folder = findProjectFolder(cwd);
  if (folder === undefined) return [];
  const configFile = join(folder, PROJECT_CONFIG_FILE);
  // A project folder may hold presets and no config file (then there is nothing to move).
  if (!existsSync(configFile)) return [];
  const configText = readFileSync(configFile, 'utf8');
  const presetName = /^preset:\s*["']?([a-z0-9][a-z0-9._-]*)/m.exec(configText)?.[1];
  if (presetName === undefined) return [];
  const presetFile = join(folder, PROJECT_PRESET_DIR, `${presetName}.yaml`);
  if (!existsSync(presetFile)) return [];
  const presetText = readFileSync(presetFile, 'utf8');
  // Most folders stop here, before any YAML is parsed.
  if (!presetText.includes('publish') || !INIT_PORTS_REASON.test(presetText)) return [];

  const preset = (await readYamlFile(presetFile, 'preset')).value as {
    summary?: unknown;
    settings?: { publish?: { value?: unknown; reason?: unknown } };
  } | null;
  const publish = preset?.settings?.publish;
  if (typeof publish?.reason !== 'string' || !INIT_PORTS_REASON.test(publish.reason)) return [];
  const ports = (Array.isArray(publish.value) ? publish.value : [publish.value]).map(String);
  // The config is read as runs read it: a broken one is reported by the run, not half-migrated.
  const config = await readProjectConfig(configFile);
  const kept = config.services?.[presetName]?.ports ?? [];
  const merged = [...kept, ...ports.filter((p) => !kept.includes(p))];

  const newConfig = await editYamlText(configText, [
    { op: 'set', path: ['services', presetName, 'ports'], value: merged },
  ]);
  const summary = typeof preset?.summary === 'string' ? withoutPorts(preset.summary) : undefined;
  const newPreset = await editYamlText(presetText, [
    { op: 'delete', path: ['settings', 'publish'] },
    ...(summary === undefined ? [] : [{ op: 'set' as const, path: ['summary'], value: summary }]),
  ]);
  if (newConfig === undefined || newPreset === undefined) return [];
  // The config first: should the second write fail, the ports are in both files, never in neither.
  try {
    writeFileAtomic(configFile, newConfig, { replace: true });
    writeFileAtomic(presetFile, newPreset, { replace: true });
  } catch (err) {
    if (!(err instanceof SafedockError)) throw err;
    return [
      `the ports of ${rel(folder, presetFile)} apply to every run here; moving them to a service failed: ${err.message}`,
    ];
  }
  return [
    `moved ports ${ports.join(', ')} from preset ${presetName} to service ${presetName} in ${rel(folder, configFile)}; runs publish them only with --service ${presetName}`,
  ];
}

const rel = (folder: string, file: string): string => relative(folder, file) || file;

/** init's summary without its ports part: "strict for this project: ports 8080:80; memory 1g (…)". */
function withoutPorts(summary: string): string {
  return summary
    .replace(/ports [^;()]*; /, '')
    .replace(/: ports [^;()]* \(/, ' (')
    .replace(/; ports [^;()]* \(/, ' (');
}
