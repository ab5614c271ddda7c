import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from '../package-root.js';
import type { ParsedRun } from '../docker-cli/parsed-run.js';
import { SafedockError } from '../errors.js';
import { validateSeccompProfile } from '../seccomp/validate.js';
import type { ImageFacts } from '../engine/engine.js';
import { mergeOptions } from '../merge/merge.js';
import type { MergedOption, Override } from '../merge/provenance.js';
import type { Preset } from '../presets/types.js';
import { toRunRequest } from '../docker-cli/to-run-request.js';
import type { ConvertContext, RunRequest } from '../docker-cli/run-request.js';

/** Everything safedock decided for one run, before anything reaches the engine. */
export interface RunPlan {
  preset: Preset;
  image: ImageFacts | undefined;
  options: MergedOption[];
  overrides: Override[];
  notes: string[];
  request: RunRequest;
}

/**
 * Whether planning this run needs the image's configuration: its user decides whether the run is
 * root (policy rule SD118) and whether a preset replaces it; under a read-only root, the image's
 * VOLUME paths are reported.
 */
export function needsImageFacts(preset: Preset, parsed: ParsedRun): boolean {
  const userFlag = parsed.options.filter((o) => o.name === 'user').at(-1)?.value;
  const user = userFlag ?? (preset.settings.user === undefined ? undefined : String(preset.settings.user.value));
  return user === undefined || user === '' || preset.settings['read-only'] !== undefined;
}

/** The pure middle of the pipeline: merge the preset under the user's flags and convert. */
export function planRun(
  parsed: ParsedRun,
  preset: Preset,
  image: ImageFacts | undefined,
  ctx: ConvertContext,
): RunPlan {
  const merged = mergeOptions(preset, parsed.options, image);
  for (const option of merged.options)
    if (option.source.kind === 'preset') checkPresetProfile(option.name, option.value);
  const request = toRunRequest({ ...parsed, options: merged.options }, ctx);
  if (ctx.consoleSize) request.body.HostConfig.ConsoleSize = [...ctx.consoleSize];
  return { preset, image, options: merged.options, overrides: merged.overrides, notes: merged.notes, request };
}

/**
 * A seccomp profile a preset names is validated before use, as `safedock seccomp check` does: a
 * broken profile must not reach the engine, and `{}` would silently turn seccomp off. (A profile
 * given with your own --security-opt is sent as docker sends it.)
 */
const shippedProfiles = join(packageRoot, 'seccomp');

function checkPresetProfile(flag: string, value: string): void {
  if (flag !== 'security-opt') return;
  const path = /^seccomp[=:](\/.+)$/i.exec(value)?.[1];
  // The profiles shipped in seccomp/ are validated by the build (scripts/compile-presets.mjs).
  if (path === undefined || dirname(path) === shippedProfiles) return;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new SafedockError(
      `the preset's seccomp profile ${path} cannot be read as JSON: ${(cause as Error).message}`,
      {
        code: 'seccomp-invalid',
        cause,
        hint: `Fix the file, or check it with: safedock seccomp check ${path}`,
      },
    );
  }
  validateSeccompProfile(json, path);
}
