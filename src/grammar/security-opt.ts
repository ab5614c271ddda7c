import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { usageError } from './usage-errors.js';
import { goQuote } from './go-quote.js';
import { goFsError } from './go-fs-error.js';
import { jsonCompact } from './json-compact.js';

/** One --security-opt value converted: the entry sent, and the profile file it was read from. */
export interface ConvertedSecurityOpt {
  raw: string;
  /** For seccomp=FILE: the file (absolute), whose compacted JSON is in raw. */
  file?: string;
}

/**
 * docker's parseSecurityOpts for one value: key=value or key:value (bare no-new-privileges
 * allowed); seccomp=FILE is replaced by the file's compacted JSON. `systempaths=unconfined` is
 * returned as is: it becomes empty MaskedPaths/ReadonlyPaths instead of an entry (parseSystemPaths).
 */
export function convertSecurityOpt(opt: string, cwd: string): ConvertedSecurityOpt {
  let sep = opt.indexOf('=');
  let key = sep < 0 ? opt : opt.slice(0, sep);
  if (sep < 0 && key !== 'no-new-privileges') {
    sep = opt.indexOf(':');
    key = sep < 0 ? opt : opt.slice(0, sep);
  }
  const value = sep < 0 ? '' : opt.slice(sep + 1);
  if ((sep < 0 || value === '') && key !== 'no-new-privileges') {
    throw usageError(
      `Invalid --security-opt: ${goQuote(opt)}`,
      'Write --security-opt as key=value (or key:value), e.g. --security-opt apparmor=docker-default.',
    );
  }
  if (key !== 'seccomp' || value === 'builtin' || value === 'unconfined') return { raw: opt };
  const file = resolve(cwd, value);
  let text: string;
  try {
    text = readFileSync(file).toString('utf8');
  } catch (err) {
    throw usageError(
      `opening seccomp profile (${value}) failed: ${goFsError(err, value)}`,
      'Give the path of a seccomp profile JSON file, or builtin, or unconfined.',
    );
  }
  let compacted: string;
  try {
    compacted = jsonCompact(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw usageError(`compacting json for seccomp profile (${value}) failed: ${reason}`, `Fix the JSON in ${value}.`);
  }
  return { raw: `seccomp=${compacted}`, file };
}

/** The entry parseSystemPaths turns into empty MaskedPaths and ReadonlyPaths. */
export const SYSTEMPATHS_UNCONFINED = 'systempaths=unconfined';

/** One security option as the engine reads it. */
export interface SecurityOptEntry {
  /** Lower case: seccomp, apparmor, label, no-new-privileges, systempaths, … */
  key: string;
  /** '' for a bare option (no-new-privileges). */
  value: string;
  raw: string;
}

/**
 * The engine's split of one HostConfig.SecurityOpt entry: a bare `no-new-privileges`, else
 * `key=value`, else `key:value`. The one reader of the format: merge keys, policy, previews and
 * export all use it.
 */
export function readSecurityOpt(raw: string): SecurityOptEntry {
  if (raw === 'no-new-privileges') return { key: 'no-new-privileges', value: '', raw };
  const eq = raw.indexOf('=');
  const at = eq >= 0 ? eq : raw.indexOf(':');
  if (at < 0) return { key: raw.trim().toLowerCase(), value: '', raw };
  return { key: raw.slice(0, at).trim().toLowerCase(), value: raw.slice(at + 1), raw };
}
