import { basename } from 'node:path';
import { parseRunArgv } from '../docker-cli/parse-argv.js';
import { UsageError } from '../errors.js';
import { PRESET_NAME } from '../presets/types.js';
import { convertUserFlags } from '../run/pipeline.js';
import { WRITABLE_KINDS, type WritableKind, type WritablePath } from './answers.js';

/**
 * Each check returns what is wrong with an answer (a sentence naming what was given and what is
 * expected), or undefined when it is fine. The wizard shows the message under the question; the
 * flags turn it into an error.
 */

/** Whether docker run itself takes `--flag=value`: the same conversion a run does, so the rules cannot drift. */
export function dockerRefuses(flag: string, value: string): string | undefined {
  try {
    convertUserFlags(parseRunArgv([`--${flag}=${value}`, 'image']), { env: {}, cwd: '/' });
    return undefined;
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
}

export function checkPort(spec: string): string | undefined {
  if (spec === '') return 'expected a port such as 8080:80 (host port 8080 to container port 80) or 80';
  if (spec.includes('=')) return `"${spec}": give the short form HOST:CONTAINER[/PROTOCOL], e.g. 8080:80`;
  return dockerRefuses('publish', spec);
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^\[?[0-9a-fA-F:]*:[0-9a-fA-F:.]*\]?$/;

/** A host address as a -p spec carries it: IPv4 as is, IPv6 in brackets. */
export function normalizeAddress(address: string): string {
  return IPV6.test(address) && !address.startsWith('[') ? `[${address}]` : address;
}

export function checkAddress(address: string): string | undefined {
  if (IPV4.test(address) || IPV6.test(address)) return undefined;
  return `"${address}" is not an IP address; expected 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or another address of this host`;
}

/** `PATH` or `PATH:tmpfs` or `PATH:volume`. */
export function parseWritable(text: string): WritablePath | string {
  const at = text.lastIndexOf(':');
  const kindText = at > 0 ? text.slice(at + 1) : '';
  const isKind = (WRITABLE_KINDS as readonly string[]).includes(kindText);
  const path = isKind ? text.slice(0, at) : text;
  const kind: WritableKind = isKind ? (kindText as WritableKind) : 'tmpfs';
  const problem = checkWritablePath(path);
  return problem ?? { path, kind };
}

export function checkWritablePath(path: string): string | undefined {
  if (!path.startsWith('/'))
    return `"${path}" is not an absolute path inside the container; expected e.g. /var/cache/app`;
  if (path.replace(/\/+$/, '') === '')
    return 'the whole root cannot be a writable mount; name the folders the software writes to (or answer that it writes into its own files)';
  if (/[:,\s]/.test(path)) return `"${path}" holds a ":", "," or a space, which docker's mount syntax cannot carry`;
  return dockerRefuses('tmpfs', path);
}

/** A fixed user must be numeric (a name means nothing to the host's files) and not root. */
export function checkUser(user: string): string | undefined {
  const match = /^(\d+)(?::(\d+))?$/.exec(user);
  if (match === null) return `"${user}" is not UID or UID:GID; expected numbers such as 1000 or 1000:1000`;
  if (Number(match[1]) === 0)
    return 'uid 0 is root; for software that must start as root, answer yes to "starts as root" instead (the compat preset)';
  return undefined;
}

/** `1000` → `1000:1000`: a uid alone would run with gid 0, root's group, which owns much of an image's files. */
export function withGroup(user: string): string {
  return user.includes(':') ? user : `${user}:${user}`;
}

export function checkMemory(memory: string): string | undefined {
  return dockerRefuses('memory', memory);
}

export function checkCpus(cpus: string): string | undefined {
  return dockerRefuses('cpus', cpus);
}

/**
 * A project preset's name: a preset name that does not hide another built-in. Taking the base's
 * own name is the documented way to tighten a built-in for one project (it extends the one it hides).
 */
export function checkPresetName(name: string, base: string, builtins: readonly string[]): string | undefined {
  if (!PRESET_NAME.test(name))
    return `"${name}" is not a preset name; expected lower-case letters, digits, ".", "_" or "-", starting with a letter or digit`;
  if (builtins.includes(name) && name !== base)
    return `"${name}" is a built-in preset, which this project preset would hide; choose another name (or "${base}" to tighten ${base} for this project)`;
  return undefined;
}

/** The default project preset name: the folder's name made into a preset name, or "project". */
export function defaultPresetName(folder: string, builtins: readonly string[]): string {
  const name = basename(folder)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '')
    .slice(0, 40);
  return PRESET_NAME.test(name) && !builtins.includes(name) ? name : 'project';
}
