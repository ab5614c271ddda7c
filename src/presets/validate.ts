import { SafedockError } from '../errors.js';
import { flagInfo } from '../merge/flag-info.js';
import type { Preset, PresetSetting, SettingValue } from './types.js';

function fail(file: string, key: string, message: string): never {
  throw new SafedockError(`preset ${file}: ${key}: ${message}`, {
    code: 'preset-invalid',
    hint: `Fix ${key} in ${file}; settings are docker run flags by their long name, e.g. "memory: { value: 512m }".`,
  });
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function checkSetting(file: string, key: string, raw: unknown, repeatable: boolean, flag = key): PresetSetting {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(file, key, 'expected a mapping with "value" (and optionally "reason")');
  const { value, reason, ...rest } = raw as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) fail(file, key, `unknown field "${extra[0]}"; a setting has "value" and "reason"`);
  if (reason !== undefined && typeof reason !== 'string') fail(file, `${key}.reason`, 'expected a line of text');
  let checked: SettingValue;
  if (Array.isArray(value)) {
    if (!repeatable) fail(file, `${key}.value`, `--${flag} takes one value, not a list`);
    if (!value.every((v) => typeof v === 'string' || typeof v === 'number')) fail(file, `${key}.value`, 'expected a list of strings');
    checked = value as Array<string | number>;
  } else if (isScalar(value)) {
    checked = value;
  } else {
    fail(file, `${key}.value`, 'expected a string, number, boolean or list');
  }
  return reason === undefined ? { value: checked } : { value: checked, reason: reason as string };
}

/** Checks a parsed preset document and returns it typed; errors name the file and the key. */
export function validatePreset(doc: unknown, file: string): Preset {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) fail(file, '(document)', 'expected a mapping with name, summary and settings');
  const d = doc as Record<string, unknown>;
  if (typeof d.name !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(d.name)) fail(file, 'name', 'expected a lower-case name of letters, digits, ".", "_" or "-"');
  const settingsRaw = d.settings ?? {};
  if (settingsRaw === null || typeof settingsRaw !== 'object' || Array.isArray(settingsRaw)) fail(file, 'settings', 'expected a mapping of docker run flags');
  const settings: Record<string, PresetSetting> = {};
  for (const [key, raw] of Object.entries(settingsRaw as Record<string, unknown>)) {
    const info = flagInfo(key);
    if (!info) fail(file, `settings.${key}`, `not a docker run flag safedock knows${suggestionFor(key)}`);
    if (!info.presettable) fail(file, `settings.${key}`, `--${key} only makes sense on the command line, not in a preset`);
    settings[key] = checkSetting(file, `settings.${key}`, raw, info.repeatable, key);
  }
  const preset: Preset = { name: d.name, summary: typeof d.summary === 'string' ? d.summary : '', file, settings };
  if (d.image !== undefined) {
    if (d.image === null || typeof d.image !== 'object') fail(file, 'image', 'expected a mapping');
    const nonRoot = (d.image as Record<string, unknown>).nonRootUser;
    if (nonRoot !== undefined) preset.image = { nonRootUser: checkSetting(file, 'image.nonRootUser', nonRoot, false, 'user') };
  }
  return preset;
}

function suggestionFor(key: string): string {
  const near = flagInfo.suggest(key);
  return near ? ` (did you mean "${near}"?)` : '';
}
