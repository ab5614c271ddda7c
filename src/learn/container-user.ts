/**
 * The user of a container that has run, as numbers (for a tmpfs owned by it): as given when
 * numeric, else looked up in the container's own /etc/passwd and /etc/group (engine reads) as
 * the engine looks it up (src/policy/image-accounts.ts);
 * undefined for a name when there is no container to read (id undefined: removed with --rm).
 */
import type { Engine } from '../engine/engine.js';
import { NO_IMAGE_ACCOUNTS, resolveIds, type Ids } from '../policy/image-accounts.js';
import { TarLister } from './tar-entries.js';

export async function containerUserIds(engine: Engine, id: string | undefined, user: string): Promise<Ids | undefined> {
  if (/^\d+(:\d+)?$/.test(user) || user === '') return resolveIds(user, NO_IMAGE_ACCOUNTS);
  if (id === undefined) return undefined;
  const read = async (path: string): Promise<string | undefined> => {
    const stream = await engine.archive(id, path);
    if (stream === undefined) return undefined;
    const lister = new TarLister({ keepFirstFile: true });
    for await (const chunk of stream) {
      lister.push(chunk as Buffer);
      if (lister.firstFile !== undefined || lister.done) break;
    }
    stream.destroy();
    return lister.firstFile?.toString('utf8');
  };
  return resolveIds(user, { passwd: await read('/etc/passwd'), group: await read('/etc/group') });
}
