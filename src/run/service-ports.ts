import { SafedockError } from '../errors.js';
import { suggest } from '../grammar/suggest.js';
import type { SourcedOption } from '../docker-cli/to-spec.js';
import { PROJECT_CONFIG_FILE, type ProjectConfig } from '../presets/project-config.js';

/**
 * `--service NAME`: the ports of that service of the project config, as -p options of yours
 * (they are your choice for this workload, so the preset's address binds those that name none),
 * each credited to the service in the config file.
 */
export function serviceOptions(name: string | undefined, project: ProjectConfig | undefined): SourcedOption[] {
  if (name === undefined) return [];
  if (project === undefined) {
    throw new SafedockError(
      `--service ${name} names a service of the project config, but there is no ${PROJECT_CONFIG_FILE} here or above`,
      {
        code: 'usage',
        hint: 'safedock init records a service with the ports it publishes; or give the ports with -p.',
      },
    );
  }
  const services = project.services ?? {};
  const service = services[name];
  if (service === undefined) {
    const names = Object.keys(services);
    const near = suggest(name, names);
    throw new SafedockError(`no service "${name}" in ${project.file}`, {
      code: 'usage',
      hint:
        names.length === 0
          ? `${project.file} has no services: section; safedock init records one, or give the ports with -p.`
          : `${near === undefined ? '' : `Did you mean ${near}? `}The services are: ${names.join(', ')}.`,
    });
  }
  const source = { kind: 'user' as const, service: { name, file: project.file } };
  return service.ports.map((value) => ({ name: 'publish', value, source }));
}
