/**
 * The docker run flags safedock understands: one row per flag, under docker's canonical long name.
 * Only flags whose conversion to the create request is implemented (src/spec/toRunRequest.ts) are
 * listed; docker's other flags are named in DOCKER_ONLY_FLAGS so that using one gives a clear error.
 */

export type FlagKind = 'bool' | 'value';
export type FlagArity = 'scalar' | 'list';
export type FlagGroup =
  | 'lifecycle'
  | 'process'
  | 'environment'
  | 'storage'
  | 'network'
  | 'security'
  | 'resources'
  | 'metadata'
  | 'client'
  | 'safedock';

export interface FlagSpec {
  /** Canonical long name, without dashes. */
  name: string;
  /** One-letter shorthand, without the dash. */
  short?: string;
  kind: FlagKind;
  /** 'list' flags accumulate every occurrence; 'scalar' flags keep the last. */
  arity: FlagArity;
  /** Other long names docker accepts for this flag (hidden in docker's help). */
  aliases?: readonly string[];
  /** Placeholder shown in help for the value, e.g. 'bytes'. */
  valueName?: string;
  help: string;
  group: FlagGroup;
}

const b = (name: string, group: FlagGroup, help: string, extra: Partial<FlagSpec> = {}): FlagSpec => ({
  name,
  kind: 'bool',
  arity: 'scalar',
  group,
  help,
  ...extra,
});
const s = (name: string, valueName: string, group: FlagGroup, help: string, extra: Partial<FlagSpec> = {}): FlagSpec => ({
  name,
  kind: 'value',
  arity: 'scalar',
  valueName,
  group,
  help,
  ...extra,
});
const l = (name: string, valueName: string, group: FlagGroup, help: string, extra: Partial<FlagSpec> = {}): FlagSpec => ({
  name,
  kind: 'value',
  arity: 'list',
  valueName,
  group,
  help,
  ...extra,
});

export const RUN_FLAGS: readonly FlagSpec[] = [
  // lifecycle / client
  b('detach', 'client', 'Run container in background and print container ID', { short: 'd' }),
  s('detach-keys', 'string', 'client', 'Override the key sequence for detaching a container'),
  b('interactive', 'process', 'Keep STDIN open even if not attached', { short: 'i' }),
  b('tty', 'process', 'Allocate a pseudo-TTY', { short: 't' }),
  l('attach', 'list', 'process', 'Attach to STDIN, STDOUT or STDERR', { short: 'a' }),
  b('sig-proxy', 'client', 'Proxy received signals to the process (default true)'),
  b('quiet', 'client', 'Suppress the pull output', { short: 'q' }),
  s('pull', 'string', 'client', 'Pull image before running ("always", "missing", "never") (default "missing")'),
  s('platform', 'string', 'client', 'Set platform if server is multi-platform capable'),
  s('cidfile', 'string', 'client', 'Write the container ID to the file'),
  b('rm', 'lifecycle', 'Automatically remove the container and its associated anonymous volumes when it exits'),
  s('name', 'string', 'lifecycle', 'Assign a name to the container'),
  s('restart', 'string', 'lifecycle', 'Restart policy to apply when a container exits (default "no")'),
  s('stop-signal', 'string', 'lifecycle', 'Signal to stop the container'),
  s('stop-timeout', 'int', 'lifecycle', 'Timeout (in seconds) to stop a container'),
  b('init', 'lifecycle', 'Run an init inside the container that forwards signals and reaps processes'),
  // process
  s('entrypoint', 'string', 'process', 'Overwrite the default ENTRYPOINT of the image'),
  s('user', 'string', 'process', 'Username or UID (format: <name|uid>[:<group|gid>])', { short: 'u' }),
  s('workdir', 'string', 'process', 'Working directory inside the container', { short: 'w' }),
  l('group-add', 'list', 'process', 'Add additional groups to join'),
  // environment
  l('env', 'list', 'environment', 'Set environment variables', { short: 'e' }),
  l('env-file', 'list', 'environment', 'Read in a file of environment variables'),
  s('hostname', 'string', 'environment', 'Container host name', { short: 'h' }),
  s('domainname', 'string', 'environment', 'Container NIS domain name'),
  // metadata
  l('label', 'list', 'metadata', 'Set meta data on a container', { short: 'l' }),
  l('label-file', 'list', 'metadata', 'Read in a line delimited file of labels'),
  s('log-driver', 'string', 'metadata', 'Logging driver for the container'),
  l('log-opt', 'list', 'metadata', 'Log driver options'),
  // storage
  l('volume', 'list', 'storage', 'Bind mount a volume', { short: 'v' }),
  l('mount', 'mount', 'storage', 'Attach a filesystem mount to the container'),
  l('tmpfs', 'list', 'storage', 'Mount a tmpfs directory'),
  b('read-only', 'storage', "Mount the container's root filesystem as read only"),
  // network
  l('network', 'network', 'network', 'Connect a container to a network', { aliases: ['net'] }),
  l('network-alias', 'list', 'network', 'Add network-scoped alias for the container', { aliases: ['net-alias'] }),
  l('publish', 'list', 'network', "Publish a container's port(s) to the host", { short: 'p' }),
  b('publish-all', 'network', 'Publish all exposed ports to random ports', { short: 'P' }),
  l('expose', 'list', 'network', 'Expose a port or a range of ports'),
  l('dns-option', 'list', 'network', 'Set DNS options', { aliases: ['dns-opt'] }),
  // security
  b('privileged', 'security', 'Give extended privileges to this container'),
  l('cap-add', 'list', 'security', 'Add Linux capabilities'),
  l('cap-drop', 'list', 'security', 'Drop Linux capabilities'),
  l('security-opt', 'list', 'security', 'Security Options'),
  s('pid', 'string', 'security', 'PID namespace to use'),
  s('ipc', 'string', 'security', 'IPC mode to use'),
  s('uts', 'string', 'security', 'UTS namespace to use'),
  s('userns', 'string', 'security', 'User namespace to use'),
  s('cgroupns', 'string', 'security', 'Cgroup namespace to use (host|private)'),
  // resources
  s('memory', 'bytes', 'resources', 'Memory limit', { short: 'm' }),
  s('memory-reservation', 'bytes', 'resources', 'Memory soft limit'),
  s('memory-swap', 'bytes', 'resources', "Swap limit equal to memory plus swap: '-1' to enable unlimited swap"),
  s('shm-size', 'bytes', 'resources', 'Size of /dev/shm'),
  s('cpus', 'decimal', 'resources', 'Number of CPUs'),
  s('pids-limit', 'int', 'resources', 'Tune container pids limit (set -1 for unlimited)'),
  l('ulimit', 'ulimit', 'resources', 'Ulimit options'),
];

/**
 * docker run flags safedock does not convert (yet). Using one is an error that says so, instead of
 * a plain "unknown flag". Short letters are listed as '-x'.
 */
export const DOCKER_ONLY_FLAGS: readonly string[] = [
  'add-host', 'annotation', 'blkio-weight', 'blkio-weight-device', 'cgroup-parent', 'cpu-count', 'cpu-percent',
  'cpu-period', 'cpu-quota', 'cpu-rt-period', 'cpu-rt-runtime', 'cpu-shares', '-c', 'cpuset-cpus', 'cpuset-mems',
  'device', 'device-cgroup-rule', 'device-read-bps', 'device-read-iops', 'device-write-bps', 'device-write-iops',
  'disable-content-trust', 'dns', 'dns-search', 'gpus', 'health-cmd', 'health-interval', 'health-retries',
  'health-start-interval', 'health-start-period', 'health-timeout', 'io-maxbandwidth', 'io-maxiops', 'ip', 'ip6',
  'isolation', 'kernel-memory', 'link', 'link-local-ip', 'mac-address', 'memory-swappiness', 'no-healthcheck',
  'oom-kill-disable', 'oom-score-adj', 'runtime', 'storage-opt', 'sysctl', 'use-api-socket', 'volume-driver',
  'volumes-from',
];

const byLong = new Map<string, FlagSpec>();
const byShort = new Map<string, FlagSpec>();
for (const f of RUN_FLAGS) {
  byLong.set(f.name, f);
  for (const a of f.aliases ?? []) byLong.set(a, f);
  if (f.short !== undefined) byShort.set(f.short, f);
}

/** The row for a long name or one of its aliases. */
export function findLongFlag(name: string): FlagSpec | undefined {
  return byLong.get(name);
}

/** The row for a one-letter shorthand. */
export function findShortFlag(letter: string): FlagSpec | undefined {
  return byShort.get(letter);
}

/** The flag as pflag names it in errors: "-m, --memory" or "--cpus". */
export function flagDisplayName(flag: Pick<FlagSpec, 'name' | 'short'>): string {
  return flag.short === undefined ? `--${flag.name}` : `-${flag.short}, --${flag.name}`;
}
