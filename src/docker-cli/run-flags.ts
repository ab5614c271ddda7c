/**
 * The docker run flags safedock understands: one row per flag, under docker's canonical long name.
 * Only flags whose conversion to the create request is implemented (src/docker-cli/to-run-request.ts) are
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
  /** Hidden in docker's help (Windows-only flags, flags gated above API 1.41). */
  hidden?: boolean;
}

const b = (name: string, group: FlagGroup, help: string, extra: Partial<FlagSpec> = {}): FlagSpec => ({
  name,
  kind: 'bool',
  arity: 'scalar',
  group,
  help,
  ...extra,
});
const s = (
  name: string,
  valueName: string,
  group: FlagGroup,
  help: string,
  extra: Partial<FlagSpec> = {},
): FlagSpec => ({
  name,
  kind: 'value',
  arity: 'scalar',
  valueName,
  group,
  help,
  ...extra,
});
const l = (
  name: string,
  valueName: string,
  group: FlagGroup,
  help: string,
  extra: Partial<FlagSpec> = {},
): FlagSpec => ({
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
  b('disable-content-trust', 'client', 'Skip image verification (default true)'),
  b('use-api-socket', 'security', 'Bind mount Docker API socket and required auth'),
  // process
  s('entrypoint', 'string', 'process', 'Overwrite the default ENTRYPOINT of the image'),
  s('user', 'string', 'process', 'Username or UID (format: <name|uid>[:<group|gid>])', { short: 'u' }),
  s('workdir', 'string', 'process', 'Working directory inside the container', { short: 'w' }),
  l('group-add', 'list', 'process', 'Add additional groups to join'),
  s('health-cmd', 'string', 'process', 'Command to run to check health'),
  s('health-interval', 'duration', 'process', 'Time between running the check (ms|s|m|h) (default 0s)'),
  s('health-retries', 'int', 'process', 'Consecutive failures needed to report unhealthy'),
  s('health-timeout', 'duration', 'process', 'Maximum time to allow one check to run (ms|s|m|h) (default 0s)'),
  s(
    'health-start-period',
    'duration',
    'process',
    'Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)',
  ),
  s(
    'health-start-interval',
    'duration',
    'process',
    'Time between running the check during the start period (ms|s|m|h) (default 0s)',
  ),
  b('no-healthcheck', 'process', 'Disable any container-specified HEALTHCHECK'),
  // environment
  l('env', 'list', 'environment', 'Set environment variables', { short: 'e' }),
  l('env-file', 'list', 'environment', 'Read in a file of environment variables'),
  s('hostname', 'string', 'environment', 'Container host name', { short: 'h' }),
  s('domainname', 'string', 'environment', 'Container NIS domain name'),
  // metadata
  l('label', 'list', 'metadata', 'Set meta data on a container', { short: 'l' }),
  l('label-file', 'list', 'metadata', 'Read in a line delimited file of labels'),
  l('annotation', 'map', 'metadata', 'Add an annotation to the container (passed through to the OCI runtime)'),
  s('log-driver', 'string', 'metadata', 'Logging driver for the container'),
  l('log-opt', 'list', 'metadata', 'Log driver options'),
  // storage
  l('volume', 'list', 'storage', 'Bind mount a volume', { short: 'v' }),
  l('mount', 'mount', 'storage', 'Attach a filesystem mount to the container'),
  l('tmpfs', 'list', 'storage', 'Mount a tmpfs directory'),
  b('read-only', 'storage', "Mount the container's root filesystem as read only"),
  l('volumes-from', 'list', 'storage', 'Mount volumes from the specified container(s)'),
  s('volume-driver', 'string', 'storage', 'Optional volume driver for the container'),
  l('storage-opt', 'list', 'storage', 'Storage driver options for the container'),
  // network
  l('network', 'network', 'network', 'Connect a container to a network', { aliases: ['net'] }),
  l('network-alias', 'list', 'network', 'Add network-scoped alias for the container', { aliases: ['net-alias'] }),
  l('publish', 'list', 'network', "Publish a container's port(s) to the host", { short: 'p' }),
  b('publish-all', 'network', 'Publish all exposed ports to random ports', { short: 'P' }),
  l('expose', 'list', 'network', 'Expose a port or a range of ports'),
  l('dns-option', 'list', 'network', 'Set DNS options', { aliases: ['dns-opt'] }),
  l('dns', 'list', 'network', 'Set custom DNS servers'),
  l('dns-search', 'list', 'network', 'Set custom DNS search domains'),
  l('add-host', 'list', 'network', 'Add a custom host-to-IP mapping (host:ip)'),
  s('ip', 'string', 'network', 'IPv4 address (e.g., 172.30.100.104)'),
  s('ip6', 'string', 'network', 'IPv6 address (e.g., 2001:db8::33)'),
  l('link', 'list', 'network', 'Add link to another container'),
  l('link-local-ip', 'list', 'network', 'Container IPv4/IPv6 link-local addresses'),
  s('mac-address', 'string', 'network', 'Container MAC address (e.g., 92:d0:c6:0a:29:33)'),
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
  l('sysctl', 'map', 'security', 'Sysctl options'),
  l('device', 'list', 'security', 'Add a host device to the container'),
  l('device-cgroup-rule', 'list', 'security', 'Add a rule to the cgroup allowed devices list'),
  l('gpus', 'gpu-request', 'security', "GPU devices to add to the container ('all' to pass all GPUs)"),
  s('runtime', 'string', 'security', 'Runtime to use for this container'),
  s('isolation', 'string', 'security', 'Container isolation technology'),
  s('cgroup-parent', 'string', 'resources', 'Optional parent cgroup for the container'),
  // resources
  s('memory', 'bytes', 'resources', 'Memory limit', { short: 'm' }),
  s('memory-reservation', 'bytes', 'resources', 'Memory soft limit'),
  s('memory-swap', 'bytes', 'resources', "Swap limit equal to memory plus swap: '-1' to enable unlimited swap"),
  s('shm-size', 'bytes', 'resources', 'Size of /dev/shm'),
  s('cpus', 'decimal', 'resources', 'Number of CPUs'),
  s('pids-limit', 'int', 'resources', 'Tune container pids limit (set -1 for unlimited)'),
  l('ulimit', 'ulimit', 'resources', 'Ulimit options'),
  s('kernel-memory', 'bytes', 'resources', 'Kernel memory limit'),
  s('memory-swappiness', 'int', 'resources', 'Tune container memory swappiness (0 to 100) (default -1)'),
  b('oom-kill-disable', 'resources', 'Disable OOM Killer'),
  s('oom-score-adj', 'int', 'resources', "Tune host's OOM preferences (-1000 to 1000)"),
  s('cpu-shares', 'int', 'resources', 'CPU shares (relative weight)', { short: 'c' }),
  s('cpu-period', 'int', 'resources', 'Limit CPU CFS (Completely Fair Scheduler) period'),
  s('cpu-quota', 'int', 'resources', 'Limit CPU CFS (Completely Fair Scheduler) quota'),
  s('cpu-rt-period', 'int', 'resources', 'Limit CPU real-time period in microseconds'),
  s('cpu-rt-runtime', 'int', 'resources', 'Limit CPU real-time runtime in microseconds'),
  s('cpuset-cpus', 'string', 'resources', 'CPUs in which to allow execution (0-3, 0,1)'),
  s('cpuset-mems', 'string', 'resources', 'MEMs in which to allow execution (0-3, 0,1)'),
  s(
    'blkio-weight',
    'uint16',
    'resources',
    'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)',
  ),
  l('blkio-weight-device', 'list', 'resources', 'Block IO weight (relative device weight)'),
  l('device-read-bps', 'list', 'resources', 'Limit read rate (bytes per second) from a device'),
  l('device-read-iops', 'list', 'resources', 'Limit read rate (IO per second) from a device'),
  l('device-write-bps', 'list', 'resources', 'Limit write rate (bytes per second) to a device'),
  l('device-write-iops', 'list', 'resources', 'Limit write rate (IO per second) to a device'),
  s('cpu-count', 'int', 'resources', 'CPU count (Windows only)', { hidden: true }),
  s('cpu-percent', 'int', 'resources', 'CPU percent (Windows only)', { hidden: true }),
  s('io-maxbandwidth', 'bytes', 'resources', 'Maximum IO bandwidth limit for the system drive (Windows only)', {
    hidden: true,
  }),
  s('io-maxiops', 'uint', 'resources', 'Maximum IOps limit for the system drive (Windows only)', { hidden: true }),
];

/**
 * docker run flags safedock does not convert (yet). Using one is an error that says so, instead of
 * a plain "unknown flag". Short letters are listed as '-x'. Empty: every docker 28.2 run flag is converted.
 */
export const DOCKER_ONLY_FLAGS: readonly string[] = [];

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
