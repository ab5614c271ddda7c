import { join, relative } from 'node:path';
import type { ParsedRun } from '../docker-cli/parsed-run.js';
import type { SpecLayer } from '../docker-cli/to-spec.js';
import { SafedockError } from '../errors.js';
import type { Acceptance } from '../policy/accept.js';
import type { PolicyMode } from '../policy/mode.js';
import type { PresetCatalog, PresetChoice } from '../presets/catalog.js';
import { PROJECT_CONFIG_FILE } from '../presets/project-config.js';
import { choosePreset, openCatalog } from '../presets/select.js';
import { DEFAULT_PRESET } from '../presets/builtin.js';
import { fitBlock, fitLine } from '../prompt/screen-fit.js';
import type { ImageLookup } from './image-lookup.js';
import { previewPresets, type PresetPreview } from './previews.js';
import { saveProjectDefault } from '../project/project-default.js';
import type { Choice, PromptSession } from '../prompt/session.js';

export interface PickContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The policy mode the run will use, so each preview says what the run would do. */
  mode: PolicyMode;
  flagAccepts: readonly Acceptance[];
  lookupImage: (ref: string | undefined, env: NodeJS.ProcessEnv) => Promise<ImageLookup>;
}

/** Why the default is the default, short enough for the one line of the question. */
function whyDefault(choice: PresetChoice, catalog: PresetCatalog, cwd: string): string {
  switch (choice.origin) {
    case 'SAFEDOCK_PRESET':
      return 'set by SAFEDOCK_PRESET';
    case 'project config': {
      // The config as a path from here (.safedock.yaml, ../.safedock.yaml), else in full.
      const file = catalog.projectConfig?.file ?? PROJECT_CONFIG_FILE;
      const near = relative(cwd, file);
      return `set by ${near.length < file.length ? near : file}`;
    }
    default:
      return 'the built-in default';
  }
}

/** The screen the list is drawn on. */
interface Screen {
  columns: number;
  rows: number;
}

/**
 * How the picker shares the screen, so that nothing scrolls away at 80x24: the question (one
 * line), the list (up to 10 presets, fewer on a short terminal), a blank line, the preview of the
 * highlighted preset, and the line naming the keys; one row is left for the cursor.
 */
export function pickerLayout(presets: number, screen: Screen): { pageSize: number; previewRows: number } {
  const pageSize = Math.max(1, Math.min(presets, 10, screen.rows - 10));
  return { pageSize, previewRows: Math.max(1, screen.rows - pageSize - 4) };
}

function choices(
  previews: readonly PresetPreview[],
  current: string,
  screen: Screen,
  previewRows: number,
  image: string,
): Choice<string>[] {
  const nameWidth = Math.max(...previews.map((p) => p.name.length)) + 2;
  const sourceWidth = Math.max(...previews.map((p) => p.source.length));
  // Lines are kept a column short of the edge: a line that fills it makes some terminals wrap.
  const width = screen.columns - 1;
  return previews.map((p) => {
    const label = `${`${p.name}${p.name === current ? ' *' : ''}`.padEnd(nameWidth)}  ${p.source.padEnd(sourceWidth)}  ${p.summary}`;
    const choice: Choice<string> = { value: p.name, short: p.name, name: fitLine(label, width - 2) };
    if (p.problem !== undefined) choice.disabled = '(cannot be used: see above)';
    else {
      const text = `What ${p.name} (${p.source}, ${p.file}) does to this run of ${image}:\n${p.text}`;
      const seeAll = `see safedock explain --preset ${p.name} with these arguments`;
      choice.description = fitBlock(text, width, previewRows, seeAll).join('\n');
    }
    return choice;
  });
}

/**
 * The picker: every preset with a one-line summary, the highlighted one previewed for this
 * image and these flags (settings and findings), then an offer to make the choice the project's
 * default. Returns the name of the preset chosen.
 */
export async function pickPreset(
  run: { parsed: ParsedRun; user: SpecLayer },
  ctx: PickContext,
  session: PromptSession,
): Promise<string> {
  const { parsed } = run;
  const catalog = await openCatalog({ cwd: ctx.cwd, env: ctx.env });
  const current = choosePreset(undefined, ctx.env, catalog.projectConfig);
  const lookup = await ctx.lookupImage(parsed.image, ctx.env);
  session.throwIfCancelled();
  const { previews, problems } = await previewPresets(catalog, run, {
    env: ctx.env,
    cwd: ctx.cwd,
    mode: ctx.mode,
    flagAccepts: ctx.flagAccepts,
    lookup,
    columns: session.columns,
  });
  for (const problem of problems) session.say(`safedock: not offered: ${problem.message}`);
  for (const p of previews)
    if (p.problem !== undefined) session.say(`safedock: preset ${p.name} is not offered: ${p.problem}`);
  if (lookup.note !== undefined) session.say(`safedock: ${lookup.note}`);
  const usable = previews.filter((p) => p.problem === undefined);
  const fallback = usable.find((p) => p.name === current.name) ?? usable[0];
  if (fallback === undefined) {
    throw new SafedockError('no preset can run this', {
      code: 'no-preset',
      hint: 'Each preset failed for the reason shown above; fix the preset files or your flags.',
    });
  }
  const image = parsed.image ?? 'the image';
  const screen = { columns: session.columns, rows: session.rows };
  const { pageSize, previewRows } = pickerLayout(previews.length, screen);
  const chosen = await session.select(
    // "? " comes before the question; it is kept to one line.
    fitLine(
      `Preset for this run of ${image} (* ${current.name}: ${whyDefault(current, catalog, ctx.cwd)})`,
      screen.columns - 3,
    ),
    choices(previews, current.name, screen, previewRows, image),
    { default: fallback.name, pageSize },
  );
  const preview = previews.find((p) => p.name === chosen);
  await offerToSave(chosen, preview?.source, catalog, ctx, session);
  session.throwIfCancelled();
  return chosen;
}

/**
 * Asks (default no) whether the choice becomes the project's default preset, and saves it; not
 * when it already is what runs in the folder use without --preset or SAFEDOCK_PRESET (the
 * project config's preset, else the built-in default).
 */
async function offerToSave(
  chosen: string,
  source: string | undefined,
  catalog: PresetCatalog,
  ctx: PickContext,
  session: PromptSession,
): Promise<void> {
  const config = catalog.projectConfig;
  if ((config?.preset ?? DEFAULT_PRESET) === chosen) return;
  const file = config?.file ?? join(ctx.cwd, PROJECT_CONFIG_FILE);
  const folder = config?.folder ?? ctx.cwd;
  const where = config === undefined ? `a new ${file}` : file;
  const shared = source === 'user' ? '; it is one of your user presets, so others working here need it too' : '';
  const yes = await session.confirm(
    `Save ${chosen} as the default preset for runs in ${folder} (in ${where}${shared})?`,
    false,
  );
  if (!yes) return;
  session.throwIfCancelled();
  await saveProjectDefault(file, chosen);
  const shadowed = ctx.env.SAFEDOCK_PRESET
    ? `; SAFEDOCK_PRESET=${ctx.env.SAFEDOCK_PRESET} still wins in this shell`
    : '';
  session.say(`safedock: saved "preset: ${chosen}" in ${file}${shadowed}.`);
}
