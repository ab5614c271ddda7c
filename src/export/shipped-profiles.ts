/**
 * The seccomp profiles safedock ships (seccomp/*.json), recognised by content. A container that
 * `safedock run` started holds its profile inline, as the engine got it (the file's compacted
 * JSON): knowing that it is a shipped one lets an export name that file, as it does for a fresh
 * plan, instead of needing -o to write an anonymous copy.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonCompact } from '../grammar/json-compact.js';
import type { SecurityOpt } from '../model/run-spec.js';
import { packageRoot } from '../package-root.js';

let shipped: ReadonlyMap<string, string> | undefined;

/** Each shipped profile's path by the text a run sends of it (read once, when first asked). */
function shippedProfiles(): ReadonlyMap<string, string> {
  if (shipped !== undefined) return shipped;
  const folder = join(packageRoot, 'seccomp');
  const byText = new Map<string, string>();
  for (const name of readdirSync(folder)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    const path = join(folder, name);
    byText.set(jsonCompact(readFileSync(path, 'utf8')), path);
  }
  shipped = byText;
  return byText;
}

/** An inline seccomp entry that is a shipped profile, with that profile's file; any other as it is. */
export function withShippedFile(opt: SecurityOpt): SecurityOpt {
  if (opt.key !== 'seccomp' || opt.file !== undefined) return opt;
  const file = shippedProfiles().get(opt.value);
  return file === undefined ? opt : { ...opt, file };
}
