/**
 * Pass 1 of docker's conversion: pflag's Set for each option, in argv order. A setter validates one
 * value (value errors read `invalid argument "V" for "F" flag: …`) and stores it for pass 2
 * (src/docker-cli/to-spec.ts), remembering which option it came from (`at`) for provenance.
 */
import type { Mount, Ulimit } from '../api/create-body.js';
import { parseGpuRequest, type DeviceRequest } from '../grammar/devices.js';
import { validateEnv } from '../grammar/env.js';
import { parseMount } from '../grammar/mount.js';
import { parseNetworkValue, type NetworkAttachment } from '../grammar/network.js';
import { parseUlimit } from '../grammar/ulimit.js';
import { goParseInt, ramInBytes } from '../grammar/units.js';
import { ValueError } from '../grammar/value-error.js';

/** A stored value and the index of the option it came from. */
export interface At<T> {
  value: T;
  at: number;
}

/** What pass 1 gathers: docker's containerOptions after flag parsing. */
export interface Collected {
  /** Scalar flags (strings and booleans as 'true'/'false'), last value wins. */
  scalar: Map<string, At<string>>;
  /** List flags, each value as docker's validator returned it, in order. */
  list: Map<string, Array<At<string>>>;
  /** Numeric flags already converted (bytes, nano CPUs, ints). */
  number: Map<string, At<number>>;
  ulimits: Map<string, At<Ulimit>>;
  mounts: Array<At<Mount>>;
  networks: Array<At<NetworkAttachment>>;
  gpus: Array<At<DeviceRequest>>;
  /** --blkio-weight-device and --device-{read,write}-{bps,iops}, by flag name. */
  blkio: Map<string, Array<At<Record<string, string | number>>>>;
}

/** What a setter may read: the caller's environment (-e NAME) and folder (relative paths). */
export interface CollectContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Stores one option value; `name` is the canonical flag name (setters are shared between flags). */
export type Setter = (value: string, c: Collected, ctx: CollectContext, name: string, at: number) => void;

export function emptyCollected(): Collected {
  return {
    scalar: new Map(),
    list: new Map(),
    number: new Map(),
    ulimits: new Map(),
    mounts: [],
    networks: [],
    gpus: [],
    blkio: new Map(),
  };
}

function listOf(c: Collected, name: string): Array<At<string>> {
  let l = c.list.get(name);
  if (l === undefined) {
    l = [];
    c.list.set(name, l);
  }
  return l;
}

export const setScalar: Setter = (value, c, _ctx, name, at) => void c.scalar.set(name, { value, at });
export const pushList: Setter = (value, c, _ctx, name, at) => void listOf(c, name).push({ value, at });
export const numeric =
  (convert: (v: string) => number): Setter =>
  (v, c, _ctx, name, at) =>
    void c.number.set(name, { value: convert(v), at });
export const validatedList =
  (validate: (v: string, ctx: CollectContext) => string): Setter =>
  (v, c, ctx, name, at) =>
    void listOf(c, name).push({ value: validate(v, ctx), at });
export const blkioList =
  (parse: (v: string) => Record<string, string | number>): Setter =>
  (v, c, _ctx, name, at) => {
    const l = c.blkio.get(name) ?? [];
    l.push({ value: parse(v), at });
    c.blkio.set(name, l);
  };
export const int64: Setter = numeric((v) => goParseInt(v, 0));
export const memorySwap: Setter = numeric((v) => (v === '-1' ? -1 : ramInBytes(v)));
export const env: Setter = validatedList((v, ctx) => validateEnv(v, ctx.env));
export const mount: Setter = (v, c, ctx, _name, at) => void c.mounts.push({ value: parseMount(v, ctx.cwd), at });
export const network: Setter = (v, c, _ctx, _name, at) => void c.networks.push({ value: parseNetworkValue(v), at });
export const gpus: Setter = (v, c, _ctx, _name, at) => void c.gpus.push({ value: parseGpuRequest(v), at });
export const ulimit: Setter = (v, c, _ctx, _name, at) => {
  const u = parseUlimit(v);
  // A later value of the same limit replaces the earlier one and moves to the end, as docker's map does.
  c.ulimits.delete(u.Name);
  c.ulimits.set(u.Name, { value: u, at });
};
export const attachStream: Setter = validatedList((v) => {
  const lower = v.toLowerCase();
  if (lower === 'stdin' || lower === 'stdout' || lower === 'stderr') return lower;
  throw new ValueError('valid streams are STDIN, STDOUT and STDERR');
});
