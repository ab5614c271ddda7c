/**
 * How each docker flag combines a preset's values with the user's, one line per flag.
 * - replace: a single value; the user's replaces the preset's.
 * - union:   both sets apply (dropping more capabilities only tightens).
 * - keyed:   list entries are matched by key; a user entry replaces the preset entry with the same key.
 * - append:  the preset's entries, then the user's.
 */
export type MergeRule =
  | { kind: 'replace' }
  | { kind: 'union'; key: (value: string) => string }
  | { kind: 'keyed'; key: (value: string) => string }
  | { kind: 'append' };

export function normalizeCapability(value: string): string {
  const upper = value.trim().toUpperCase();
  return upper === 'ALL' || upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
}

/** `seccomp=x`, `seccomp:x`, `no-new-privileges`, `no-new-privileges=false` → the option's key. */
export function securityOptKey(value: string): string {
  const match = /^([^=:]*)[=:]?/.exec(value);
  return (match?.[1] ?? value).trim().toLowerCase();
}

const beforeFirst =
  (separator: string) =>
  (value: string): string => {
    const at = value.indexOf(separator);
    return at < 0 ? value : value.slice(0, at);
  };

/** The container side of a -p spec (`[ip:][host:]container[/proto]` or `target=…,protocol=…`). */
export function publishKey(value: string): string {
  if (value.includes('=')) {
    const fields = Object.fromEntries(
      value.split(',').map((kv) => [beforeFirst('=')(kv), kv.slice(kv.indexOf('=') + 1)]),
    );
    return `${fields.target ?? ''}/${fields.protocol ?? 'tcp'}`;
  }
  const [ports = value, proto = 'tcp'] = value.split('/');
  const container = ports.slice(ports.lastIndexOf(':') + 1);
  return `${container}/${proto.toLowerCase()}`;
}

export const MERGE_RULES: Readonly<Record<string, MergeRule>> = {
  'cap-drop': { kind: 'union', key: normalizeCapability },
  'cap-add': { kind: 'keyed', key: normalizeCapability },
  'security-opt': { kind: 'keyed', key: securityOptKey },
  tmpfs: { kind: 'keyed', key: beforeFirst(':') },
  env: { kind: 'keyed', key: beforeFirst('=') },
  label: { kind: 'keyed', key: beforeFirst('=') },
  ulimit: { kind: 'keyed', key: beforeFirst('=') },
  sysctl: { kind: 'keyed', key: beforeFirst('=') },
  'log-opt': { kind: 'keyed', key: beforeFirst('=') },
  publish: { kind: 'keyed', key: publishKey },
  // Repeatable in docker's grammar (one endpoint per --network), but a preset's network is a
  // choice the user's replaces: joining both would attach the container to the two.
  network: { kind: 'replace' },
};

/**
 * Flags whose preset values only make sense with the preset's value of another flag: when the
 * user gives the key flag, the preset's values of the listed flags are dropped as well
 * (a preset's json-file log options would make another --log-driver refuse to start).
 */
export const DEPENDENT_FLAGS: Readonly<Record<string, readonly string[]>> = {
  'log-driver': ['log-opt'],
};

export function ruleFor(flag: string, repeatable: boolean): MergeRule {
  return MERGE_RULES[flag] ?? (repeatable ? { kind: 'append' } : { kind: 'replace' });
}
