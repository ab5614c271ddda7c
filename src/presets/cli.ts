import { SafedockError } from '../errors.js';
import { describeChoice } from './catalog.js';
import { listRows, renderList, renderPreset, type ShowFormat } from './render.js';
import { choosePreset, openCatalog, type PresetContext } from './select.js';
import type { Preset } from './types.js';

export interface CommandOutput {
  stdout: string;
  /** Problems found on the way (broken preset files): reported, and the command then exits 1. */
  problems: SafedockError[];
  /** Files the catalog ignored (see src/presets/trust.ts), said on stderr before the list. */
  warnings: string[];
}

/** `safedock presets list`: every preset with its source, file and parent; `*` marks the default. */
export async function presetsList(context: PresetContext, json: boolean): Promise<CommandOutput> {
  const catalog = await openCatalog(context);
  const choice = choosePreset(undefined, context.env, catalog.projectConfig);
  const why = describeChoice(choice, catalog.projectConfig);
  const { entries, problems } = await catalog.list();
  const rows = listRows(entries, choice);
  const broken = catalog.names().includes(choice.name);
  const stdout = json
    ? `${JSON.stringify({ default: { name: choice.name, why }, presets: rows, problems: problems.map((p) => p.message) }, null, 2)}\n`
    : renderList(rows, choice, why, broken);
  return { stdout, problems, warnings: catalog.warnings };
}

/**
 * `safedock presets show [NAME]`: the preset resolved over its parents (default: the effective
 * default). `check` judges its values before they are shown (the command hands in run's
 * conversion): a preset a run would refuse is an error here too, not a document.
 */
export async function presetsShow(
  name: string | undefined,
  format: ShowFormat,
  context: PresetContext,
  check?: (preset: Preset) => void,
): Promise<string> {
  const catalog = await openCatalog(context);
  const resolved = await catalog.resolve(choosePreset(name, context.env, catalog.projectConfig));
  check?.(resolved.preset);
  return renderPreset(resolved, format);
}
