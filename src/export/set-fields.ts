/**
 * The fields of a run that are set: every field whose value differs from docker's zero value
 * (src/model/run-spec.ts emptySpec). A renderer carries each of them, or reports it as lost.
 */
import { emptySpec, type RunSpec, type SpecField } from '../model/run-spec.js';

const ZERO = emptySpec();

export function isSet(spec: RunSpec, field: SpecField): boolean {
  return JSON.stringify(spec[field]) !== JSON.stringify(ZERO[field]);
}

export function setFields(spec: RunSpec): SpecField[] {
  return (Object.keys(ZERO) as SpecField[]).filter((f) => f !== 'image' && isSet(spec, f));
}

/**
 * A renderer's table: for every field of the model, how the target carries it (a function that
 * writes it and returns the losses of the parts it cannot), `client` for settings of one client's
 * run that a deployment has no use for (with why), or `lost` with why and what to do instead.
 * Typed over every field, so a new field of the model does not compile until each target says.
 */
export type FieldTable<Out> = {
  readonly [F in SpecField]: Carry<Out> | { lost: string; instead: string } | { client: string };
};

export type Carry<Out> = (spec: RunSpec, out: Out) => Array<{ why: string; instead: string; setting?: string }> | void;
