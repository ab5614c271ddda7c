import type { Ulimit } from '../api/create-body.js';
import { ValueError } from './value-error.js';
import { goQuote } from './go-quote.js';

const NAMES = new Set([
  'core',
  'cpu',
  'data',
  'fsize',
  'locks',
  'memlock',
  'msgqueue',
  'nice',
  'nofile',
  'nproc',
  'rss',
  'rtprio',
  'rttime',
  'sigpending',
  'stack',
]);

function parseLimit(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw new ValueError(`strconv.ParseInt: parsing ${goQuote(text)}: invalid syntax`);
  const v = BigInt(text);
  if (v > 2n ** 63n - 1n || v < -(2n ** 63n)) {
    throw new ValueError(`strconv.ParseInt: parsing ${goQuote(text)}: value out of range`);
  }
  return Number(v);
}

/** go-units ParseUlimit: `name=soft[:hard]`; without a hard limit, hard = soft. */
export function parseUlimit(value: string): Ulimit {
  const eq = value.indexOf('=');
  if (eq < 0) throw new ValueError(`invalid ulimit argument: ${value}`);
  const name = value.slice(0, eq);
  if (!NAMES.has(name)) throw new ValueError(`invalid ulimit type: ${name}`);
  const limits = value.slice(eq + 1).split(':');
  if (limits.length > 2) {
    throw new ValueError(
      `too many limit value arguments - ${value.slice(eq + 1)}, can only have up to two, \`soft[:hard]\``,
    );
  }
  const hard = limits.length === 2 ? parseLimit(limits[1] ?? '') : undefined;
  const soft = parseLimit(limits[0] ?? '');
  const effectiveHard = hard ?? soft;
  if (effectiveHard !== -1 && soft > effectiveHard) {
    throw new ValueError(`ulimit soft limit must be less than or equal to hard limit: ${soft} > ${effectiveHard}`);
  }
  return { Name: name, Hard: effectiveHard, Soft: soft };
}
