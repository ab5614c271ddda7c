import type { OptionValue } from '../docker-cli/parsed-run.js';
import type { ImageFacts } from '../engine/engine.js';
import type { Preset, SettingValue } from '../presets/types.js';
import { flagInfo } from './flag-info.js';
import type { MergedOption, Override } from './provenance.js';
import { DEPENDENT_FLAGS, ruleFor } from './rules.js';
import { namesAddress, publishOn } from './publish-address.js';
import { anchorProfilePath } from '../presets/profile-path.js';

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

  const dropped = new Set(
    Object.entries(DEPENDENT_FLAGS).flatMap(([key, flags]) => (userByFlag.has(key) ? flags : [])),
  );
  const fromPreset: MergedOption[] = [];
  for (const [flag, setting] of Object.entries(preset.settings)) {
    if (dropped.has(flag) && !userByFlag.has(flag)) {
      overrides.push({ flag, preset: settingValues(setting.value), user: [] });
      continue;
    }
    const info = flagInfo(flag);
    const rule = ruleFor(flag, info?.repeatable ?? false);
    const source = {
      kind: 'preset' as const,
      preset: preset.name,
      file: preset.file,
      key: flag,
      ...(setting.reason ? { reason: setting.reason } : {}),
    };
    let values = settingValues(setting.value);
    if (flag === 'security-opt') values = values.map((v) => anchorProfilePath(v, preset));
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
      if (replaced.length > 0 && rule.kind !== 'union')
        overrides.push({ flag, preset: replaced, user: given.map((o) => o.value) });
    }
    for (const value of values) fromPreset.push({ name: flag, value, source });
  }

  const address = preset.ports?.defaultAddress;
  const fromUser: MergedOption[] = user.map((o) => {
    if (address === undefined || o.name !== 'publish' || namesAddress(o.value))
      return { ...o, source: { kind: 'user' as const } };
    const value = publishOn(o.value, String(address.value));
    notes.push(
      `-p ${o.value} is published on ${String(address.value)} only; name an address (e.g. -p 0.0.0.0:${o.value}) to publish on all interfaces`,
    );
    return {
      name: o.name,
      value,
      source: {
        kind: 'preset' as const,
        preset: preset.name,
        file: preset.file,
        key: 'ports.defaultAddress',
        ...(address.reason ? { reason: address.reason } : {}),
      },
    };
  });
  const options: MergedOption[] = [...fromPreset, ...fromUser];

  // A user named by your flags or by the preset's own settings is a choice; the image's root is
  // replaced only when nobody chose.
  const nonRoot = preset.image?.nonRootUser;
  if (nonRoot && !userByFlag.has('user') && preset.settings.user === undefined) {
    if (image === undefined) {
      notes.push(
        `the image was not inspected; safedock assumes it runs as root and runs it as ${String(nonRoot.value)}`,
      );
    }
    if (image === undefined || runsAsRoot(image.user)) {
      const reason = nonRoot.reason ?? 'the image would run as root';
      options.push({ name: 'user', value: String(nonRoot.value), source: { kind: 'image', reason } });
      notes.push(
        `the image runs as ${image?.user ? `"${image.user}"` : 'root'}; running it as ${String(nonRoot.value)} instead (pass -u to choose a user)`,
      );
    }
  }
  notes.push(...volumeNotes(options, image));
  return { options, overrides, notes };
}

/**
 * An image's VOLUME paths get writable anonymous volumes even under a read-only root: they are
 * reported, unless the run mounts something there itself.
 */
function volumeNotes(options: readonly MergedOption[], image: ImageFacts | undefined): string[] {
  const readOnly = options.filter((o) => o.name === 'read-only').at(-1)?.value === 'true';
  if (!readOnly || !image || image.volumes.length === 0) return [];
  const mounted = new Set(options.flatMap((o) => mountTarget(o.name, o.value)).map((p) => p.replace(/\/+$/, '')));
  return image.volumes
    .filter((path) => !mounted.has(path.replace(/\/+$/, '')))
    .map(
      (path) =>
        `the image declares VOLUME ${path}: despite the read-only root it gets a writable anonymous volume (removed with the container only with --rm); mount a tmpfs (--tmpfs ${path}) or a named volume there to choose`,
    );
}

function mountTarget(flag: string, value: string): string[] {
  if (flag === 'tmpfs') return [value.split(':')[0] ?? value];
  if (flag === 'volume') {
    const parts = value.split(':');
    return [parts.length >= 2 ? (parts[1] ?? '') : (parts[0] ?? '')];
  }
  if (flag === 'mount') {
    const field = value.split(',').find((f) => /^(target|dst|destination)=/.test(f));
    return field ? [field.slice(field.indexOf('=') + 1)] : [];
  }
  return [];
}
