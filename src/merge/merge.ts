import type { OptionValue } from '../argv/types.js';
import type { ImageFacts } from '../engine/engine.js';
import type { Preset, SettingValue } from '../presets/types.js';
import { flagInfo } from './flag-info.js';
import type { MergedOption, Override } from './provenance.js';
import { ruleFor } from './rules.js';

export interface MergeResult {
  options: MergedOption[];
  overrides: Override[];
  notes: string[];
}

function settingValues(value: SettingValue): string[] {
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** An image user that means root: empty, `root`, `0`, with or without a group. */
export function runsAsRoot(user: string): boolean {
  const name = user.split(':')[0]?.trim() ?? '';
  return name === '' || name === 'root' || name === '0';
}

/**
 * Puts the preset underneath the user's flags, one rule per flag (see rules.ts), then tailors
 * the result to the image. Every effective option carries its source.
 */
export function mergeOptions(preset: Preset, user: readonly OptionValue[], image: ImageFacts | undefined): MergeResult {
  const overrides: Override[] = [];
  const notes: string[] = [];
  const userByFlag = new Map<string, OptionValue[]>();
  for (const option of user) userByFlag.set(option.name, [...(userByFlag.get(option.name) ?? []), option]);

  const fromPreset: MergedOption[] = [];
  for (const [flag, setting] of Object.entries(preset.settings)) {
    const info = flagInfo(flag);
    const rule = ruleFor(flag, info?.repeatable ?? false);
    const source = { kind: 'preset' as const, preset: preset.name, file: preset.file, key: flag, ...(setting.reason ? { reason: setting.reason } : {}) };
    let values = settingValues(setting.value);
    const given = userByFlag.get(flag) ?? [];
    if (given.length > 0) {
      const before = values;
      if (rule.kind === 'replace') values = [];
      else if (rule.kind === 'keyed') {
        const userKeys = new Set(given.map((o) => rule.key(o.value)));
        values = values.filter((v) => !userKeys.has(rule.key(v)));
      } else if (rule.kind === 'union') {
        const userKeys = new Set(given.map((o) => rule.key(o.value)));
        values = values.filter((v) => !userKeys.has(rule.key(v)));
      }
      const replaced = before.filter((v) => !values.includes(v));
      if (replaced.length > 0 && rule.kind !== 'union') overrides.push({ flag, preset: replaced, user: given.map((o) => o.value) });
    }
    for (const value of values) fromPreset.push({ name: flag, value, source });
  }

  const options: MergedOption[] = [...fromPreset, ...user.map((o) => ({ ...o, source: { kind: 'user' as const } }))];

  const nonRoot = preset.image?.nonRootUser;
  if (nonRoot && !userByFlag.has('user')) {
    if (image === undefined) {
      notes.push(`the image was not inspected; safedock assumes it runs as root and runs it as ${String(nonRoot.value)}`);
    }
    if (image === undefined || runsAsRoot(image.user)) {
      const reason = nonRoot.reason ?? 'the image would run as root';
      options.push({ name: 'user', value: String(nonRoot.value), source: { kind: 'image', reason } });
      notes.push(`the image runs as ${image?.user ? `"${image.user}"` : 'root'}; running it as ${String(nonRoot.value)} instead (pass -u to choose a user)`);
    }
  }
  return { options, overrides, notes };
}
