import type { FlagSpec } from './flags.js';

/** safedock's own options. None of them is a docker run flag or alias (checked by a unit test). */
export const OWN_FLAGS: readonly FlagSpec[] = [
  { name: 'preset', kind: 'value', arity: 'scalar', valueName: 'name', group: 'safedock', help: 'Preset merged under your flags: strict (default), sandbox, compat, none, or one of yours (safedock presets list)' },
  { name: 'dry-run', kind: 'bool', arity: 'scalar', group: 'safedock', help: 'Print the plan (each setting and its source, the request with env values masked); run nothing' },
  { name: 'json', kind: 'bool', arity: 'scalar', group: 'safedock', help: 'With --dry-run, print the plan as JSON' },
  { name: 'help', kind: 'bool', arity: 'scalar', group: 'safedock', help: 'Print usage' },
];

export function findOwnFlag(name: string): FlagSpec | undefined {
  return OWN_FLAGS.find((f) => f.name === name);
}
