import type { ParsedRun } from '../docker-cli/parsed-run.js';
import type { SpecLayer } from '../docker-cli/to-spec.js';
import { SafedockError } from '../errors.js';
import type { Acceptance } from '../policy/accept.js';
import { judgePlan } from '../policy/judge.js';
import type { PolicyMode } from '../policy/mode.js';
import type { PresetCatalog } from '../presets/catalog.js';
import type { PresetSource } from '../presets/types.js';
import { plan } from '../run/pipeline.js';
import type { ImageLookup } from './image-lookup.js';
import { previewText } from './preview-text.js';

/** One preset as the picker offers it: what it would do to this run, or why it cannot be used. */
export interface PresetPreview {
  name: string;
  source: PresetSource;
  file: string;
  summary: string;
  /** The preview (settings and findings), or the error that stops the preset from being used. */
  text: string;
  /** Set when the preset cannot run (a broken file, a parent missing, a setting the engine refuses). */
  problem?: string;
}

export interface PreviewContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  mode: PolicyMode;
  flagAccepts: readonly Acceptance[];
  lookup: ImageLookup;
  /** The terminal's width: finding lines are cut to it, so the preview keeps its height. */
  columns: number;
}

/** Built-ins from the tightest to the loosest, so the list reads as a scale; other presets follow. */
const BUILTIN_ORDER = ['sandbox', 'strict', 'compat', 'none'];
const SOURCE_ORDER: readonly PresetSource[] = ['built-in', 'user', 'project'];

function rank(name: string, source: PresetSource): [number, number, string] {
  const builtin = BUILTIN_ORDER.indexOf(name);
  return [SOURCE_ORDER.indexOf(source), source === 'built-in' && builtin >= 0 ? builtin : BUILTIN_ORDER.length, name];
}

/** Presets in the order pickers list them: built-ins from tightest to loosest, then user, then project presets. */
export function comparePresets(
  a: { name: string; source: PresetSource },
  b: { name: string; source: PresetSource },
): number {
  const [x, y] = [rank(a.name, a.source), rank(b.name, b.source)];
  return x[0] - y[0] || x[1] - y[1] || x[2].localeCompare(y[2]);
}

/**
 * Plans this run once per preset (planning is pure; the image was inspected once) and judges
 * each plan with the policy the run will use. Only the preset each name resolves to is shown:
 * one a later source overrides is not offered. Unreadable preset files come back as problems.
 */
export async function previewPresets(
  catalog: PresetCatalog,
  run: { parsed: ParsedRun; user: SpecLayer },
  ctx: PreviewContext,
): Promise<{ previews: PresetPreview[]; problems: SafedockError[] }> {
  const { entries, problems } = await catalog.list();
  const previews: PresetPreview[] = [];
  for (const { preset: entry, overriddenBy } of entries) {
    if (overriddenBy !== undefined) continue;
    const base = { name: entry.name, source: entry.source ?? 'built-in', file: entry.file, summary: entry.summary };
    try {
      const { preset } = await catalog.resolve({ name: entry.name, origin: '--preset' });
      const planned = plan({ ...run, preset, secrets: [] }, ctx.lookup.image, {
        env: ctx.env,
        cwd: ctx.cwd,
        apiVersion: ctx.lookup.apiVersion,
      });
      const decision = judgePlan(planned, {
        mode: ctx.mode,
        flagAccepts: ctx.flagAccepts,
        project: catalog.projectConfig,
        env: ctx.env,
        cwd: ctx.cwd,
      });
      previews.push({ ...base, text: previewText(planned, decision, ctx.columns - 1) });
    } catch (err) {
      if (!(err instanceof SafedockError)) throw err;
      previews.push({ ...base, text: `${err.message}${err.hint ? `\n${err.hint}` : ''}`, problem: err.message });
    }
  }
  return { previews: previews.sort(comparePresets), problems };
}
