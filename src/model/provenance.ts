/**
 * Where each setting of a run came from. Keys name a field (`memory`) or one item of a keyed field
 * (`capAdd:NET_ADMIN`, `mounts:/data`, `env:TOKEN`; see merge-rules.ts for each field's item key), so
 * a reader can ask about exactly the setting it judges.
 */
import type { RunSpec } from './run-spec.js';

/** Who asked for a setting. */
export type Source =
  /** Your flags, or a service of the project config you named with --service (its ports). */
  | { kind: 'user'; service?: { name: string; file: string } }
  | { kind: 'preset'; preset: string; file: string; key: string; reason?: string }
  | { kind: 'image'; reason: string }
  /** Read back from an existing container (fromInspect): who asked is not known. */
  | { kind: 'engine' }
  /** A service's key in a Compose file (safedock compose harden). */
  | { kind: 'compose'; file: string; service: string; key: string };

/** The option that set a field or item: its source, and the flag and value as written. */
export interface Origin {
  source: Source;
  flag: string;
  text: string;
}

export type Provenance = Map<string, Origin>;

/**
 * One layer of a run: the fields one set of options gives (your flags, a preset, image tailoring)
 * and which option gave each. Fields a layer does not give are absent ("not given" is not zero).
 */
export interface SpecLayer {
  spec: Partial<RunSpec>;
  provenance: Provenance;
}

/** The provenance key of a field, or of one item of it. */
export function provenanceKey(field: string, item?: string): string {
  return item === undefined ? field : `${field}:${item}`;
}

/** The origin of an item, falling back to the field's (for fields whose items have no key). */
export function originOf(provenance: ReadonlyMap<string, Origin>, field: string, item?: string): Origin | undefined {
  return (item === undefined ? undefined : provenance.get(provenanceKey(field, item))) ?? provenance.get(field);
}

export function describeSource(source: Source): string {
  switch (source.kind) {
    case 'user':
      return source.service === undefined
        ? 'your flags'
        : `service ${source.service.name} (${source.service.file}: services.${source.service.name})`;
    case 'preset':
      return `preset ${source.preset} (${source.file}: ${source.key.includes('.') ? source.key : `settings.${source.key}`})`;
    case 'image':
      return 'image tailoring';
    case 'engine':
      return 'the container';
    case 'compose':
      return `${source.file}: services.${source.service}.${source.key}`;
  }
}
