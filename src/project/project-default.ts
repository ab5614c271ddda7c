/**
 * Files of a project folder that several commands write (pick, init, learn): the project config's
 * `preset:` edited in place with its comments kept, and whole-or-nothing file writes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SafedockError } from '../errors.js';
import { editYamlDocument } from '../presets/yaml-file.js';
import { writeFileAtomic } from './write-file-atomic.js';

const NEW_CONFIG_HEADER =
  ' safedock project config: `safedock run` in this folder and below uses this preset,\n unless --preset or SAFEDOCK_PRESET names another (safedock presets list shows them all).';

/**
 * The text of a project config with `preset: NAME` set: an existing file keeps its other fields,
 * its comments and its layout (the yaml package's Document API edits the parsed document in place);
 * a new file gets a comment saying what it is.
 */
export async function projectConfigText(file: string, preset: string): Promise<string> {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  const result = await editYamlDocument(text, [{ op: 'set', path: ['preset'], value: preset }], NEW_CONFIG_HEADER);
  if (result.ok) return result.text;
  if (result.problem === 'invalid') {
    throw new SafedockError(`project config ${file}: invalid YAML: ${result.message}`, {
      code: 'project-config-invalid',
      exitCode: 1,
      hint: `Fix the YAML in ${file}, then try again; it was left as it is.`,
    });
  }
  throw new SafedockError(`project config ${file}: expected a mapping such as "preset: strict"`, {
    code: 'project-config-invalid',
    exitCode: 1,
    hint: `Fix ${file}, then try again; it was left as it is.`,
  });
}

/** Sets `preset:` in the project config, creating the file when there is none; written atomically. */
export async function saveProjectDefault(file: string, preset: string): Promise<void> {
  writeFileAtomic(file, await projectConfigText(file, preset), { replace: true });
}
