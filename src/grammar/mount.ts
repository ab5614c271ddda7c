import { resolve } from 'node:path';
import type {
  Mount,
  MountBindOptions as BindOptions,
  MountTmpfsOptions as TmpfsOptions,
  MountVolumeOptions as VolumeOptions,
} from '../api/create-body.js';
import { parseBool } from './parse-bool.js';
import { goParseUint, ramInBytes } from './units.js';
import { readCsvRecord } from './csv.js';
import { ValueError } from './value-error.js';

/**
 * docker's opts.MountOpt.Set for one --mount value (csv of key=value; type defaults to volume).
 * Fields that Go omits when empty are left out.
 */
export function parseMount(value: string, cwd: string): Mount {
  const fields = readCsvRecord(value);
  let type = 'volume';
  let source: string | undefined;
  let target = '';
  let readOnly = false;
  let consistency: string | undefined;
  let volume: VolumeOptions | undefined;
  let bind: BindOptions | undefined;
  let tmpfs: TmpfsOptions | undefined;
  const vol = (): VolumeOptions => (volume ??= { DriverConfig: {} });
  const bnd = (): BindOptions => (bind ??= {});
  const tmp = (): TmpfsOptions => (tmpfs ??= {});
  const setOnMap = (map: Record<string, string>, kv: string): void => {
    const eq = kv.indexOf('=');
    const k = eq < 0 ? kv : kv.slice(0, eq);
    if (k !== '') map[k] = eq < 0 ? '' : kv.slice(eq + 1);
  };
  const bool = (key: string, val: string, message = `invalid value for ${key}: ${val}`): boolean => {
    const parsed = parseBool(val);
    if (parsed === undefined) throw new ValueError(message);
    return parsed;
  };

  for (const field of fields) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    const val = eq < 0 ? '' : field.slice(eq + 1);
    if (eq < 0) {
      if (key === 'readonly' || key === 'ro') readOnly = true;
      else if (key === 'volume-nocopy') vol().NoCopy = true;
      else if (key === 'bind-nonrecursive') bnd().NonRecursive = true;
      else throw new ValueError(`invalid field '${field}' must be a key=value pair`);
      continue;
    }
    switch (key) {
      case 'type':
        type = val.toLowerCase();
        break;
      case 'source':
      case 'src':
        source = !val.startsWith('/') && val.startsWith('.') ? resolve(cwd, val) : val;
        break;
      case 'target':
      case 'dst':
      case 'destination':
        target = val;
        break;
      case 'readonly':
      case 'ro':
        readOnly = bool(key, val);
        break;
      case 'consistency':
        consistency = val.toLowerCase();
        break;
      case 'bind-propagation':
        bnd().Propagation = val.toLowerCase();
        break;
      case 'bind-nonrecursive':
        bnd().NonRecursive = bool(key, val);
        break;
      case 'bind-recursive':
        if (val === 'disabled') bnd().NonRecursive = true;
        else if (val === 'writable') bnd().ReadOnlyNonRecursive = true;
        else if (val === 'readonly') bnd().ReadOnlyForceRecursive = true;
        else if (val !== 'enabled') {
          throw new ValueError(
            `invalid value for ${key}: ${val} (must be "enabled", "disabled", "writable", or "readonly")`,
          );
        }
        break;
      case 'volume-subpath':
        vol().Subpath = val;
        break;
      case 'volume-nocopy':
        vol().NoCopy = bool(key, val, `invalid value for volume-nocopy: ${val}`);
        break;
      case 'volume-label':
        setOnMap((vol().Labels ??= {}), val);
        break;
      case 'volume-driver':
        (vol().DriverConfig ??= {}).Name = val;
        break;
      case 'volume-opt':
        setOnMap(((vol().DriverConfig ??= {}).Options ??= {}), val);
        break;
      case 'tmpfs-size':
        try {
          tmp().SizeBytes = ramInBytes(val);
        } catch {
          throw new ValueError(`invalid value for ${key}: ${val}`);
        }
        break;
      case 'tmpfs-mode':
        try {
          tmp().Mode = goParseUint(val, 8, 32);
        } catch {
          throw new ValueError(`invalid value for ${key}: ${val}`);
        }
        break;
      default:
        throw new ValueError(`unexpected key '${key}' in '${field}'`);
    }
  }

  if (type === '') throw new ValueError('type is required');
  if (volume !== undefined && type !== 'volume')
    throw new ValueError(`cannot mix 'volume-*' options with mount type '${type}'`);
  if (bind !== undefined && type !== 'bind')
    throw new ValueError(`cannot mix 'bind-*' options with mount type '${type}'`);
  if (tmpfs !== undefined && type !== 'tmpfs')
    throw new ValueError(`cannot mix 'tmpfs-*' options with mount type '${type}'`);
  if (bind?.ReadOnlyNonRecursive === true && !readOnly) {
    throw new ValueError("option 'bind-recursive=writable' requires 'readonly' to be specified in conjunction");
  }
  if (bind?.ReadOnlyForceRecursive === true) {
    if (!readOnly)
      throw new ValueError("option 'bind-recursive=readonly' requires 'readonly' to be specified in conjunction");
    if (bind.Propagation !== 'rprivate') {
      throw new ValueError(
        "option 'bind-recursive=readonly' requires 'bind-propagation=rprivate' to be specified in conjunction",
      );
    }
  }

  const m: Mount = { Type: type, Target: target };
  if (source !== undefined && source !== '') m.Source = source;
  if (readOnly) m.ReadOnly = true;
  if (consistency !== undefined && consistency !== '') m.Consistency = consistency;
  if (bind !== undefined) m.BindOptions = compact(bind);
  if (volume !== undefined) m.VolumeOptions = compact(volume);
  if (tmpfs !== undefined) m.TmpfsOptions = compact(tmpfs);
  return m;
}

/** Drop the fields Go's omitempty would drop (false, 0, "", empty maps). */
function compact(o: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // Object.entries of a plain `object` types its values as any; they are read as unknown and narrowed.
  const entries: [string, unknown][] = Object.entries(o);
  for (const [k, v] of entries) {
    if (v === false || v === 0 || v === '' || v === undefined) continue;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      if (k === 'Labels' || k === 'Options') {
        if (Object.keys(v).length > 0) out[k] = v;
        continue;
      }
      out[k] = compact(v);
      continue;
    }
    out[k] = v;
  }
  return out;
}
