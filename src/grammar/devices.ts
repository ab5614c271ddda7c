/**
 * Devices and block-IO throttles as docker CLI 28.2 converts them: --device (host paths and CDI
 * names), --device-cgroup-rule, --gpus, --blkio-weight-device, --device-{read,write}-{bps,iops}.
 */
import { usageError } from './usage-errors.js';
import { goParseUint, ramInBytes } from './units.js';
import { goPathClean } from './go-path.js';
import { readCsvRecord } from './csv.js';
import { kvStringsToMap } from './labels.js';
import { ValueError } from './value-error.js';

export type { DeviceMapping, DeviceRequest } from '../api/create-body.js';
import type { DeviceMapping, DeviceRequest } from '../api/create-body.js';

const isLetter = (c: string): boolean => /^[A-Za-z]$/.test(c);
const isAlnum = (c: string): boolean => /^[A-Za-z0-9]$/.test(c);

function validVendorOrClass(name: string): boolean {
  // A one-letter name makes docker's parser slice out of range; it is not a CDI name here.
  if (name.length < 2) return false;
  if (!isLetter(name.charAt(0))) return false;
  for (const c of name.slice(1, -1)) if (!isAlnum(c) && c !== '_' && c !== '-' && c !== '.') return false;
  return isAlnum(name.charAt(name.length - 1));
}

function validDeviceName(name: string): boolean {
  if (name === '' || !isAlnum(name.charAt(0))) return false;
  if (name.length === 1) return true;
  for (const c of name.slice(1, -1)) if (!isAlnum(c) && !'_-.:'.includes(c)) return false;
  return isAlnum(name.charAt(name.length - 1));
}

/** CDI's parser.IsQualifiedName: `vendor.com/class=name`. */
export function isCdiName(device: string): boolean {
  if (device === '' || device.startsWith('/')) return false;
  const eq = device.indexOf('=');
  if (eq <= 0 || eq === device.length - 1) return false;
  const kind = device.slice(0, eq);
  const name = device.slice(eq + 1);
  const slash = kind.indexOf('/');
  if (slash <= 0 || slash === kind.length - 1) return false;
  return validVendorOrClass(kind.slice(0, slash)) && validVendorOrClass(kind.slice(slash + 1)) && validDeviceName(name);
}

/** validDeviceMode: a non-empty combination of r, w, m, each at most once. */
export function validDeviceMode(mode: string): boolean {
  if (mode === '') return false;
  const seen = new Set<string>();
  for (const c of mode) {
    if (!'rwm'.includes(c) || seen.has(c)) return false;
    seen.add(c);
  }
  return true;
}

/** validateLinuxPath (device flavour): `[host:]container[:mode]`, cleaned; errors are docker's. */
function validateLinuxDevicePath(val: string): string {
  if (val.split(':').length - 1 > 2) throw usageError(`bad format for path: ${val}`);
  const split = val.split(':');
  if (split[0] === '') throw usageError(`bad format for path: ${val}`);
  let containerPath: string;
  let out: string;
  const [a = '', b = '', c = ''] = split;
  if (split.length === 1) {
    containerPath = a;
    out = goPathClean(containerPath);
  } else if (split.length === 2) {
    if (validDeviceMode(b)) {
      containerPath = a;
      out = `${goPathClean(a)}:${b}`;
    } else {
      containerPath = b;
      out = `${a}:${goPathClean(b)}`;
    }
  } else {
    containerPath = b;
    if (!validDeviceMode(c)) throw usageError(`bad mode specified: ${c}`);
    out = `${a}:${b}:${c}`;
  }
  if (!containerPath.startsWith('/')) throw usageError(`${containerPath} is not an absolute path`);
  return out;
}

/** parseLinuxDevice on a validated spec. */
function parseLinuxDevice(device: string): DeviceMapping {
  const arr = device.split(':');
  if (arr.length > 3) throw usageError(`invalid device specification: ${device}`);
  let permissions = 'rwm';
  let dst = '';
  if (arr.length === 3) permissions = arr[2] ?? '';
  if (arr.length >= 2) {
    const second = arr[1] ?? '';
    if (validDeviceMode(second)) permissions = second;
    else dst = second;
  }
  const src = arr[0] ?? '';
  return { PathOnHost: src, PathInContainer: dst === '' ? src : dst, CgroupPermissions: permissions };
}

/** Every --device value: host-device mappings, and the CDI names for one "cdi" device request. */
export function parseDevices(values: readonly string[]): { devices: DeviceMapping[]; cdi: string[] } {
  const devices: DeviceMapping[] = [];
  const cdi: string[] = [];
  for (const v of values) {
    if (isCdiName(v)) cdi.push(v);
    else devices.push(parseLinuxDevice(validateLinuxDevicePath(v)));
  }
  return { devices, cdi };
}

const CGROUP_RULE = /^[acb] ([0-9]+|\*):([0-9]+|\*) [rwm]{1,3}$/;

/** validateDeviceCgroupRule. */
export function validateDeviceCgroupRule(val: string): string {
  if (CGROUP_RULE.test(val)) return val;
  throw new ValueError(`invalid device cgroup format '${val}'`);
}

function cutDevice(val: string): [string, string] {
  const colon = val.indexOf(':');
  const k = colon < 0 ? '' : val.slice(0, colon);
  if (colon < 0 || k === '') throw new ValueError(`bad format: ${val}`);
  if (!k.startsWith('/dev/')) throw new ValueError(`bad format for device path: ${val}`);
  return [k, val.slice(colon + 1)];
}

/** opts.ValidateWeightDevice: `/dev/x:weight`, weight 0 or 10–1000. */
export function parseWeightDevice(val: string): { Path: string; Weight: number } {
  const [path, text] = cutDevice(val);
  let weight: number;
  try {
    weight = goParseUint(text, 10, 16);
  } catch {
    throw new ValueError(`invalid weight for device: ${val}`);
  }
  if (weight > 0 && (weight < 10 || weight > 1000)) throw new ValueError(`invalid weight for device: ${val}`);
  return { Path: path, Weight: weight };
}

/** opts.ValidateThrottleBpsDevice: `/dev/x:rate` with go-units sizes. */
export function parseThrottleBps(val: string): { Path: string; Rate: number } {
  const [path, text] = cutDevice(val);
  let rate: number;
  try {
    rate = ramInBytes(text);
  } catch {
    rate = -1;
  }
  if (rate < 0) {
    throw new ValueError(
      `invalid rate for device: ${val}. The correct format is <device-path>:<number>[<unit>]. Number must be a positive integer. Unit is optional and can be kb, mb, or gb`,
    );
  }
  return { Path: path, Rate: rate };
}

/** opts.ValidateThrottleIOpsDevice: `/dev/x:rate`, an unsigned integer. */
export function parseThrottleIops(val: string): { Path: string; Rate: number } {
  const [path, text] = cutDevice(val);
  try {
    return { Path: path, Rate: goParseUint(text, 10, 64) };
  } catch {
    throw new ValueError(
      `invalid rate for device: ${val}. The correct format is <device-path>:<number>. Number must be a positive integer`,
    );
  }
}

/** strconv.Atoi's error reason, as GpuOpts reports it. */
function parseCount(s: string): number {
  if (s === 'all') return -1;
  const m = /^[+-]?\d+$/.test(s);
  if (!m) throw new ValueError(`invalid count (${s}): value must be either "all" or an integer: invalid syntax`);
  const v = BigInt(s);
  if (v > 2n ** 63n - 1n || v < -(2n ** 63n)) {
    throw new ValueError(`invalid count (${s}): value must be either "all" or an integer: value out of range`);
  }
  return Number(v);
}

/** opts.GpuOpts.Set: one --gpus value → one device request. */
export function parseGpuRequest(value: string): DeviceRequest {
  const fields = readCsvRecord(value);
  const req: DeviceRequest = { Driver: '', Count: 0, DeviceIDs: null, Capabilities: null, Options: null };
  const seen = new Set<string>();
  for (const field of fields) {
    const eq = field.indexOf('=');
    const key = eq < 0 ? field : field.slice(0, eq);
    const val = eq < 0 ? '' : field.slice(eq + 1);
    if (seen.has(key)) throw new ValueError(`gpu request key '${key}' can be specified only once`);
    seen.add(key);
    if (eq < 0) {
      seen.add('count');
      req.Count = parseCount(key);
      continue;
    }
    switch (key) {
      case 'driver':
        req.Driver = val;
        break;
      case 'count':
        req.Count = parseCount(val);
        break;
      case 'device':
        req.DeviceIDs = val.split(',');
        break;
      case 'capabilities':
        req.Capabilities = [[...val.split(','), 'gpu']];
        break;
      case 'options': {
        let opts: string[];
        try {
          opts = readCsvRecord(val);
        } catch (err) {
          throw new ValueError(`failed to read gpu options: ${err instanceof Error ? err.message : String(err)}`);
        }
        req.Options = kvStringsToMap(opts);
        break;
      }
      default:
        throw new ValueError(`unexpected key '${key}' in '${field}'`);
    }
  }
  if (!seen.has('count') && req.DeviceIDs === null) req.Count = 1;
  req.Options ??= {};
  req.Capabilities ??= [['gpu']];
  return req;
}
