/**
 * The part of a merged run that the preset (or image tailoring) gave: what an override file has to
 * add under a service whose own settings stay as they are. Field by field with the merge's rules:
 * a replaced field is kept when the preset set it; a keyed one keeps the preset's items; a map its keys.
 */
import { FIELD_RULES, itemKeyOf } from '../model/merge-rules.js';
import { originOf, provenanceKey, type Provenance } from '../model/provenance.js';
import { emptySpec, type RunSpec, type SpecField } from '../model/run-spec.js';

const fromPreset = (provenance: Provenance, field: string, item?: string): boolean => {
  const kind = (
    item === undefined
      ? provenance.get(field)
      : (provenance.get(provenanceKey(field, item)) ?? originOf(provenance, field))
  )?.source.kind;
  return kind === 'preset' || kind === 'image';
};

export function presetPart(spec: RunSpec, provenance: Provenance): RunSpec {
  const part = emptySpec();
  const target = part as unknown as Record<SpecField, unknown>;
  for (const field of Object.keys(FIELD_RULES) as SpecField[]) {
    const rule = FIELD_RULES[field];
    const value: unknown = spec[field];
    if (rule.kind === 'keyed' || rule.kind === 'union') {
      target[field] = (value as unknown[]).filter((item) => fromPreset(provenance, field, itemKeyOf(field, item)));
    } else if (rule.kind === 'map') {
      target[field] = Object.fromEntries(
        Object.entries(value as Record<string, string>).filter(([k]) => fromPreset(provenance, field, k)),
      );
    } else if (fromPreset(provenance, field)) {
      target[field] = value;
    }
  }
  return part;
}
