/**
 * The user of a container that has run, as numbers (for a tmpfs owned by it): as given when
 * numeric, else looked up in the container's own /etc/passwd and /etc/group (engine reads) as
 * the engine looks it up (src/policy/image-accounts.ts);
 * undefined for a name when there is no container to read (id undefined: removed with --rm).
 */
import type { Engine } from '../engine/engine.js';
import { readContainerAccounts } from '../engine/facts.js';
import { NO_IMAGE_ACCOUNTS, resolveIds, type Ids } from '../policy/image-accounts.js';

export async function containerUserIds(engine: Engine, id: string | undefined, user: string): Promise<Ids | undefined> {
  if (/^\d+(:\d+)?$/.test(user) || user === '') return resolveIds(user, NO_IMAGE_ACCOUNTS);
  if (id === undefined) return undefined;
  // A container whose files cannot be read resolves no names.
  return resolveIds(user, await readContainerAccounts(engine, id).catch(() => NO_IMAGE_ACCOUNTS));
}
