import { parseBool } from '../../grammar/parse-bool.js';

/**
 * dockerd's command-line flags that the daemon audit reads, each with the daemon.json key that
 * sets the same thing (dockerd refuses to start when both set one). `kind` is how pflag reads it:
 * a bool takes no separate argument (`--icc=false`, never `--icc false`), a string takes the next
 * argument or `=value`, a list may be repeated.
 */
export interface DockerdFlag {
  flag: string;
  short?: string;
  key: string;
  kind: 'bool' | 'string' | 'list';
}

export const DOCKERD_FLAGS: readonly DockerdFlag[] = [
  { flag: 'host', short: 'H', key: 'hosts', kind: 'list' },
  { flag: 'tls', key: 'tls', kind: 'bool' },
  { flag: 'tlsverify', key: 'tlsverify', kind: 'bool' },
  { flag: 'tlscacert', key: 'tlscacert', kind: 'string' },
  { flag: 'tlscert', key: 'tlscert', kind: 'string' },
  { flag: 'tlskey', key: 'tlskey', kind: 'string' },
  { flag: 'config-file', key: 'config-file', kind: 'string' },
  { flag: 'group', short: 'G', key: 'group', kind: 'string' },
  { flag: 'containerd', key: 'containerd', kind: 'string' },
  { flag: 'icc', key: 'icc', kind: 'bool' },
  { flag: 'iptables', key: 'iptables', kind: 'bool' },
  { flag: 'userns-remap', key: 'userns-remap', kind: 'string' },
  { flag: 'live-restore', key: 'live-restore', kind: 'bool' },
  { flag: 'userland-proxy', key: 'userland-proxy', kind: 'bool' },
  { flag: 'no-new-privileges', key: 'no-new-privileges', kind: 'bool' },
  { flag: 'default-ulimit', key: 'default-ulimits', kind: 'list' },
  { flag: 'log-driver', key: 'log-driver', kind: 'string' },
  { flag: 'log-level', short: 'l', key: 'log-level', kind: 'string' },
  { flag: 'debug', short: 'D', key: 'debug', kind: 'bool' },
  { flag: 'authorization-plugin', key: 'authorization-plugins', kind: 'list' },
  { flag: 'insecure-registry', key: 'insecure-registries', kind: 'list' },
  { flag: 'experimental', key: 'experimental', kind: 'bool' },
  { flag: 'seccomp-profile', key: 'seccomp-profile', kind: 'string' },
  { flag: 'storage-driver', short: 's', key: 'storage-driver', kind: 'string' },
  { flag: 'data-root', key: 'data-root', kind: 'string' },
  { flag: 'rootless', key: 'rootless', kind: 'bool' },
  { flag: 'metrics-addr', key: 'metrics-addr', kind: 'string' },
];

/**
 * dockerd's other flags that take a value (Engine 20.10 to 28), so that their values are skipped
 * and never read as flags. Any flag not named here or above is read as a bool.
 */
const OTHER_VALUE_FLAGS = new Set([
  'add-runtime',
  'allow-nondistributable-artifacts',
  'api-cors-header',
  'bip',
  'bridge',
  'b',
  'cdi-spec-dir',
  'cgroup-parent',
  'cluster-advertise',
  'cluster-store',
  'cluster-store-opt',
  'containerd-namespace',
  'containerd-plugins-namespace',
  'cpu-rt-period',
  'cpu-rt-runtime',
  'default-address-pool',
  'default-cgroupns-mode',
  'default-gateway',
  'default-gateway-v6',
  'default-ipc-mode',
  'default-network-opt',
  'default-runtime',
  'default-shm-size',
  'dns',
  'dns-opt',
  'dns-search',
  'exec-opt',
  'exec-root',
  'feature',
  'fixed-cidr',
  'fixed-cidr-v6',
  'host-gateway-ip',
  'http-proxy',
  'https-proxy',
  'init-path',
  'ip',
  'label',
  'log-format',
  'log-opt',
  'max-concurrent-downloads',
  'max-concurrent-uploads',
  'max-download-attempts',
  'mtu',
  'network-control-plane-mtu',
  'no-proxy',
  'node-generic-resource',
  'oom-score-adjust',
  'pidfile',
  'p',
  'registry-mirror',
  'shutdown-timeout',
  'storage-opt',
  'swarm-default-advertise-addr',
  'userland-proxy-path',
]);

const BY_LONG = new Map(DOCKERD_FLAGS.map((f) => [f.flag, f]));
const BY_SHORT = new Map(DOCKERD_FLAGS.filter((f) => f.short !== undefined).map((f) => [f.short ?? '', f]));

/** A value dockerd's command line set: a bool, a string, or a list (repeated flags). */
export type FlagValue = boolean | string | string[];

export interface ParsedDockerd {
  /** daemon.json key → value, for the flags of DOCKERD_FLAGS given. */
  settings: Record<string, FlagValue>;
  /** Arguments that could not be read (a bool flag with a value that is not a bool). */
  problems: string[];
}

function set(out: ParsedDockerd, flag: DockerdFlag, value: string | undefined, spelled: string): void {
  if (flag.kind === 'bool') {
    const b = value === undefined ? true : parseBool(value);
    if (b === undefined) out.problems.push(`${spelled}: "${value ?? ''}" is not a bool`);
    else out.settings[flag.key] = b;
  } else if (flag.kind === 'list') {
    const prev = out.settings[flag.key];
    out.settings[flag.key] = [...(Array.isArray(prev) ? prev : []), value ?? ''];
  } else {
    out.settings[flag.key] = value ?? '';
  }
}

/**
 * Reads dockerd's argv (argv[0] is the program) as pflag does: `--flag=value`, `--flag value`
 * (values only), `-H value`, `-Hvalue`, `-H=value`, bools as `--flag` or `--flag=false`, grouped
 * short bools (`-D`), `--` ends the flags. The last of a repeated single flag wins.
 */
export function parseDockerdArgs(argv: readonly string[]): ParsedDockerd {
  const out: ParsedDockerd = { settings: {}, problems: [] };
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') break;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const inline = eq < 0 ? undefined : arg.slice(eq + 1);
      const flag = BY_LONG.get(name);
      const takesValue = flag ? flag.kind !== 'bool' : OTHER_VALUE_FLAGS.has(name);
      const value = inline ?? (takesValue ? argv[++i] : undefined);
      if (flag) set(out, flag, value, `--${name}`);
    } else if (arg.startsWith('-') && arg.length > 1) {
      // Short flags: bools may be grouped (-Dl debug is -D -l debug); a value flag takes the rest.
      for (let j = 1; j < arg.length; j++) {
        const letter = arg.charAt(j);
        const flag = BY_SHORT.get(letter);
        const takesValue = flag ? flag.kind !== 'bool' : OTHER_VALUE_FLAGS.has(letter);
        if (!takesValue) {
          const rest = arg.slice(j + 1);
          if (flag && rest.startsWith('=')) {
            set(out, flag, rest.slice(1), `-${letter}`);
            break;
          }
          if (flag) set(out, flag, undefined, `-${letter}`);
          continue;
        }
        let rest = arg.slice(j + 1);
        if (rest.startsWith('=')) rest = rest.slice(1);
        const value = rest !== '' ? rest : argv[++i];
        if (flag) set(out, flag, value, `-${letter}`);
        break;
      }
    }
  }
  return out;
}

/** The dockerd flag that sets a daemon.json key, spelt for a fix: "--icc". */
export function flagForKey(key: string): string | undefined {
  const flag = DOCKERD_FLAGS.find((f) => f.key === key);
  return flag === undefined ? undefined : `--${flag.flag}`;
}
