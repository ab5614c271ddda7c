import type { ContainerInspect } from '../../api/inspect.js';

/** A container's name as docker prints it (no leading slash), or its short id when it has none. */
export const containerName = (c: Pick<ContainerInspect, 'Id' | 'Name'>): string =>
  (c.Name ?? '').replace(/^\//, '') || c.Id.slice(0, 12);
