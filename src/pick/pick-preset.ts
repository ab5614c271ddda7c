import { join } from 'node:path';
import type { ParsedRun } from '../docker-cli/parsed-run.js';
import type { SpecLayer } from '../docker-cli/to-spec.js';
import { SafedockError } from '../errors.js';
import type { Acceptance } from '../policy/accept.js';
import type { PolicyMode } from '../policy/mode.js';
import type { PresetCatalog, PresetChoice } from '../presets/catalog.js';
import { PROJECT_CONFIG_FILE } from '../presets/project-config.js';
import { choosePreset, openCatalog } from '../presets/select.js';
import type { ImageLookup } from './image-lookup.js';
import { fit } from './preview-text.js';
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

function whyDefault(choice: PresetChoice, catalog: PresetCatalog): string {
  switch (choice.origin) {
    case 'SAFEDOCK_PRESET':
      return 'set by SAFEDOCK_PRESET';
    case 'project config':
      return `set by ${catalog.projectConfig?.file ?? PROJECT_CONFIG_FILE}`;
    default:
      return 'the built-in default';
  }
}

function choices(
  previews: readonly PresetPreview[],
  current: string,
  columns: number,
  image: string,
): Choice<string>[] {
  const nameWidth = Math.max(...previews.map((p) => p.name.length)) + 2;
  const sourceWidth = Math.max(...previews.map((p) => p.source.length));
  return previews.map((p) => {
    const label = `${`${p.name}${p.name === current ? ' *' : ''}`.padEnd(nameWidth)}  ${p.source.padEnd(sourceWidth)}  ${p.summary}`;
    const choice: Choice<string> = { value: p.name, short: p.name, name: fit(label, columns - 4) };
    if (p.problem !== undefined) choice.disabled = '(cannot be used: see above)';
    else choice.description = `What ${p.name} (${p.source}, ${p.file}) does to this run of ${image}:\n${p.text}`;
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
  const chosen = await session.select(
    `Preset for this run of ${image} (* ${current.name}: ${whyDefault(current, catalog)})`,
    choices(previews, current.name, session.columns, image),
    {
      default: fallback.name,
      pageSize: Math.min(previews.length, 10),
    },
  );
  const preview = previews.find((p) => p.name === chosen);
  await offerToSave(chosen, preview?.source, catalog, ctx, session);
  session.throwIfCancelled();
  return chosen;
}

/** Asks (default no) whether the choice becomes the project's default preset, and saves it. */
async function offerToSave(
  chosen: string,
  source: string | undefined,
  catalog: PresetCatalog,
  ctx: PickContext,
  session: PromptSession,
): Promise<void> {
  const config = catalog.projectConfig;
  if (config?.preset === chosen) return;
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
