import type { RunObserver } from './run-container.js';

/** How much of a run's output the diagnosis reads: the last few KB, where a program says why it died. */
export const OUTPUT_TAIL_BYTES = 8192;

/**
 * A run observer that keeps only the last `limit` bytes of the container's output, stdout and
 * stderr interleaved as they arrived: a long-running chatty container costs no more memory than a
 * short one. The text starts at the first whole line kept.
 */
export class OutputTail implements RunObserver {
  private chunks: Buffer[] = [];
  private size = 0;
  /** Whether bytes were dropped from the front (the first line kept may then be a partial one). */
  private cut = false;

  constructor(private readonly limit: number = OUTPUT_TAIL_BYTES) {}

  output(chunk: Buffer): void {
    if (chunk.length === 0) return;
    // A copy: the chunk is a view of the engine's buffer, which is reused.
    this.chunks.push(Buffer.from(chunk.subarray(Math.max(0, chunk.length - this.limit))));
    this.size += Math.min(chunk.length, this.limit);
    if (chunk.length > this.limit) this.cut = true;
    while (this.size > this.limit) {
      const first = this.chunks[0];
      if (first === undefined) break;
      const excess = this.size - this.limit;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
      }
      this.cut = true;
    }
  }

  /** The kept output as text, from its first whole line. */
  text(): string {
    const text = Buffer.concat(this.chunks).toString('utf8');
    if (!this.cut) return text;
    const newline = text.indexOf('\n');
    return newline < 0 ? '' : text.slice(newline + 1);
  }
}
