import type { FlagSpec } from './run-flags.js';

/** safedock's own options. None of them is a docker run flag or alias (checked by a unit test). */
export const OWN_FLAGS: readonly FlagSpec[] = [
  {
    name: 'preset',
    kind: 'value',
    arity: 'scalar',
    valueName: 'name',
    group: 'safedock',
    help: 'Preset merged under your flags: strict (default), sandbox, compat, none, or one of yours (safedock presets list)',
  },
  {
    name: 'dry-run',
    kind: 'bool',
    arity: 'scalar',
    group: 'safedock',
    help: 'Print the plan (each setting and its source, the request with env values masked); run nothing',
  },
  { name: 'json', kind: 'bool', arity: 'scalar', group: 'safedock', help: 'With --dry-run, print the plan as JSON' },
  { name: 'help', kind: 'bool', arity: 'scalar', group: 'safedock', help: 'Print usage' },
  {
    name: 'pick',
    kind: 'bool',
    arity: 'scalar',
    group: 'safedock',
    help: 'Choose the preset on the terminal, seeing what each would change for this image and what it would raise; offers to save the choice as the project default',
  },
  {
    name: 'policy',
    kind: 'value',
    arity: 'scalar',
    valueName: 'mode',
    group: 'safedock',
    help: 'What risky settings meet: warn (report only), ask (y/N question on a terminal), enforce (refuse high and critical unless accepted); default ask on a terminal, enforce without one or with CI set (also SAFEDOCK_POLICY)',
  },
  {
    name: 'accept',
    kind: 'value',
    arity: 'list',
    valueName: 'rule',
    group: 'safedock',
    help: 'Accept a finding by rule id (e.g. SD118) for this run; needs --reason; stamped into the container labels',
  },
  {
    name: 'reason',
    kind: 'value',
    arity: 'list',
    valueName: 'text',
    group: 'safedock',
    help: 'Why the --accept before it is acceptable (one --reason may cover every --accept)',
  },
  {
    name: 'yes',
    kind: 'bool',
    arity: 'scalar',
    group: 'safedock',
    help: 'Answer yes to the risk question on a terminal (never accepts anything without a terminal: use --accept)',
  },
  {
    name: 'secret',
    kind: 'value',
    arity: 'list',
    valueName: 'name=file',
    group: 'safedock',
    help: 'Mount FILE read-only at /run/secrets/NAME (instead of passing a secret in the environment)',
  },
];

export function findOwnFlag(name: string): FlagSpec | undefined {
  return OWN_FLAGS.find((f) => f.name === name);
}
