import deepmerge from 'deepmerge';
import { findLongFlag } from '../docker-cli/run-flags.js';
import { settingKey } from '../docker-cli/setting-keys.js';
import { anchorProfilePath } from './profile-path.js';
import type { Preset, PresetSetting, SettingValue } from './types.js';

const asList = (value: SettingValue): Array<string | number> =>
  Array.isArray(value) ? value : [typeof value === 'boolean' ? String(value) : value];

/**
 * One setting of a child preset over its parent's, by the merge rule of the flag's field (the
 * flag table's `merge`, as your flags merge over a preset): replace takes the child's value; keyed
 * (and map) drops the parent's entries whose key the child gives, then adds the child's; union
 * keeps both sets; append lists the parent's then the child's. A combined list keeps both reasons.
 */
export function extendSetting(flag: string, parent: PresetSetting, child: PresetSetting): PresetSetting {
  const row = findLongFlag(flag);
  const kind = row?.merge?.kind ?? 'replace';
  const key = (v: string | number): string => settingKey(flag, String(v)) ?? String(v);
  let value: SettingValue;
  if (kind === 'replace' || row?.arity !== 'list') return child;
  switch (kind) {
    case 'keyed':
    case 'map': {
      const childKeys = new Set(asList(child.value).map(key));
      value = [...asList(parent.value).filter((v) => !childKeys.has(key(v))), ...asList(child.value)];
      break;
    }
    case 'union': {
      const parentKeys = new Set(asList(parent.value).map(key));
      value = [...asList(parent.value), ...asList(child.value).filter((v) => !parentKeys.has(key(v)))];
      break;
    }
    case 'append':
      value = [...asList(parent.value), ...asList(child.value)];
      break;
  }
  const reasons = [...new Set([parent.reason, child.reason].filter((r): r is string => r !== undefined && r !== ''))];
  return reasons.length === 0 ? { value } : { value, reason: reasons.join(' ') };
}

/** The child preset resolved over its (already resolved) parent; name, summary and file are the child's. */
export function extendPreset(parent: Preset, child: Preset): Preset {
  const settings: Record<string, PresetSetting> = anchoredSettings(parent);
  for (const [flag, setting] of Object.entries(anchoredSettings(child))) {
    const under = settings[flag];
    settings[flag] = under === undefined ? setting : extendSetting(flag, under, setting);
  }
  const resolved: Preset = { ...child, settings };
  const image = mergeSection(parent.image, child.image);
  if (image === undefined) delete resolved.image;
  else resolved.image = image;
  const ports = mergeSection(parent.ports, child.ports);
  if (ports === undefined) delete resolved.ports;
  else resolved.ports = ports;
  const network = mergeSection(parent.network, child.network);
  if (network === undefined) delete resolved.network;
  else resolved.network = network;
  // Accepted findings are inherited with the settings that raise them; the child's reason wins.
  const accept = { ...parent.accept, ...child.accept };
  if (Object.keys(accept).length > 0) resolved.accept = accept;
  else delete resolved.accept;
  return resolved;
}

/**
 * One of the other sections (image, ports), merged key by key, the child's keys winning; a setting
 * ({ value, reason }) is taken whole, never mixed from the two files. Undefined when both are empty.
 */
function mergeSection(
  parent: Readonly<Record<string, PresetSetting>> | undefined,
  child: Readonly<Record<string, PresetSetting>> | undefined,
): Record<string, PresetSetting> | undefined {
  const merged = deepmerge<Record<string, PresetSetting>>(parent ?? {}, child ?? {}, {
    // deepmerge types the argument as an object, but calls this with every value, null and scalars too.
    isMergeableObject: (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v) && !('value' in v),
  });
  return Object.keys(merged).length > 0 ? merged : undefined;
}

/** The preset's settings with profile paths made absolute against its own file (see profile-path.ts). */
function anchoredSettings(preset: Preset): Record<string, PresetSetting> {
  const settings = { ...preset.settings };
  const opts = settings['security-opt'];
  if (opts !== undefined)
    settings['security-opt'] = { ...opts, value: asList(opts.value).map((v) => anchorProfilePath(String(v), preset)) };
  return settings;
}
