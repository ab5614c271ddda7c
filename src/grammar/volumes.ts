import { resolve } from 'node:path';
import { usageError } from './usage-errors.js';

interface VolumeSpec {
  source: string;
  target: string;
  type: 'bind' | 'volume';
}

function isWindowsDrive(buffer: string, ch: string): boolean {
  return ch === ':' && buffer.length === 1 && /\p{L}/u.test(buffer);
}

function isFilePath(source: string): boolean {
  if (source === '') return false;
  if ('./~'.includes(source.charAt(0))) return true;
  if (source.startsWith('\\\\')) return true;
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- Go reads runes: code points are wanted
  const chars = [...source];
  return chars.length > 1 && isWindowsDrive(chars[0] ?? '', chars[1] ?? '');
}

/**
 * The compose volume-spec parser docker uses for -v, reduced to what run needs: source, target and
 * whether the source is a host path (`c:` counts as a Windows drive, so `a:b:c:d` has source `a:b`).
 * The rest (modes, absolute target) is validated by the daemon.
 */
export function parseVolumeSpec(spec: string): VolumeSpec {
  const v: VolumeSpec = { source: '', target: '', type: 'volume' };
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- Go ranges over runes: code points are wanted
  const chars = [...spec];
  const bytes = Buffer.byteLength(spec);
  if (bytes === 0)
    throw usageError('invalid empty volume spec', 'Give -v a value: -v SOURCE:TARGET[:OPTIONS] or -v TARGET.');
  if (bytes <= 2) {
    v.target = spec;
    return v;
  }
  let buffer = '';
  const END = '\u{10FFFF}';
  for (const ch of [...chars, END]) {
    if (isWindowsDrive(buffer, ch)) {
      buffer += ch;
    } else if (ch === ':' || ch === END) {
      const fail = (reason: string): never => {
        throw usageError(`invalid spec: ${spec}: ${reason}`, 'Write -v as SOURCE:TARGET[:OPTIONS] or TARGET.');
      };
      if (buffer.length === 0) fail('empty section between colons');
      if (v.source === '' && ch === END) v.target = buffer;
      else if (v.source === '') v.source = buffer;
      else if (v.target === '') v.target = buffer;
      else if (ch === ':') fail('too many colons');
      buffer = '';
    } else {
      buffer += ch;
    }
  }
  v.type = v.source !== '' && isFilePath(v.source) ? 'bind' : 'volume';
  return v;
}

/** `-v SOURCE:TARGET[:MODE]` (a host path or a named volume) or `-v TARGET` (an anonymous volume). */
export interface VolumeFlagMount {
  via: 'volume';
  kind: 'bind' | 'volume' | 'anonymous';
  /** Host path (made absolute when it started with '.') or volume name; '' for anonymous. */
  source: string;
  target: string;
  /** What followed the target, e.g. 'ro,z'; '' when none. */
  mode: string;
  /** The Binds entry as sent ('' for anonymous volumes, which go to Config.Volumes). */
  raw: string;
}

/** One -v value: a bind (host path, made absolute when it starts with '.'), a named or an anonymous volume. */
export function volumeMount(value: string, cwd: string): VolumeFlagMount {
  const parsed = parseVolumeSpec(value);
  if (parsed.source === '') return { via: 'volume', kind: 'anonymous', source: '', target: value, mode: '', raw: '' };
  let raw = value;
  let source = parsed.source;
  const colon = value.indexOf(':');
  if (parsed.type === 'bind' && colon >= 0) {
    let host = value.slice(0, colon);
    if (!host.startsWith('/') && host.startsWith('.')) host = resolve(cwd, host);
    raw = `${host}:${value.slice(colon + 1)}`;
    source = host;
  }
  const afterTarget = raw.slice(source.length + 1 + parsed.target.length);
  return {
    via: 'volume',
    kind: parsed.type,
    source,
    target: parsed.target,
    mode: afterTarget.startsWith(':') ? afterTarget.slice(1) : '',
    raw,
  };
}
