import { findLongFlag, RUN_FLAGS } from '../docker-cli/run-flags.js';
import { didYouMean, suggest } from '../grammar/suggest.js';
import { checkAcceptMap } from '../policy/accept.js';
import { ConfigFileError, keyPathText, type KeyPath } from './errors.js';
import { PRESET_NAME, type Preset, type PresetSetting, type SettingValue } from './types.js';

/** `first`: what the hint line says before how to fix the key (a suggestion, said as everywhere). */
function fail(file: string, path: KeyPath, message: string, first = ''): never {
  const key = keyPathText(path);
  throw new ConfigFileError('preset', file, path, message, {
    hint: `${first}Fix ${key} in ${file}; settings are docker run flags by their long name, e.g. "memory: { value: 512m }".`,
  });
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function refuseUnknown(
  file: string,
  at: KeyPath,
  raw: Record<string, unknown>,
  known: readonly string[],
  what: string,
): void {
  for (const key of Object.keys(raw)) {
    if (known.includes(key)) continue;
    fail(
      file,
      [...at, key],
      `unknown field; ${what} has ${known.map((k) => `"${k}"`).join(', ')}`,
      didYouMean(suggest(key, [...known]), quoted),
    );
  }
}

function checkSetting(file: string, path: KeyPath, raw: unknown, repeatable: boolean, flag: string): PresetSetting {
  if (!isMapping(raw)) fail(file, path, 'expected a mapping with "value" (and optionally "reason")');
  const { value, reason, ...rest } = raw;
  const extra = Object.keys(rest);
  if (extra.length > 0)
    fail(file, [...path, extra[0] ?? ''], `unknown field "${extra[0]}"; a setting has "value" and "reason"`);
  if (reason !== undefined && typeof reason !== 'string') fail(file, [...path, 'reason'], 'expected a line of text');
  let checked: SettingValue;
  if (Array.isArray(value)) {
    if (!repeatable) fail(file, [...path, 'value'], `--${flag} takes one value, not a list`);
    if (!value.every((v) => typeof v === 'string' || typeof v === 'number'))
      fail(file, [...path, 'value'], 'expected a list of strings');
    checked = value;
  } else if (isScalar(value)) {
    checked = value;
  } else {
    fail(file, [...path, 'value'], 'expected a string, number, boolean or list');
  }
  return reason === undefined ? { value: checked } : { value: checked, reason: reason };
}

const PRESET_FIELDS = ['name', 'summary', 'extends', 'settings', 'image', 'ports', 'network', 'accept'] as const;

/** Docker's network names; the built-in modes cannot be a network safedock owns. */
const NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const BUILT_IN_NETWORKS = new Set(['bridge', 'host', 'none', 'default']);

/** Checks a parsed preset document and returns it typed; errors name the file and the key. */
export function validatePreset(doc: unknown, file: string): Preset {
  if (!isMapping(doc)) fail(file, [], 'expected a mapping with name, summary and settings');
  const d = doc;
  if (typeof d.name !== 'string' || !PRESET_NAME.test(d.name))
    fail(file, ['name'], 'expected a lower-case name of letters, digits, ".", "_" or "-"');
  refuseUnknown(file, [], d, PRESET_FIELDS, 'a preset');
  if (d.summary !== undefined && typeof d.summary !== 'string') fail(file, ['summary'], 'expected one line of text');
  if (d.extends !== undefined && (typeof d.extends !== 'string' || !PRESET_NAME.test(d.extends))) {
    fail(file, ['extends'], 'expected the name of one preset (lower-case letters, digits, ".", "_" or "-")');
  }
  const settingsRaw = d.settings ?? {};
  if (!isMapping(settingsRaw)) fail(file, ['settings'], 'expected a mapping of docker run flags');
  const settings: Record<string, PresetSetting> = {};
  for (const [key, raw] of Object.entries(settingsRaw)) {
    // Canonical names only: an alias (--net) would hide the setting from a child preset's merge.
    const row = findLongFlag(key);
    if (row === undefined || row.name !== key)
      fail(file, ['settings', key], 'not a docker run flag safedock knows', suggestionFor(key));
    if (!row.presettable)
      fail(file, ['settings', key], `--${key} only makes sense on the command line, not in a preset`);
    settings[key] = checkSetting(file, ['settings', key], raw, row.arity === 'list', key);
  }
  const preset: Preset = { name: d.name, summary: typeof d.summary === 'string' ? d.summary : '', file, settings };
  if (typeof d.extends === 'string') preset.extends = d.extends;
  if (d.image !== undefined) {
    if (!isMapping(d.image)) fail(file, ['image'], 'expected a mapping');
    refuseUnknown(file, ['image'], d.image, ['nonRootUser'], 'image');
    const nonRoot = d.image.nonRootUser;
    if (nonRoot !== undefined)
      preset.image = { nonRootUser: checkSetting(file, ['image', 'nonRootUser'], nonRoot, false, 'user') };
  }
  if (d.ports !== undefined) {
    if (!isMapping(d.ports)) fail(file, ['ports'], 'expected a mapping');
    refuseUnknown(file, ['ports'], d.ports, ['defaultAddress'], 'ports');
    const address = d.ports.defaultAddress;
    if (address !== undefined) {
      const checked = checkSetting(file, ['ports', 'defaultAddress'], address, false, 'publish');
      if (typeof checked.value !== 'string' || !/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\])$/.test(checked.value)) {
        fail(
          file,
          ['ports', 'defaultAddress', 'value'],
          'expected an IPv4 address such as 127.0.0.1, or an IPv6 one in brackets such as [::1]',
        );
      }
      preset.ports = { defaultAddress: checked };
    }
  }
  if (d.network !== undefined) {
    if (!isMapping(d.network)) fail(file, ['network'], 'expected a mapping');
    refuseUnknown(file, ['network'], d.network, ['isolated'], 'network');
    const isolated = d.network.isolated;
    if (isolated !== undefined) {
      const checked = checkSetting(file, ['network', 'isolated'], isolated, false, 'network');
      if (
        typeof checked.value !== 'string' ||
        !NETWORK_NAME.test(checked.value) ||
        BUILT_IN_NETWORKS.has(checked.value.toLowerCase())
      ) {
        fail(
          file,
          ['network', 'isolated', 'value'],
          'expected the name of a network safedock creates, e.g. safedock (not bridge, host, none or default)',
        );
      }
      preset.network = { isolated: checked };
    }
  }
  if (d.accept !== undefined) {
    preset.accept = checkAcceptMap(d.accept, (key, message, hint) =>
      fail(file, key === undefined ? ['accept'] : ['accept', key], message, hint === undefined ? '' : `${hint} `),
    );
  }
  return preset;
}

function suggestionFor(key: string): string {
  const near = suggest(
    key,
    RUN_FLAGS.map((f) => f.name),
  );
  return didYouMean(near, quoted);
}

const quoted = (name: string): string => `"${name}"`;
