/**
 * The fields of a run that are set: every field whose value differs from docker's zero value
 * (src/model/run-spec.ts emptySpec). A renderer carries each of them, or reports it as lost.
 */
import { emptySpec, type RunSpec, type SpecField } from '../model/run-spec.js';

const ZERO = emptySpec();

export function isSet(spec: RunSpec, field: SpecField): boolean {
  return JSON.stringify(spec[field]) !== JSON.stringify(ZERO[field]);
}

/** The set fields, in the model's order. */
export function setFields(spec: RunSpec): SpecField[] {
  return (Object.keys(ZERO) as SpecField[]).filter((f) => isSet(spec, f));
}
