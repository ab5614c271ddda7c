/**
 * Runs a renderer's field table over the set fields of a run: each field is carried, reported as
 * lost (with the flags that set it, why, and what to do instead), or noted as a client setting.
 */
import type { RunSpec, SpecField } from '../model/run-spec.js';
import { fieldArgs, type ArgsContext } from './args.js';
import type { Loss } from './loss.js';
import { setFields } from './set-fields.js';

/** A part of a field the target cannot carry, found while carrying the rest. */
export interface Gap {
  why: string;
  instead: string;
  /** The setting when only part of the field is lost (else the field's flags). */
  setting?: string;
}

/** Writes a field into the target; returns the gaps (parts it cannot carry), or nothing when it carries all. */
export type Carry<Out> = (spec: RunSpec, out: Out) => unknown;

/**
 * A renderer's table: for every field of the model, how the target carries it, `client` for a
 * setting of one client's run that a deployment has no use for (with why), or `lost` with why and
 * what to do instead. Typed over every field: a new field of the model does not compile until
 * each target says what it does with it.
 */
export type FieldTable<Out> = {
  readonly [F in SpecField]: Carry<Out> | { lost: string; instead: string } | { client: string };
};

export function walk<Out>(
  table: FieldTable<Out>,
  spec: RunSpec,
  out: Out,
  shown: ArgsContext,
): { losses: Loss[]; notes: string[] } {
  const losses: Loss[] = [];
  const notes: string[] = [];
  for (const field of setFields(spec)) {
    const entry = table[field];
    const setting = (): string => fieldArgs(spec, field, shown).join(' ') || field;
    if (typeof entry === 'function') {
      const gaps = entry(spec, out);
      for (const gap of Array.isArray(gaps) ? (gaps as Gap[]) : []) {
        losses.push({ field, setting: gap.setting ?? setting(), why: gap.why, instead: gap.instead });
      }
    } else if ('lost' in entry) {
      losses.push({ field, setting: setting(), why: entry.lost, instead: entry.instead });
    } else {
      notes.push(`${setting()}: ${entry.client}`);
    }
  }
  return { losses, notes };
}
