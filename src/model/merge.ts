/**
 * Layers of the run model merged into one run: the preset's at the bottom, image tailoring above
 * it, your flags on top. Each field combines by its rule (src/model/merge-rules.ts); the provenance
 * of every field and keyed item follows the layer that set it, and every preset value a higher
 * layer replaced is recorded as an override (a loosening the policy and the plan can show).
 */
import { FIELD_RULES, type MergeRule } from './merge-rules.js';
import { provenanceKey, type Origin, type Provenance, type SpecLayer } from './provenance.js';
import { emptySpec, type RunSpec, type SpecField } from './run-spec.js';

/** A lower layer's value that a higher layer replaced. */
export interface Override {
  field: SpecField;
  /** The item's key for keyed fields (`/tmp` for a mount, `NET_ADMIN` for a capability). */
  item?: string;
  /** The options that had set it. */
  replaced: Origin[];
  /** The options that replaced it. */
  by: Origin[];
}

export interface MergedSpec {
  spec: RunSpec;
  provenance: Provenance;
  overrides: Override[];
}

const FIELDS = Object.keys(FIELD_RULES) as SpecField[];

/** Origins recorded for a field in a layer: the field's own and its items'. */
function originsOf(provenance: ReadonlyMap<string, Origin>, field: SpecField): Array<[string, Origin]> {
  return [...provenance].filter(([key]) => key === field || key.startsWith(`${field}:`));
}

function itemOrigins(origins: Array<[string, Origin]>, field: SpecField, item: string): Origin[] {
  const key = provenanceKey(field, item);
  return origins.filter(([k]) => k === key).map(([, o]) => o);
}

function dropField(provenance: Provenance, field: SpecField): void {
  for (const [key] of originsOf(provenance, field)) provenance.delete(key);
}

/** Layers lowest first. */
export function mergeLayers(layers: readonly SpecLayer[]): MergedSpec {
  const spec = emptySpec();
  const provenance: Provenance = new Map();
  const overrides: Override[] = [];

  // A field a layer sets can make lower layers' values of other fields meaningless (`drops`).
  const dropped = layers.map(() => new Map<SpecField, Origin[]>());
  layers.forEach((layer, i) => {
    for (const field of Object.keys(layer.spec) as SpecField[]) {
      const rule: MergeRule = FIELD_RULES[field];
      if (rule.kind !== 'replace' || rule.drops === undefined) continue;
      const by = layer.provenance.get(field);
      for (let j = 0; j < i; j++) for (const d of rule.drops) dropped[j]?.set(d, by === undefined ? [] : [by]);
    }
  });

  for (const field of FIELDS) {
    let set = false;
    layers.forEach((layer, i) => {
      if (!(field in layer.spec)) return;
      const value = layer.spec[field];
      const origins = originsOf(layer.provenance, field);
      const fieldOrigin = layer.provenance.get(field);
      const droppedBy = dropped[i]?.get(field);
      if (droppedBy !== undefined) {
        const items = origins.filter(([key]) => key !== field);
        overrides.push({ field, replaced: (items.length > 0 ? items : origins).map(([, o]) => o), by: droppedBy });
        return;
      }
      merged(field, value, origins, fieldOrigin, set);
      set = true;
    });
  }
  return { spec, provenance, overrides };

  function merged(
    field: SpecField,
    value: unknown,
    origins: Array<[string, Origin]>,
    fieldOrigin: Origin | undefined,
    alreadySet: boolean,
  ): void {
    const rule: MergeRule = FIELD_RULES[field];
    const target = spec as unknown as Record<SpecField, unknown>;
    switch (rule.kind) {
      case 'replace': {
        if (alreadySet) {
          const before = provenance.get(field);
          overrides.push({ field, replaced: before ? [before] : [], by: fieldOrigin ? [fieldOrigin] : [] });
        }
        target[field] = value;
        dropField(provenance, field);
        break;
      }
      case 'append':
        target[field] = [...(target[field] as unknown[]), ...(value as unknown[])];
        break;
      case 'keyed':
      case 'union': {
        const key = rule.key as (item: unknown) => string;
        const incoming = value as unknown[];
        const keys = new Set(incoming.map(key));
        const kept: unknown[] = [];
        for (const item of target[field] as unknown[]) {
          const k = key(item);
          if (!keys.has(k)) {
            kept.push(item);
            continue;
          }
          const before = provenance.get(provenanceKey(field, k));
          if (rule.kind === 'keyed' && before !== undefined) {
            overrides.push({ field, item: k, replaced: [before], by: itemOrigins(origins, field, k) });
          }
          provenance.delete(provenanceKey(field, k));
        }
        target[field] = [...kept, ...incoming];
        break;
      }
      case 'map': {
        const incoming = value as Record<string, string>;
        const current = target[field] as Record<string, string>;
        for (const k of Object.keys(incoming)) {
          const before = provenance.get(provenanceKey(field, k));
          if (k in current && before !== undefined) {
            overrides.push({ field, item: k, replaced: [before], by: itemOrigins(origins, field, k) });
          }
        }
        target[field] = { ...current, ...incoming };
        break;
      }
    }
    for (const [k, o] of origins) provenance.set(k, o);
  }
}
