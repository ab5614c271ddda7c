import { anchorProfilePath } from './profile-path.js';
import { yamlText } from './yaml-file.js';
import { findLongFlag } from '../docker-cli/run-flags.js';
import type { CatalogEntry, PresetChoice, ResolvedPreset } from './catalog.js';
import type { Preset, PresetSetting } from './types.js';

export const SHOW_FORMATS = ['yaml', 'json', 'args'] as const;
export type ShowFormat = (typeof SHOW_FORMATS)[number];

/** A word as a POSIX shell reads it back: bare when safe, else in single quotes. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

function flagArgs(flag: string, setting: PresetSetting): string[] {
  const values = Array.isArray(setting.value) ? setting.value : [setting.value];
  const boolean = findLongFlag(flag)?.kind === 'bool';
  return values.flatMap((value) => {
    if (boolean) return String(value) === 'true' ? [`--${flag}`] : [`--${flag}=${String(value)}`];
    return [`--${flag}`, String(value)];
  });
}

/**
 * The preset as docker run arguments, one flag per value in the preset's order. A preset's
 * non-root user comes last as `--user`: what safedock applies to an image that runs as root.
 */
export function presetArgs(preset: Preset): string[] {
  // A profile path relative to the preset file is made absolute, so the arguments work anywhere.
  const args = Object.entries(preset.settings).flatMap(([flag, setting]) =>
    flagArgs(
      flag,
      flag === 'security-opt' && Array.isArray(setting.value)
        ? { ...setting, value: setting.value.map((v) => anchorProfilePath(String(v), preset)) }
        : setting,
    ),
  );
  // The isolated network, as a run joins it when no network is named (safedock creates it first).
  const isolated = preset.network?.isolated;
  if (isolated !== undefined && preset.settings.network === undefined) args.push('--network', String(isolated.value));
  // A user the settings name replaces the root-image user, as a run does.
  const user = preset.image?.nonRootUser;
  if (user !== undefined && preset.settings.user === undefined) args.push('--user', String(user.value));
  return args;
}

/** The resolved preset as a self-contained document (no `extends`): what a preset file would hold. */
function presetDocument(preset: Preset): Record<string, unknown> {
  return {
    name: preset.name,
    summary: preset.summary,
    settings: preset.settings,
    ...(preset.image?.nonRootUser ? { image: { nonRootUser: preset.image.nonRootUser } } : {}),
    ...(preset.ports?.defaultAddress ? { ports: { defaultAddress: preset.ports.defaultAddress } } : {}),
    ...(preset.network?.isolated ? { network: { isolated: preset.network.isolated } } : {}),
    ...(preset.accept ? { accept: preset.accept } : {}),
  };
}

const chainText = ({ chain }: ResolvedPreset): string =>
  chain.map((p) => `${p.name} (${p.source ?? 'built-in'}, ${p.file})`).join(' <- ');

export async function renderPreset(resolved: ResolvedPreset, format: ShowFormat): Promise<string> {
  const { preset } = resolved;
  switch (format) {
    case 'args':
      return `${presetArgs(preset).map(shellQuote).join(' ')}\n`;
    case 'json':
      return `${JSON.stringify({ ...presetDocument(preset), source: preset.source ?? 'built-in', file: preset.file, chain: resolved.chain.map((p) => ({ name: p.name, source: p.source ?? 'built-in', file: p.file })) }, null, 2)}\n`;
    case 'yaml':
      return yamlText(presetDocument(preset), ` The preset "${preset.name}" resolved: ${chainText(resolved)}`);
  }
}

export interface ListRow {
  name: string;
  source: string;
  file: string;
  extends: string;
  summary: string;
  default: boolean;
}

export function listRows(entries: readonly CatalogEntry[], choice: PresetChoice): ListRow[] {
  const builtins = new Set(
    entries.filter((e) => (e.preset.source ?? 'built-in') === 'built-in').map((e) => e.preset.name),
  );
  const shadows = (p: CatalogEntry['preset']): boolean =>
    (p.source ?? 'built-in') !== 'built-in' && builtins.has(p.name);
  return entries.map(({ preset, overriddenBy }) => ({
    name: preset.name,
    source: `${preset.source ?? 'built-in'}${shadows(preset) ? ', replaces the built-in' : ''}${overriddenBy ? ` (overridden by ${overriddenBy})` : ''}`,
    file: preset.file,
    extends: preset.extends ?? '',
    summary: preset.summary,
    default: preset.name === choice.name && overriddenBy === undefined,
  }));
}

/** The list as an aligned table; `*` marks the effective default, explained under the table. */
export function renderList(rows: readonly ListRow[], choice: PresetChoice, why: string, broken = false): string {
  const header = { name: 'NAME', source: 'SOURCE', extends: 'EXTENDS', file: 'FILE', summary: 'SUMMARY' };
  const table = [
    header,
    ...rows.map((r) => ({ ...r, name: `${r.default ? '* ' : '  '}${r.name}`, extends: r.extends || '-' })),
  ];
  table[0] = { ...header, name: `  ${header.name}` };
  const width = (key: keyof typeof header): number => Math.max(...table.map((r) => r[key].length));
  const columns = ['name', 'source', 'extends', 'file'] as const;
  const lines = table.map((r) => `${columns.map((c) => r[c].padEnd(width(c))).join('  ')}  ${r.summary}`.trimEnd());
  const found = rows.some((r) => r.default);
  const missing = broken ? 'its file is broken (see the errors)' : 'no such preset';
  lines.push(
    '',
    found
      ? `* default: ${choice.name}, ${why}`
      : `default: ${choice.name}, ${why}; ${missing}, so a run without --preset fails`,
  );
  return `${lines.join('\n')}\n`;
}
