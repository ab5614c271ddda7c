/**
 * What an export could not carry. Every renderer walks the same list of set fields
 * (src/export/set-fields.ts) through a table with one entry per model field, so a setting the
 * target has no place for is reported, never dropped in silence.
 */
import type { SpecField } from '../model/run-spec.js';

/** One setting of the plan that the target document does not carry. */
export interface Loss {
  field: SpecField;
  /** The setting as docker run flags, e.g. `--security-opt=no-new-privileges`. */
  setting: string;
  /** Why the target cannot carry it. */
  why: string;
  /** What to do instead so that the deployment keeps the protection. */
  instead: string;
}

/** One file an export writes: its name inside the output folder and its text. */
export interface ExportFile {
  name: string;
  text: string;
  /** A script to run (run.sh): written executable. */
  executable?: boolean;
}

/** A rendered export: the main document first, then the files it needs; the losses; notes. */
export interface Rendered {
  /** The main document (compose.yaml, stack.yaml, the Kubernetes manifest, the docker run line). */
  main: ExportFile;
  /** Files the main document references (the seccomp profile), written beside it. */
  extra: ExportFile[];
  losses: Loss[];
  /** Settings that describe how one client runs a container, which a deployment has no use for. */
  notes: string[];
  /** For Kubernetes: the Pod spec written, for the Pod Security checks. */
  podSpec?: Record<string, unknown> | undefined;
}

export function lossText(loss: Loss): string {
  return `${loss.setting}: ${loss.why}; ${loss.instead}`;
}
