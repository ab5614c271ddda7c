import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { demultiplex } from '../../../src/engine/demux.js';
import { exitCodeForStartError } from '../../../src/engine/exit-code.js';
import { splitReference } from '../../../src/engine/engine.js';

function frame(type: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

async function run(chunks: Buffer[]): Promise<{ out: string; err: string }> {
  const source = new PassThrough();
  const out = new PassThrough();
  const err = new PassThrough();
  const o: Buffer[] = [];
  const e: Buffer[] = [];
  out.on('data', (c: Buffer) => o.push(c));
  err.on('data', (c: Buffer) => e.push(c));
  demultiplex(source, out, err);
  for (const c of chunks) source.write(c);
  source.end();
  await new Promise((r) => source.on('end', r));
  return { out: Buffer.concat(o).toString(), err: Buffer.concat(e).toString() };
}

describe('demultiplex', () => {
  it('routes frames to stdout and stderr', async () => {
    expect(await run([frame(1, 'out1'), frame(2, 'err1'), frame(1, 'out2')])).toEqual({ out: 'out1out2', err: 'err1' });
  });
  it('handles headers and payloads split across chunks at every byte', async () => {
    const all = Buffer.concat([frame(1, 'hello'), frame(2, 'world'), frame(1, '!')]);
    for (let cut = 1; cut < all.length; cut++) {
      expect(await run([all.subarray(0, cut), all.subarray(cut)])).toEqual({ out: 'hello!', err: 'world' });
    }
  });
  it('waits for one drain at a time however many frames one chunk holds, and delivers them all', async () => {
    const source = new PassThrough();
    const out = new PassThrough({ highWaterMark: 4 });
    const err = new PassThrough({ highWaterMark: 4 });
    demultiplex(source, out, err);
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i}\n`);
    source.write(Buffer.concat(lines.map((l, i) => frame(i % 5 === 0 ? 2 : 1, l))));
    // Nobody reads yet: both destinations are full, each with a single drain listener.
    await new Promise((r) => setImmediate(r));
    expect(out.listenerCount('drain')).toBe(1);
    expect(err.listenerCount('drain')).toBe(1);
    const o: Buffer[] = [];
    const e: Buffer[] = [];
    out.on('data', (c: Buffer) => o.push(c));
    err.on('data', (c: Buffer) => e.push(c));
    source.end();
    await new Promise((r) => source.on('end', r));
    await new Promise((r) => setImmediate(r));
    expect(Buffer.concat(o).toString()).toBe(lines.filter((_, i) => i % 5 !== 0).join(''));
    expect(Buffer.concat(e).toString()).toBe(lines.filter((_, i) => i % 5 === 0).join(''));
  });

  it('handles many frames in one chunk and empty frames', async () => {
    expect(await run([Buffer.concat([frame(1, ''), frame(1, 'a'), frame(2, 'b'), frame(1, 'c')])])).toEqual({
      out: 'ac',
      err: 'b',
    });
  });
});

describe('exitCodeForStartError', () => {
  it.each([
    ['exec: "/nonexist": stat /nonexist: no such file or directory: unknown', 127],
    ['exec: "foo": executable file not found in $PATH: unknown', 127],
    ['exec: "/etc": permission denied: unknown', 126],
    ['cgroup limit could not be applied', 125],
  ])('%s -> %i', (message, code) => {
    expect(exitCodeForStartError(message)).toBe(code);
  });
});

describe('splitReference', () => {
  it.each([
    ['busybox', 'busybox', 'latest'],
    ['busybox:1.36', 'busybox', '1.36'],
    ['localhost:5000/app', 'localhost:5000/app', 'latest'],
    ['localhost:5000/app:v2', 'localhost:5000/app', 'v2'],
    ['app@sha256:abc', 'app', 'sha256:abc'],
  ])('%s -> %s %s', (ref, repo, tag) => {
    expect(splitReference(ref)).toEqual({ repo, tag });
  });
});

describe('demultiplex: an observer', () => {
  it('sees each piece with its stream, whatever the chunking', async () => {
    const all = Buffer.concat([frame(1, 'hello'), frame(2, 'world')]);
    for (let cut = 1; cut < all.length; cut++) {
      const source = new PassThrough();
      const seen = { stdout: '', stderr: '' };
      demultiplex(source, new PassThrough().resume(), new PassThrough().resume(), (chunk, stream) => {
        seen[stream] += chunk.toString();
      });
      source.write(all.subarray(0, cut));
      source.end(all.subarray(cut));
      await new Promise((r) => source.on('end', r));
      expect(seen).toEqual({ stdout: 'hello', stderr: 'world' });
    }
  });
});
