import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseRunArgv } from '../docker-cli/parse-argv.js';
import { SafedockError } from '../errors.js';
import { MAX_API_VERSION } from '../engine/negotiate.js';
import type { Finding } from '../policy/types.js';
import { judgePlan } from '../policy/judge.js';
import { builtinPresets } from '../presets/builtin.js';
import { PresetCatalog } from '../presets/catalog.js';
import { extendPreset } from '../presets/extend.js';
import { findProjectFolder, PROJECT_CONFIG_FILE, PROJECT_PRESET_DIR } from '../presets/project-config.js';
import { presetArgs } from '../presets/render.js';
import { userPresetDir } from '../presets/select.js';
import type { Preset } from '../presets/types.js';
import { validatePreset } from '../presets/validate.js';
import { parseYamlText, yamlText } from '../presets/yaml-file.js';
import { convertUserFlags, plan } from '../run/pipeline.js';
import type { InitAnswers } from './answers.js';
import { checkPresetName } from './checks.js';
import { closestBuiltin, projectPresetDoc, servicePorts, type PresetDocument } from './propose.js';
import { initConfigText, type InitService } from './config-text.js';

/** One file init would write. */
export interface InitFile {
  file: string;
  text: string;
  /** The file is there already: writing it needs a yes, or --force. */
  exists: boolean;
}

/** Everything `safedock init` would do, decided before anything is written. */
export interface InitPlan {
  folder: string;
  base: Preset;
  /** Why the base was proposed, when the answers chose it. */
  proposedBecause: string | undefined;
  /** The project preset, when the answers need one. */
  preset: (InitFile & { name: string; doc: PresetDocument }) | undefined;
  config: InitFile;
  /** The service holding the answered ports, in the project config; undefined without ports. */
  service: InitService | undefined;
  /** The preset runs in the folder will use (base, or the project preset over it). */
  effective: Preset;
  /** The effective preset as docker run arguments. */
  args: string[];
  /** What the policy says of these settings for an image that runs as root. */
  findings: Finding[];
  notes: string[];
}

export interface InitContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** The presets a new project in `folder` sees: built-in, user, and its own (none yet, or earlier ones). */
export async function catalogFor(folder: string, env: NodeJS.ProcessEnv): Promise<PresetCatalog> {
  const userDir = userPresetDir(env);
  return new PresetCatalog(
    await builtinPresets(),
    { userDir: existsSync(userDir) ? userDir : undefined, projectDir: join(folder, PROJECT_PRESET_DIR) },
    undefined,
  );
}

const initError = (message: string, hint: string): SafedockError =>
  new SafedockError(message, { code: 'init', exitCode: 1, hint });

/**
 * Turns the answers into files: the project config, and a project preset extending the base when
 * the answers need more than the base gives. The preset is checked by the same validator a run
 * uses and converted as a run converts it, so init never writes a preset that a run would refuse.
 */
export async function planInit(answers: InitAnswers, { cwd, env }: InitContext): Promise<InitPlan> {
  const folder = resolve(cwd);
  const catalog = await catalogFor(folder, env);
  const proposal = closestBuiltin(answers);
  const baseName = answers.base ?? proposal.name;
  const { preset: base } = await catalog.resolve({ name: baseName, origin: '--preset' });
  const builtins = [...(await builtinPresets()).keys()];

  let preset: InitPlan['preset'];
  let effective = base;
  const doc = projectPresetDoc(answers, base);
  if (doc !== undefined) {
    const nameProblem = checkPresetName(doc.name, base.name, builtins);
    if (nameProblem !== undefined)
      throw initError(`invalid project preset name: ${nameProblem}`, 'Choose the name with --name NAME.');
    if (doc.name === base.name && base.source === 'project') {
      throw initError(
        `the project preset ${doc.name} would replace the preset it builds on`,
        'Choose another name for the new preset with --name NAME.',
      );
    }
    const file = join(folder, PROJECT_PRESET_DIR, `${doc.name}.yaml`);
    const text = await presetFileText(doc);
    // Read back what will be written, with the validator runs use.
    const written = { ...validatePreset(await parseYamlText(text), file), source: 'project' as const };
    effective = extendPreset(base, written);
    preset = { file, text, exists: existsSync(file), name: doc.name, doc };
  }
  const ports = servicePorts(answers);
  const service = ports.length === 0 ? undefined : { name: answers.name, ports };
  const configFile = join(folder, PROJECT_CONFIG_FILE);
  const config: InitFile = {
    file: configFile,
    text: await initConfigText(configFile, effective.name, service),
    exists: existsSync(configFile),
  };

  // A run of the service with the effective preset, for an image that runs as root: conversion
  // errors surface here, and the findings cover its ports too.
  const parsed = parseRunArgv([...ports.flatMap((p) => ['-p', p]), 'image']);
  const { user } = convertUserFlags(parsed, { env, cwd: folder });
  const run = plan({ parsed, user, preset: effective, secrets: [] }, undefined, {
    env,
    cwd: folder,
    apiVersion: MAX_API_VERSION,
  });
  const decision = judgePlan(run, { mode: 'warn', flagAccepts: [], project: undefined, env, cwd: folder });
  const accepted = new Set(decision.accepted.map((f) => f.rule));

  const notes: string[] = [];
  const outer = findProjectFolder(folder);
  if (outer !== undefined && outer !== folder)
    notes.push(
      `${folder} is inside the project ${outer}; runs here will follow the new ${PROJECT_CONFIG_FILE} instead of ${existsSync(join(outer, PROJECT_CONFIG_FILE)) ? join(outer, PROJECT_CONFIG_FILE) : `the presets in ${join(outer, PROJECT_PRESET_DIR)}`}.`,
    );
  if (env.SAFEDOCK_PRESET)
    notes.push(
      `SAFEDOCK_PRESET=${env.SAFEDOCK_PRESET} is set in this shell and wins over the project config; unset it to use ${effective.name}.`,
    );
  if (answers.writable.some((w) => w.kind === 'volume'))
    notes.push(
      "A new named volume belongs to root unless the image has that folder; the container's user must be able to write it.",
    );
  return {
    folder,
    base,
    proposedBecause: answers.base === undefined ? proposal.why : undefined,
    preset,
    config,
    service,
    effective,
    args: presetArgs(effective),
    findings: decision.findings.filter((f) => !accepted.has(f.rule) && f.severity !== 'info'),
    notes,
  };
}

/** The preset file: a comment saying where it came from, then the document, one setting per flag. */
async function presetFileText(doc: PresetDocument): Promise<string> {
  return yamlText(
    doc,
    ` Project preset written by safedock init. Edit freely: each setting is a docker run flag\n with the reason it is there; safedock presets show ${doc.name} shows it resolved over ${doc.extends}.`,
  );
}
