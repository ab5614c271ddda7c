import type { FlagSpec } from './flags.js';

/** safedock's own options. None of them is a docker run flag or alias (checked by a unit test). */
export const OWN_FLAGS: readonly FlagSpec[] = [
  { name: 'preset', kind: 'value', arity: 'scalar', valueName: 'name', group: 'safedock', help: 'Hardened preset merged under your flags (default "default")' },
  { name: 'dry-run', kind: 'bool', arity: 'scalar', group: 'safedock', help: 'Print the request that would be sent and exit' },
  { name: 'json', kind: 'bool', arity: 'scalar', group: 'safedock', help: 'With --dry-run, print the request as JSON' },
  { name: 'help', kind: 'bool', arity: 'scalar', group: 'safedock', help: 'Print usage' },
];

export function findOwnFlag(name: string): FlagSpec | undefined {
  return OWN_FLAGS.find((f) => f.name === name);
}
