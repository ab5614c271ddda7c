import type { RunRequest } from '../api/create-body.js';

/** The query parameters of the create request: only the name and the platform, never settings. */
export function createQuery(request: Pick<RunRequest, 'name' | 'platform'>): Record<string, string> {
  const query: Record<string, string> = {};
  if (request.name !== undefined) query.name = request.name;
  if (request.platform !== undefined) query.platform = request.platform;
  return query;
}
