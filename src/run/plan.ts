import type { ParsedRun } from '../argv/types.js';
import type { ImageFacts } from '../engine/engine.js';
import { mergeOptions } from '../merge/merge.js';
import type { MergedOption, Override } from '../merge/provenance.js';
import type { Preset } from '../presets/types.js';
import { toRunRequest } from '../spec/toRunRequest.js';
import type { ConvertContext, RunRequest } from '../spec/types.js';

/** Everything safedock decided for one run, before anything reaches the engine. */
export interface RunPlan {
  preset: Preset;
  image: ImageFacts | undefined;
  options: MergedOption[];
  overrides: Override[];
  notes: string[];
  request: RunRequest;
}

/** Whether planning this run needs the image's configuration (e.g. to avoid running as root). */
export function needsImageFacts(preset: Preset, parsed: ParsedRun): boolean {
  return preset.image?.nonRootUser !== undefined && !parsed.options.some((o) => o.name === 'user');
}

/** The pure middle of the pipeline: merge the preset under the user's flags and convert. */
export function planRun(parsed: ParsedRun, preset: Preset, image: ImageFacts | undefined, ctx: ConvertContext): RunPlan {
  const merged = mergeOptions(preset, parsed.options, image);
  const request = toRunRequest({ ...parsed, options: merged.options }, ctx);
  if (ctx.consoleSize) request.body.HostConfig.ConsoleSize = [...ctx.consoleSize];
  return { preset, image, options: merged.options, overrides: merged.overrides, notes: merged.notes, request };
}
