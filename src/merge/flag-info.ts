import { RUN_FLAGS, findLongFlag } from '../docker-cli/run-flags.js';
import { suggest } from '../docker-cli/suggest.js';

export interface FlagInfo {
  name: string;
  repeatable: boolean;
  boolean: boolean;
  /** Flags about the client run (detach, name, pull…) have no place in a preset. */
  presettable: boolean;
}

const NOT_PRESETTABLE = new Set([
  'detach',
  'interactive',
  'tty',
  'name',
  'pull',
  'platform',
  'rm',
  'cidfile',
  'quiet',
  'detach-keys',
  'attach',
  'sig-proxy',
]);

/** What the merge and preset validation need to know about a docker flag. */
export function flagInfo(name: string): FlagInfo | undefined {
  const def = findLongFlag(name);
  if (!def || def.name !== name) return undefined;
  return {
    name: def.name,
    repeatable: def.arity === 'list',
    boolean: def.kind === 'bool',
    presettable: !NOT_PRESETTABLE.has(def.name),
  };
}
flagInfo.suggest = (name: string): string | undefined =>
  suggest(
    name,
    RUN_FLAGS.map((f) => f.name),
  );
