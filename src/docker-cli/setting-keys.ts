/**
 * The item key of one flag value as written (`--cap-add net_admin` → `NET_ADMIN`, `--tmpfs
 * /tmp:size=1m` → `/tmp`): the same keys the model's merge uses (src/model/merge-rules.ts), read off
 * the text. Presets are files of flag values; `extends` merges a child preset over its parent with
 * these keys and the rule of each flag's field, so that a child preset combines with its parent as
 * your flags combine with a preset.
 */
import { capabilityName } from '../grammar/capabilities.js';
import { readCsvRecord } from '../grammar/csv.js';
import { parsePublish } from '../grammar/ports.js';
import { readSecurityOpt } from '../grammar/security-opt.js';
import { parseVolumeSpec } from '../grammar/volumes.js';
import { cleanTarget } from '../model/mounts.js';
import type { SpecField } from '../model/run-spec.js';
import { findLongFlag, rowFields } from './run-flags.js';

const beforeEquals = (text: string): string => (text.includes('=') ? text.slice(0, text.indexOf('=')) : text);

/** Each keyed field's key, from a flag's text. A value that does not parse is its own key. */
function keyOf(flag: string, field: SpecField, text: string): string {
  try {
    switch (field) {
      case 'capAdd':
      case 'capDrop':
        return capabilityName(text);
      case 'securityOpt':
        return readSecurityOpt(text).key;
      case 'mounts':
        if (flag === 'tmpfs') return cleanTarget(text.split(':')[0] ?? text);
        if (flag === 'volume') return cleanTarget(parseVolumeSpec(text).target);
        return cleanTarget(
          readCsvRecord(text)
            .find((f) => /^(target|dst|destination)=/i.test(f))
            ?.replace(/^[^=]*=/, '') ?? text,
        );
      case 'ports':
        return parsePublish(text)[0]?.port ?? text;
      case 'devices':
        return text.split(':')[1] ?? text.split(':')[0] ?? text;
      default:
        return beforeEquals(text);
    }
  } catch {
    return text;
  }
}

/** The key of one value of a flag under its field's rule; undefined for fields without items. */
export function settingKey(flag: string, text: string): string | undefined {
  const row = findLongFlag(flag);
  const field = row === undefined ? undefined : rowFields(row)[0];
  if (row === undefined || field === undefined) return undefined;
  const rule = row.merge;
  if (rule === undefined || (rule.kind !== 'keyed' && rule.kind !== 'union' && rule.kind !== 'map')) return undefined;
  return keyOf(flag, field, text);
}
