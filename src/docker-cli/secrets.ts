import { statSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { OptionValue } from './parsed-run.js';

/** Where secrets appear inside the container, as Compose puts them. */
export const SECRETS_DIR = '/run/secrets';
const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export interface SecretMount {
  name: string;
  /** The file on the client's host, absolute. */
  file: string;
  target: string;
  stats: Stats;
}

function bad(value: string, problem: string, hint: string): UsageError {
  return new UsageError(`invalid argument "${value}" for "--secret" flag: ${problem}`, hint);
}

/**
 * `--secret NAME=FILE`: FILE is bind-mounted read-only at /run/secrets/NAME, so the value never
 * sits in the container's environment (where `docker inspect`, child processes and crash dumps
 * see it). Only the file's metadata is read here, never its content.
 */
export function parseSecrets(values: readonly string[], cwd: string): SecretMount[] {
  const seen = new Set<string>();
  return values.map((value) => {
    const eq = value.indexOf('=');
    const name = eq < 0 ? '' : value.slice(0, eq);
    const path = eq < 0 ? '' : value.slice(eq + 1);
    if (eq < 0 || path === '')
      throw bad(
        value,
        'expected NAME=FILE',
        'For example: --secret db_password=./db_password.txt (mounted read-only at /run/secrets/db_password).',
      );
    if (!SECRET_NAME.test(name)) {
      throw bad(
        value,
        `the name "${name}" must be letters, digits, ".", "_" or "-" (it becomes a file name under ${SECRETS_DIR})`,
        'For example: --secret db_password=./db_password.txt',
      );
    }
    if (seen.has(name))
      throw bad(
        value,
        `the secret ${name} is given twice`,
        'Give each secret once; the last file would hide the first.',
      );
    seen.add(name);
    if (/[\r\n]/.test(path)) throw bad(value, 'the file name has a line break', 'Rename the file.');
    const file = resolve(cwd, path);
    let stats: Stats;
    try {
      stats = statSync(file);
    } catch (err) {
      throw bad(
        value,
        `cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
        'Create the file holding the secret (and only the secret), or fix its path.',
      );
    }
    if (!stats.isFile())
      throw bad(
        value,
        `${file} is not a regular file`,
        'A secret is one file; mount a folder with -v or --mount instead.',
      );
    return { name, file, target: `${SECRETS_DIR}/${name}`, stats };
  });
}

/** Go's encoding/csv quoting for one --mount field. */
const csvField = (field: string): string =>
  /[",]/.test(field) || field.startsWith(' ') ? `"${field.replaceAll('"', '""')}"` : field;

/** The --mount options that carry the secrets; they are your flags, like any --mount. */
export function secretOptions(secrets: readonly SecretMount[]): OptionValue[] {
  return secrets.map((s) => ({
    name: 'mount',
    value: ['type=bind', csvField(`source=${s.file}`), csvField(`target=${s.target}`), 'readonly'].join(','),
  }));
}

/**
 * Notes for secrets the container's user may not be able to read: a bind mount keeps the file's
 * owner and mode, and the hardened presets run as an unprivileged user.
 */
export function secretNotes(secrets: readonly SecretMount[], user: string): string[] {
  const uid = user.split(':')[0] ?? '';
  const asRoot = uid === '' || uid === '0' || uid === 'root';
  const notes: string[] = [];
  for (const s of secrets) {
    if (asRoot || (s.stats.mode & 0o004) !== 0 || String(s.stats.uid) === uid) continue;
    notes.push(
      `the container runs as ${user} and may not read ${s.target}: ${s.file} is not readable by others (chown it to ${uid})`,
    );
  }
  return notes;
}
