import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { suggest } from '../grammar/suggest.js';
import { checkAcceptMap } from '../policy/accept.js';
import { ConfigFileError, type KeyPath } from './errors.js';
import { PRESET_NAME } from './types.js';
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
  /** The line of a key in the config file, for messages. */
  lineOf(path: KeyPath): number;
}

/** The nearest of `cwd` and its parents holding a project config file, or undefined. */
export function findProjectFolder(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, PROJECT_CONFIG_FILE);
    if (existsSync(candidate) && statSync(candidate).isFile()) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

type FieldCheck = (value: unknown, fail: (message: string) => never) => void;

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
    checkAcceptMap(value, (key, message) => fail(key === undefined ? message : `${key}: ${message}`));
  },
};

/** Reads and checks a project config; errors name the file, the line and the key. */
export async function readProjectConfig(file: string): Promise<ProjectConfig> {
  const yaml = await readYamlFile(file, 'project config');
  // YAML: any shape at all until checked below (an empty file reads as null, taken as {}).
  const value: unknown = yaml.value ?? {};
  return withLines(yaml, () => {
    const fail = (path: KeyPath, message: string): never => {
      throw new ConfigFileError('project config', file, path, message, {
        hint: `Fix ${path.join('.') || 'the file'} in ${file}; a project config has ${Object.keys(FIELDS)
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
        const near = suggest(key, Object.keys(FIELDS));
        fail(
          [key],
          `unknown field${near ? ` (did you mean "${near}"?)` : ''}; known fields: ${Object.keys(FIELDS).join(', ')}`,
        );
      } else {
        check(raw, (message) => fail([key], message));
      }
    }
    const config: ProjectConfig = { file, folder: dirname(file), lineOf: yaml.lineOf };
    if (typeof fields.preset === 'string') config.preset = fields.preset;
    if (fields.accept !== undefined) config.accept = checkAcceptMap(fields.accept, () => fail(['accept'], 'invalid'));
    return config;
  });
}
