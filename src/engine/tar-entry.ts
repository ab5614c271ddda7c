/**
 * The first entry of a tar stream, as the engine's archive endpoint sends one path: enough of the
 * format (ustar, PAX and GNU long names, base-256 sizes) to read a small file or where a link points.
 */
export interface TarEntry {
  name: string;
  /** '0' file, '2' symbolic link, '1' hard link, '5' directory, … */
  type: string;
  linkName: string;
  body: Buffer;
}

const BLOCK = 512;

const text = (buf: Buffer, from: number, length: number): string => {
  const field = buf.subarray(from, from + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString('utf8');
};

function size(header: Buffer): number {
  const field = header.subarray(124, 136);
  // Base-256 (GNU) for sizes beyond the octal field.
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let n = 0;
    for (let i = 1; i < field.length; i++) n = n * 256 + (field[i] ?? 0);
    return n;
  }
  const octal = text(header, 124, 12).trim();
  return octal === '' ? 0 : parseInt(octal, 8);
}

/** PAX records: `LEN key=value\n`. */
function paxRecords(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 0;
  while (at < body.length) {
    const space = body.indexOf(0x20, at);
    if (space < 0) break;
    const length = parseInt(body.subarray(at, space).toString('ascii'), 10);
    if (!(length > 0)) break;
    const record = body.subarray(space + 1, at + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    at += length;
  }
  return out;
}

/** The first real entry of a tar archive, or undefined when there is none or it is cut short. */
export function firstTarEntry(tar: Buffer): TarEntry | undefined {
  let at = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  while (at + BLOCK <= tar.length) {
    const header = tar.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) return undefined;
    const type = text(header, 156, 1) || '0';
    const length = size(header);
    const bodyAt = at + BLOCK;
    if (bodyAt + length > tar.length) return undefined;
    const body = tar.subarray(bodyAt, bodyAt + length);
    at = bodyAt + Math.ceil(length / BLOCK) * BLOCK;
    if (type === 'x') {
      const pax = paxRecords(body);
      longName = pax.path ?? longName;
      longLink = pax.linkpath ?? longLink;
      continue;
    }
    if (type === 'g') continue;
    if (type === 'L' || type === 'K') {
      const value = text(body, 0, body.length);
      if (type === 'L') longName = value;
      else longLink = value;
      continue;
    }
    const prefix = text(header, 257, 6).startsWith('ustar') ? text(header, 345, 155) : '';
    const short = text(header, 0, 100);
    return {
      name: longName ?? (prefix === '' ? short : `${prefix}/${short}`),
      type,
      linkName: longLink ?? text(header, 157, 100),
      body: Buffer.from(body),
    };
  }
  return undefined;
}
