import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parsePublish } from '../grammar/ports.js';
import { didYouMean, suggest } from '../grammar/suggest.js';
import { UsageError } from '../errors.js';
import { checkAcceptMap } from '../policy/accept.js';
import { ConfigFileError, type KeyPath } from './errors.js';
import { PRESET_NAME } from './types.js';
import { ignoredText, type TrustCheck } from './trust.js';
import { readYamlFile, withLines } from './yaml-file.js';

/** The project config file; the nearest folder holding one is the project folder. */
export const PROJECT_CONFIG_FILE = '.safedock.yaml';
/** Project presets, inside the project folder. */
export const PROJECT_PRESET_DIR = join('.safedock', 'presets');

export interface ProjectConfig {
  /** The config file's path. */
  file: string;
  /** The project folder: the folder holding the config file. */
  folder: string;
  /** The default preset for runs in this folder (after --preset and SAFEDOCK_PRESET). */
  preset?: string;
  /** Policy findings accepted for every run in this folder: rule id to reason. */
  accept?: Record<string, string>;
  /**
   * Named services: what one workload of the folder needs beyond the folder's preset, used only
   * when a run names it (`safedock run --service NAME`). Ports live here, not in a preset: a
   * preset applies to every run in the folder, and a second container cannot publish the same
   * host port.
   */
  services?: Record<string, ProjectService>;
  /** The line of a key in the config file, for messages. */
  lineOf(path: KeyPath): number;
}

/** One service of a project config: `services: { web: { ports: ["127.0.0.1:8080:80"] } }`. */
export interface ProjectService {
  /** docker -p specs, as Compose's short `ports:` syntax writes them. */
  ports: string[];
}

/** The fields a service may hold. */
const SERVICE_FIELDS = ['ports'] as const;

const isFile = (path: string): boolean => existsSync(path) && statSync(path).isFile();
const isFolder = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();

/**
 * The nearest of `cwd` and its parents that is a project folder: it holds a project config file,
 * or project presets (.safedock/presets) without one, whose presets --preset then finds. A config
 * that fails `trust` (another user could have written it) is skipped, with its warning in
 * `ignored`, and its folder is no project.
 */
export function findProjectFolder(cwd: string, trust?: TrustCheck, ignored: string[] = []): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, PROJECT_CONFIG_FILE);
    if (isFile(candidate)) {
      const why = trust?.(candidate);
      if (why === undefined) return dir;
      ignored.push(ignoredText('project config', candidate, why));
    } else if (isFolder(join(dir, PROJECT_PRESET_DIR))) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * `fail(message, under, first)`: `under` is the key path below the field, for the line the message
 * names; `first` what the hint line says before how to fix it (a suggestion).
 */
type Fail = (message: string, under?: KeyPath, first?: string) => never;
type FieldCheck = (value: unknown, fail: Fail) => void;

/**
 * The fields a project config may hold, one check each; anything else is refused, so that a
 * misspelt field is never silently ignored.
 */
const FIELDS: Readonly<Record<string, FieldCheck>> = {
  preset: (value, fail) => {
    if (typeof value !== 'string' || !PRESET_NAME.test(value))
      fail('expected the name of a preset, e.g. "preset: strict"');
  },
  accept: (value, fail) => {
    checkAcceptMap(value, (key, message, hint) =>
      fail(key === undefined ? message : `${key}: ${message}`, [], hint === undefined ? '' : `${hint} `),
    );
  },
  services: (value, fail) => {
    checkServices(value, fail);
  },
};

const isMapping = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** `services:` maps a name (as a preset is named) to { ports: [specs] }. */
function checkServices(value: unknown, fail: Fail): Record<string, ProjectService> {
  if (!isMapping(value))
    return fail('expected a mapping of service name to its settings, e.g. "web: { ports: [127.0.0.1:8080:80] }"');
  const services: Record<string, ProjectService> = {};
  for (const [name, service] of Object.entries(value)) {
    if (!PRESET_NAME.test(name))
      fail('a service name is lower-case letters, digits, ".", "_" or "-", starting with a letter or digit', [name]);
    if (!isMapping(service)) return fail('expected a mapping such as "ports: [127.0.0.1:8080:80]"', [name]);
    for (const key of Object.keys(service)) {
      if (!(SERVICE_FIELDS as readonly string[]).includes(key)) {
        fail(
          `unknown field; a service has ${SERVICE_FIELDS.join(', ')}`,
          [name, key],
          didYouMean(suggest(key, SERVICE_FIELDS), (near) => `"${near}"`),
        );
      }
    }
    const ports = service.ports ?? [];
    if (!Array.isArray(ports) || ports.some((p) => typeof p !== 'string' && typeof p !== 'number'))
      fail('expected a list of ports as docker -p takes them, e.g. [127.0.0.1:8080:80]', [name, 'ports']);
    const specs = (ports as (string | number)[]).map(String);
    for (const spec of specs) {
      // Checked as docker checks -p, so that a run naming the service never fails on its file.
      try {
        parsePublish(spec);
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        fail(`"${spec}" is not a port as docker -p takes it: ${err.message}`, [name, 'ports']);
      }
    }
    services[name] = { ports: specs };
  }
  return services;
}

/** Reads and checks a project config; errors name the file, the line and the key. */
export async function readProjectConfig(file: string): Promise<ProjectConfig> {
  const yaml = await readYamlFile(file, 'project config');
  // YAML: any shape at all until checked below (an empty file reads as null, taken as {}).
  const value: unknown = yaml.value ?? {};
  return withLines(yaml, () => {
    const fail = (path: KeyPath, message: string, first = ''): never => {
      throw new ConfigFileError('project config', file, path, message, {
        hint: `${first}Fix ${path.join('.') || 'the file'} in ${file}; a project config has ${Object.keys(FIELDS)
          .map((k) => `"${k}"`)
          .join(', ')}.`,
      });
    };
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      fail([], 'expected a mapping, e.g. "preset: strict"');
    const fields = value as Record<string, unknown>;
    for (const [key, raw] of Object.entries(fields)) {
      const check = FIELDS[key];
      if (!check) {
        fail(
          [key],
          `unknown field; known fields: ${Object.keys(FIELDS).join(', ')}`,
          didYouMean(suggest(key, Object.keys(FIELDS)), (near) => `"${near}"`),
        );
      } else {
        check(raw, (message, under = [], first = '') => fail([key, ...under], message, first));
      }
    }
    const config: ProjectConfig = { file, folder: dirname(file), lineOf: yaml.lineOf };
    if (typeof fields.preset === 'string') config.preset = fields.preset;
    if (fields.accept !== undefined) config.accept = checkAcceptMap(fields.accept, () => fail(['accept'], 'invalid'));
    if (fields.services !== undefined)
      config.services = checkServices(fields.services, (m, under = []) => fail(['services', ...under], m));
    return config;
  });
}
