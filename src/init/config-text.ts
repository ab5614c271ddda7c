import { projectConfigText } from '../project/project-default.js';
import { editYamlText } from '../presets/yaml-file.js';

/** The service init records: the answered ports, under the project preset's name. */
export interface InitService {
  name: string;
  ports: string[];
}

/**
 * The project config as init writes it: `preset: NAME`, and the service's ports under
 * `services: NAME: ports:` (a service of that name is replaced; others, and every other field
 * and comment of an existing file, are kept).
 */
export async function initConfigText(file: string, preset: string, service: InitService | undefined): Promise<string> {
  const text = await projectConfigText(file, preset);
  if (service === undefined) return text;
  // projectConfigText has checked that the file is a mapping, so the edit always applies.
  return (
    (await editYamlText(text, [{ op: 'set', path: ['services', service.name], value: { ports: service.ports } }])) ??
    text
  );
}
