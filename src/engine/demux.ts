import type { Readable } from 'node:stream';

/**
 * Splits the engine's multiplexed attach stream (8-byte frame headers: stream type, 3 zero
 * bytes, big-endian length) into stdout and stderr, pausing the source while a destination
 * is full so that large outputs do not pile up in memory. `observe` sees each piece as it is
 * copied, with the stream it went to.
 */
export function demultiplex(
  source: Readable,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
  observe?: (chunk: Buffer, stream: 'stdout' | 'stderr') => void,
): void {
  let pending: Buffer = Buffer.alloc(0);
  let frameType = -1;
  let frameLeft = 0;

  // One chunk from the engine may hold many frames: every write of it after the first full one
  // would add a listener of its own, so each destination waits for one drain at a time.
  const waiting = new Set<NodeJS.WritableStream>();
  const write = (target: NodeJS.WritableStream, chunk: Buffer): void => {
    if (!target.write(chunk) && !waiting.has(target)) {
      waiting.add(target);
      source.pause();
      target.once('drain', () => {
        waiting.delete(target);
        if (waiting.size === 0) source.resume();
      });
    }
  };

  source.on('data', (chunk: Buffer) => {
    let data = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    pending = Buffer.alloc(0);
    while (data.length > 0) {
      if (frameLeft === 0) {
        if (data.length < 8) {
          pending = Buffer.from(data);
          return;
        }
        frameType = data[0] ?? 1;
        frameLeft = data.readUInt32BE(4);
        data = data.subarray(8);
        continue;
      }
      const take = Math.min(frameLeft, data.length);
      const part = data.subarray(0, take);
      frameLeft -= take;
      data = data.subarray(take);
      const toStderr = frameType === 2;
      write(toStderr ? stderr : stdout, part);
      observe?.(part, toStderr ? 'stderr' : 'stdout');
    }
  });
}
