/**
 * The seccomp profile a plan applies, as a file an export writes beside its document. In the model a
 * profile is the compacted JSON the engine gets (src/grammar/security-opt.ts); the deployment tools
 * want a file they read themselves (Compose reads `seccomp=./prof.json` relative to the compose
 * file and refuses inline JSON; Kubernetes reads a Localhost profile on the node).
 */
import { basename } from 'node:path';
import type { RunSpec, SecurityOpt } from '../model/run-spec.js';

export interface ProfileFile {
  /** The file name to write it under, e.g. `strict.json`. */
  name: string;
  /** The profile, indented. */
  text: string;
  /** The file it was read from, when it came from one (a preset's, or your --security-opt seccomp=FILE). */
  source: string | undefined;
}

/** A seccomp entry that carries a profile (not `unconfined` or `builtin`). */
export function isProfileEntry(o: SecurityOpt): boolean {
  return o.key === 'seccomp' && o.value !== 'unconfined' && o.value !== 'builtin';
}

/** The last seccomp entry wins in the engine, as here. */
export function planProfile(spec: RunSpec): ProfileFile | undefined {
  const entry = spec.securityOpt.filter((o) => o.key === 'seccomp').at(-1);
  if (entry === undefined || !isProfileEntry(entry)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(entry.value);
  } catch {
    parsed = undefined;
  }
  const name = entry.file === undefined ? 'seccomp.json' : basename(entry.file).replace(/[^A-Za-z0-9_.-]/g, '-');
  const text = parsed === undefined ? entry.value : `${JSON.stringify(parsed, null, 2)}\n`;
  return { name: name.endsWith('.json') ? name : `${name}.json`, text, source: entry.file };
}

/** A name the targets all accept (Compose service, Kubernetes object, stack): lower case, digits, dashes. */
export function workloadName(spec: RunSpec): string {
  const from = spec.name !== '' ? spec.name : ((spec.image.split('@')[0] ?? '').split('/').at(-1)?.split(':')[0] ?? '');
  const name = from
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return name === '' ? 'app' : /^[a-z]/.test(name) ? name : `app-${name}`.slice(0, 63);
}
