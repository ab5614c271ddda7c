import { readOnce } from './read-once.js';
import { resolve } from 'node:path';
import { usageError } from './usage-errors.js';
import { goQuote } from './go-quote.js';
import { goFsError } from './go-fs-error.js';
import { jsonCompact } from './json-compact.js';

export interface SecurityResult {
  securityOpt: string[] | null;
  /** [] when systempaths=unconfined was given, else null (the daemon's defaults). */
  maskedPaths: string[] | null;
  readonlyPaths: string[] | null;
}

/**
 * docker's parseSecurityOpts + parseSystemPaths: each entry is key=value or key:value (bare
 * no-new-privileges allowed); seccomp=FILE is replaced by the file's compacted JSON;
 * systempaths=unconfined becomes empty MaskedPaths/ReadonlyPaths.
 */
export function parseSecurityOpts(values: readonly string[], cwd: string): SecurityResult {
  const opts: string[] = [];
  for (const opt of values) {
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
    if (key === 'seccomp' && value !== 'builtin' && value !== 'unconfined') {
      let text: string;
      try {
        text = readOnce(resolve(cwd, value)).toString('utf8');
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
        throw usageError(
          `compacting json for seccomp profile (${value}) failed: ${reason}`,
          `Fix the JSON in ${value}.`,
        );
      }
      opts.push(`seccomp=${compacted}`);
      continue;
    }
    opts.push(opt);
  }
  let maskedPaths: string[] | null = null;
  let readonlyPaths: string[] | null = null;
  const filtered = opts.filter((o) => {
    if (o !== 'systempaths=unconfined') return true;
    maskedPaths = [];
    readonlyPaths = [];
    return false;
  });
  return {
    securityOpt: filtered.length > 0 || values.length > 0 ? filtered : null,
    maskedPaths,
    readonlyPaths,
  };
}
