/**
 * Files of an image (its /etc/passwd and /etc/group), read through the engine as `docker cp` does:
 * from a container that is created, never started, and removed at once.
 */
import type { Engine } from '../engine/engine-api.js';
import { emptySpec } from '../model/run-spec.js';
import { toRunRequest } from '../model/to-create-body.js';
import { tarFirstFile } from './image-users.js';

/** The label on that container, so that it is found and removed should anything interrupt. */
export const READER_LABEL = 'io.safedock.export';

export async function readImageFiles(
  engine: Engine,
  image: string,
  paths: readonly string[],
): Promise<Map<string, string>> {
  const spec = emptySpec(image);
  // Never started: a command is needed to create it, and it needs no network.
  spec.command = ['true'];
  spec.labels = { [READER_LABEL]: 'users' };
  spec.networks = [
    {
      target: 'none',
      aliases: [],
      ipv4: '',
      ipv6: '',
      macAddress: '',
      linkLocalIps: [],
      driverOpts: undefined,
      gwPriority: 0,
    },
  ];
  spec.detach = true;
  const { id } = await engine.create(toRunRequest(spec, { apiVersion: engine.apiVersion }));
  const files = new Map<string, string>();
  try {
    for (const path of paths) {
      const stream = await engine.archive(id, path);
      if (stream === undefined) continue;
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      const text = tarFirstFile(Buffer.concat(chunks));
      if (text !== undefined) files.set(path, text);
    }
  } finally {
    await engine.remove(id);
  }
  return files;
}
