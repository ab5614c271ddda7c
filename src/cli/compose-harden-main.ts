/**
 * `safedock compose harden`: reads a Compose file, hardens each service (src/export/harden.ts),
 * reports the policy's findings by service, and writes the override file. I/O only: the file, the
 * engine (each image's user, when an engine answers), stderr.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { connect, type ImageFacts } from '../engine/engine.js';
import { selectEngine } from '../engine/select.js';
import { EXIT, SafedockError, reportError } from '../errors.js';
import { HEADER } from '../export/compose-file.js';
import { hardenService, servicePreset, type HardenContext, type HardenedService } from '../export/harden.js';
import { lossText } from '../export/loss.js';
import { acceptsFromFlags } from '../policy/accept.js';
import { isCi, resolveModeFrom } from '../policy/mode.js';
import { composeVariables, InterpolationError, interpolateDocument } from '../export/compose-interpolate.js';
import { acceptMapWords, acceptWays, decisionToText, type RefusalPlaces } from '../policy/render.js';
import { choosePreset, openCatalog } from '../presets/select.js';
import { locateConfigError, readYamlFile, toYaml } from '../presets/yaml-file.js';
import { ConfigFileError } from '../presets/errors.js';
import { writeFileAtomic } from '../project/write-file-atomic.js';
import type { RunEnvironment } from '../run/run-environment.js';
import { quietWanted, runNotes, type RunNotes } from './run-output.js';

export interface HardenOptions {
  file: string | undefined;
  output: string | undefined;
  preset: string | undefined;
  accept: string[];
  reason: string[];
  policy: string | undefined;
  /** -q: no notes and no low or medium findings (SAFEDOCK_QUIET says the same); refusals and errors stay. */
  quiet?: boolean;
}

/** The names docker-compose looks for when -f is not given. */
const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];

export async function composeHardenMain(options: HardenOptions, environment: RunEnvironment): Promise<number> {
  try {
    return await harden(options, environment);
  } catch (err) {
    // A preset's error names its file and key; the line is found as run finds it.
    return reportError(await locateConfigError(err), environment.io.stderr, 'compose harden', environment.env);
  }
}

async function harden(options: HardenOptions, { io, env, cwd, globals }: RunEnvironment): Promise<number> {
  const file = resolve(cwd, options.file ?? DEFAULT_FILES.find((f) => existsSync(join(cwd, f))) ?? 'compose.yaml');
  const dir = dirname(file);
  const output = resolve(cwd, options.output ?? join(dir, 'compose.safedock.yaml'));
  const yaml = await readYamlFile(file, 'compose file', file, { merge: true });
  // Judged with the values docker-compose will use: its variables interpolated.
  let doc: Record<string, unknown> | null;
  try {
    doc = interpolateDocument(yaml.value, composeVariables(dir, env)) as Record<string, unknown> | null;
  } catch (err) {
    if (!(err instanceof InterpolationError)) throw err;
    throw new ConfigFileError('compose file', file, undefined, `a variable is required: ${err.message}`, {
      hint: 'Set the variable in the environment or in the .env file next to the compose file.',
    });
  }
  const services = doc?.services;
  if (services === null || typeof services !== 'object' || Array.isArray(services)) {
    throw new ConfigFileError('compose file', file, ['services'], 'expected a mapping of services', {
      line: yaml.lineOf(['services']),
      hint: 'A Compose file lists its services under `services:`.',
    });
  }
  const secrets: Record<string, string> = {};
  for (const [name, s] of Object.entries((doc?.secrets ?? {}) as Record<string, { file?: string }>)) {
    if (typeof s.file === 'string') secrets[name] = resolve(dir, s.file);
  }
  const notes = runNotes(io.stderr, quietWanted(options.quiet === true, env));
  const catalog = await openCatalog({ cwd: dir, env });
  const { mode, from: modeFrom } = resolveModeFrom(options.policy, env, false);
  const ctx: HardenContext = {
    file,
    dir,
    overrideDir: dirname(output),
    env,
    cwd: dir,
    // A file is written, nobody is asked: high findings are refused unless accepted (or --policy warn).
    mode,
    modeFrom,
    flagAccepts: acceptsFromFlags(options.accept, options.reason),
    project: catalog.projectConfig,
    secrets,
    volumes: (doc?.volumes ?? {}) as Record<string, unknown>,
  };
  const engine = await connect(selectEngine(env, globals), { env }).catch(() => undefined);
  if (engine === undefined)
    io.stderr.write("safedock: no engine answered; the images' users were not read (each is taken to run as root)\n");

  const hardened: HardenedService[] = [];
  for (const [name, raw] of Object.entries(services as Record<string, unknown>)) {
    const service = (raw ?? {}) as Record<string, unknown>;
    const choice = choosePreset(servicePreset(service) ?? options.preset, env, catalog.projectConfig);
    const { preset } = await catalog.resolve(choice);
    const imageRef = typeof service.image === 'string' ? service.image : undefined;
    const image: ImageFacts | undefined =
      engine !== undefined && imageRef !== undefined ? await engine.inspectImage(imageRef) : undefined;
    hardened.push(hardenService(name, service, preset, image, ctx));
  }

  let refused = false;
  for (const h of hardened) {
    const text = decisionToText(h.decision, { quiet: notes.quiet });
    // Quiet, a service is named only when something about it is still said.
    if (text !== '' || !notes.quiet)
      io.stderr.write(
        `safedock: service ${h.name} (preset ${h.preset.name}):\n${text === '' ? '  no risky settings\n' : text}`,
      );
    for (const note of h.notes) notes.say(note);
    for (const loss of h.losses)
      io.stderr.write(`safedock: services.${h.name}: the override cannot carry ${lossText(loss)}\n`);
    // What cannot be judged is refused, as a run refuses a setting it cannot read (SD135); warn
    // outside CI reports it and goes on, as it does for a high finding.
    if (h.unjudged.length > 0) {
      const through = h.decision.mode === 'warn' && !isCi(env);
      for (const why of h.unjudged) io.stderr.write(`safedock: ${why}\n`);
      if (!through) {
        refused = true;
        io.stderr.write(
          `safedock: service ${h.name} refused: it cannot be judged. Write out what docker-compose makes of the file (docker-compose config > resolved.yaml) and harden that, or remove those keys.\n`,
        );
        continue;
      }
    }
    if (h.decision.blocking.length > 0) {
      // Under warn only what CI keeps from running unattended blocks (a critical finding).
      refused = true;
      const keys = [...new Set(h.decision.blocking.map((f) => f.key))];
      io.stderr.write(
        `safedock: service ${h.name} refused: ${keys.join(', ')} not accepted.\n${acceptWays(h.decision, composeRefusal(h.name, basename(file))).join('\n')}\n`,
      );
    }
  }
  if (refused) {
    io.stderr.write(`safedock: nothing was written.\n`);
    return EXIT.failure;
  }
  await writeOverride(output, file, hardened, notes);
  return 0;
}

/**
 * Where a service's finding may be accepted besides --accept: its own `x-safedock` (read as a
 * project file, so never for a critical finding; nor can .safedock.yaml or a preset accept one).
 */
function composeRefusal(service: string, file: string): RefusalPlaces {
  return {
    nothing: 'nothing was written',
    fileAccept: (keys) => ({
      lead: `${`  in ${file}:`.padEnd(23)} `,
      // The map's closing brace and x-safedock's as one word: `{accept: { SD118: "why" }}`.
      words: ['under', `services.${service},`, 'x-safedock:', '{accept:', ...acceptMapWords(keys).slice(0, -1), '}}'],
    }),
    files: `no file (${file}'s x-safedock, .safedock.yaml or a preset)`,
  };
}

async function writeOverride(
  output: string,
  file: string,
  hardened: HardenedService[],
  notes: RunNotes,
): Promise<void> {
  const doc: Record<string, unknown> = { services: Object.fromEntries(hardened.map((h) => [h.name, h.override])) };
  for (const section of ['volumes', 'networks', 'secrets'] as const) {
    const merged = Object.assign({}, ...hardened.map((h) => h.top[section])) as Record<string, unknown>;
    if (Object.keys(merged).length > 0) doc[section] = merged;
  }
  const text = await toYaml(
    doc,
    // docker-compose 1.29 opens a seccomp profile relative to its working directory: the file's folder.
    ` ${HEADER} compose harden: the preset under each service of ${basename(file)}.\n Run from ${dirname(file)}: docker-compose -f ${basename(file)} -f ${relative(dirname(file), output)} up -d`,
  );
  const files = [{ path: output, text }];
  // Services under one preset share its profile: one file, written and named once.
  for (const h of hardened) {
    if (h.profile === undefined) continue;
    const path = join(dirname(output), h.profile.name);
    const same = files.find((f) => f.path === path);
    if (same === undefined) files.push({ path, text: h.profile.text });
    else if (same.text !== h.profile.text) {
      throw new SafedockError(`two seccomp profiles of these services would both be written to ${path}`, {
        code: 'exists',
        hint: `Give the profile of service ${h.name}'s preset another file name.`,
      });
    }
  }
  for (const f of files) {
    if (existsSync(f.path)) {
      const old = readFileSync(f.path, 'utf8');
      if (old !== f.text && !old.includes(HEADER) && !f.path.endsWith('.json')) {
        throw new SafedockError(`${f.path} exists and was not written by safedock`, {
          code: 'exists',
          hint: 'Choose another file with -o.',
        });
      }
    }
  }
  for (const f of files) writeFileAtomic(f.path, f.text, { replace: true });
  notes.say(`wrote ${files.map((f) => f.path).join(', ')}`);
}
