/**
 * The entries of a tar stream (as the engine's archive endpoint sends a container's path), read
 * header by header while skipping file contents, so that a large folder costs no memory. Pure:
 * chunks in, entries out; ustar, GNU long names and pax path records are understood.
 */

export type EntryType = 'file' | 'dir' | 'symlink' | 'other';

export interface TarEntry {
  /** The entry's name in the archive, without a trailing slash. */
  name: string;
  type: EntryType;
  size: number;
  uid: number;
  gid: number;
  mode: number;
  /** A symbolic link's target. */
  linkName?: string;
}

const BLOCK = 512;

const TYPES: Readonly<Record<string, EntryType>> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '5': 'dir',
  '2': 'symlink',
};

export class TarLister {
  readonly entries: TarEntry[] = [];

  /** True once the end of the archive (or a malformed header) was reached. */
  done = false;
  private pending: Buffer = Buffer.alloc(0);
  private skip = 0;
  /** Which content to keep in full instead of skipping: pax ('x') and GNU long names ('L', 'K'). */
  private capture: { type: string; size: number } | undefined;
  private longName: string | undefined;
  private longLink: string | undefined;
  private paxPath: string | undefined;

  push(chunk: Buffer): void {
    if (this.done) return;
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    for (;;) {
      if (this.skip > 0) {
        const take = Math.min(this.skip, data.length);
        this.skip -= take;
        data = data.subarray(take);
        if (this.skip > 0) return;
      }
      if (this.capture !== undefined) {
        const padded = Math.ceil(this.capture.size / BLOCK) * BLOCK;
        if (data.length < padded) {
          this.pending = Buffer.from(data);
          return;
        }
        this.meta(this.capture.type, data.subarray(0, this.capture.size));
        this.capture = undefined;
        data = data.subarray(padded);
        continue;
      }
      if (data.length < BLOCK) {
        this.pending = Buffer.from(data);
        return;
      }
      const header = data.subarray(0, BLOCK);
      data = data.subarray(BLOCK);
      if (header.every((b) => b === 0)) {
        this.done = true;
        return;
      }
      if (!this.header(header)) return;
    }
  }

  /** Reads one header; false when it is malformed (the listing then ends). */
  private header(h: Buffer): boolean {
    const size = octal(h.subarray(124, 136));
    const type = String.fromCharCode(h[156] ?? 0);
    if (size === undefined) {
      this.done = true;
      return false;
    }
    if (type === 'x' || type === 'L' || type === 'K') {
      this.capture = { type, size };
      return true;
    }
    if (type === 'g') {
      this.skip = Math.ceil(size / BLOCK) * BLOCK;
      return true;
    }
    const prefix = text(h.subarray(345, 500));
    const plain = text(h.subarray(0, 100));
    const name = this.paxPath ?? this.longName ?? (prefix === '' ? plain : `${prefix}/${plain}`);
    const link = this.longLink ?? text(h.subarray(157, 257));
    this.paxPath = this.longName = this.longLink = undefined;
    const entry: TarEntry = {
      name: name.replace(/\/+$/, ''),
      type: TYPES[type] ?? 'other',
      size,
      uid: octal(h.subarray(108, 116)) ?? 0,
      gid: octal(h.subarray(116, 124)) ?? 0,
      mode: octal(h.subarray(100, 108)) ?? 0,
    };
    if (entry.type === 'symlink') entry.linkName = link;
    this.entries.push(entry);
    this.skip = entry.type === 'file' ? Math.ceil(size / BLOCK) * BLOCK : 0;
    return true;
  }

  private meta(type: string, body: Buffer): void {
    if (type === 'L') this.longName = text(body);
    else if (type === 'K') this.longLink = text(body);
    else {
      // pax records: "LEN key=value\n"
      for (const record of body.toString('utf8').split('\n')) {
        const m = /^\d+ path=(.*)$/.exec(record);
        if (m?.[1] !== undefined) this.paxPath = m[1];
      }
    }
  }
}

function text(b: Buffer): string {
  const end = b.indexOf(0);
  return b.subarray(0, end < 0 ? b.length : end).toString('utf8');
}

/** A numeric field: octal text, or base-256 when the high bit of the first byte is set. */
function octal(b: Buffer): number | undefined {
  if (((b[0] ?? 0) & 0x80) !== 0) {
    let n = 0;
    for (let i = 1; i < b.length; i++) n = n * 256 + (b[i] ?? 0);
    return n;
  }
  const s = text(b).trim();
  if (s === '') return 0;
  return /^[0-7]+$/.test(s) ? Number.parseInt(s, 8) : undefined;
}
