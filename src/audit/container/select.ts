import type { ContainerSummary } from '../../api/engine-state.js';
import { UsageError } from '../../errors.js';

/**
 * The containers named on the command line, as docker finds them: by full id, by name, or by a
 * unique id prefix. Every name must match exactly one container; otherwise nothing is audited.
 */
export function selectContainers(listed: readonly ContainerSummary[], refs: readonly string[]): string[] {
  const ids: string[] = [];
  for (const raw of refs) {
    const ref = raw.trim().replace(/^\//, '');
    const byId = listed.find((c) => c.Id === ref);
    const byName = listed.find((c) => (c.Names ?? []).some((n) => n.replace(/^\//, '') === ref));
    const byPrefix = ref === '' ? [] : listed.filter((c) => c.Id.startsWith(ref));
    const found = byId ?? byName ?? (byPrefix.length === 1 ? byPrefix[0] : undefined);
    if (found === undefined) {
      if (byPrefix.length > 1)
        throw new UsageError(
          `"${raw}" matches ${byPrefix.length} containers`,
          'Give more of the id, or the container name (docker ps -a lists them).',
        );
      throw new UsageError(`no such container: ${raw}`, 'Name a container by name or id (docker ps -a lists them).');
    }
    if (!ids.includes(found.Id)) ids.push(found.Id);
  }
  return ids;
}
