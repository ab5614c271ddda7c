/**
 * The one flag table: every `docker run` flag and every safedock run flag, one row each. A row says
 * how the flag is spelt (pflag: long name, shorthand, aliases, bool or value, list or scalar), what
 * its value becomes (`set`: docker's pflag Set, pass 1 of the conversion; `field`: the model fields
 * it fills in src/model/run-spec.ts, whose merge rule in src/model/merge-rules.ts decides how a
 * preset's value and yours combine — `merge` on the row), which engines honour it (`minApi`,
 * `windowsOnly`), whether a preset may set it, and whether its values may hold secrets.
 * Adding a docker flag: one row here, its field in RunSpec if new, its conversion in to-spec.ts (pass 2)
 * and toCreateBody, and a test. docker's help text is kept as docker prints it.
 */
import {
  validateDeviceCgroupRule,
  parseThrottleBps,
  parseThrottleIops,
  parseWeightDevice,
} from '../grammar/devices.js';
import {
  validateDnsSearch,
  validateExtraHost,
  validateIpAddress,
  validateLink,
  validateSysctl,
} from '../grammar/host-opts.js';
import { validateLabel } from '../grammar/labels.js';
import { redactValue } from '../grammar/env.js';
import { maskLogOption, maskOptionSecrets } from '../grammar/mount-secrets.js';
import { goParseDuration, goParseUint, parseNanoCpus, ramInBytes } from '../grammar/units.js';
import { FIELD_RULES, type MergeRule } from '../model/merge-rules.js';
import type { SpecField } from '../model/run-spec.js';
import {
  attachStream,
  blkioList,
  env,
  gpus,
  int64,
  memorySwap,
  mount,
  network,
  numeric,
  pushList,
  setScalar,
  ulimit,
  validatedList,
  type Setter,
} from './collect.js';
import type { OwnOptions } from './parsed-run.js';

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

/** How a flag is spelt: what the argv parser and the help need. */
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

/** A docker run flag: its spelling and everything safedock does with it. */
export interface FlagRow extends FlagSpec {
  /** The model fields it fills (the first decides the merge); [] for a check that sets none. */
  field: SpecField | readonly SpecField[];
  /** Pass 1: validate and store one value (docker's pflag Set). */
  set: Setter;
  /** How a preset's value and yours combine: the rule of the row's (first) field. */
  merge: MergeRule | undefined;
  /** The lowest engine API version docker sends it to (checked once the engine answers). */
  minApi?: string;
  /** Only a Windows engine honours it. */
  windowsOnly?: boolean;
  /** Whether a preset may set it: how the client runs (detach, name, pull…) is each run's own. */
  presettable: boolean;
  /**
   * Its values may hold secrets: how a value is shown in errors, plans and suggested command lines
   * (the engine alone gets it whole).
   */
  secret?: (value: string) => string;
}

/** One of safedock's own run flags: its spelling, and where its value goes. */
export interface OwnFlagRow extends FlagSpec {
  own: (options: OwnOptions, value: string) => void;
}

type RowExtra = Partial<FlagSpec> & Pick<FlagRow, 'field' | 'set'> & Partial<Omit<FlagRow, 'merge'>>;

function row(
  name: string,
  kind: FlagKind,
  arity: FlagArity,
  valueName: string | undefined,
  group: FlagGroup,
  help: string,
  extra: RowExtra,
): FlagRow {
  const fields = typeof extra.field === 'string' ? [extra.field] : extra.field;
  const first = fields[0];
  return {
    name,
    kind,
    arity,
    ...(valueName === undefined ? {} : { valueName }),
    group,
    help,
    presettable: true,
    ...extra,
    merge: first === undefined ? undefined : FIELD_RULES[first],
  };
}
const b = (name: string, group: FlagGroup, help: string, extra: RowExtra): FlagRow =>
  row(name, 'bool', 'scalar', undefined, group, help, extra);
const s = (name: string, valueName: string, group: FlagGroup, help: string, extra: RowExtra): FlagRow =>
  row(name, 'value', 'scalar', valueName, group, help, extra);
const l = (name: string, valueName: string, group: FlagGroup, help: string, extra: RowExtra): FlagRow =>
  row(name, 'value', 'list', valueName, group, help, extra);

export const RUN_FLAGS: readonly FlagRow[] = [
  b('detach', 'client', 'Run container in background and print container ID', {
    short: 'd',
    field: 'detach',
    set: setScalar,
    presettable: false,
  }),
  s('detach-keys', 'string', 'client', 'Override the key sequence for detaching a container', {
    field: 'detachKeys',
    set: setScalar,
    presettable: false,
  }),
  b('interactive', 'process', 'Keep STDIN open even if not attached', {
    short: 'i',
    field: 'interactive',
    set: setScalar,
    presettable: false,
  }),
  b('tty', 'process', 'Allocate a pseudo-TTY', { short: 't', field: 'tty', set: setScalar, presettable: false }),
  l('attach', 'list', 'process', 'Attach to STDIN, STDOUT or STDERR', {
    short: 'a',
    field: 'attach',
    set: attachStream,
    presettable: false,
  }),
  b('sig-proxy', 'client', 'Proxy received signals to the process (default true)', {
    field: 'sigProxy',
    set: setScalar,
    presettable: false,
  }),
  // Says what quietRequested (src/cli/run-output.ts) silences: docker's pull output and safedock's own voice.
  b(
    'quiet',
    'client',
    "Suppress the pull output, and safedock's notes, low and medium findings and failure diagnosis (also SAFEDOCK_QUIET=1); refusals, questions and errors still show",
    { short: 'q', field: 'quiet', set: setScalar, presettable: false },
  ),
  s('pull', 'string', 'client', 'Pull image before running ("always", "missing", "never") (default "missing")', {
    field: 'pull',
    set: setScalar,
    presettable: false,
  }),
  s('platform', 'string', 'client', 'Set platform if server is multi-platform capable', {
    field: 'platform',
    set: setScalar,
    presettable: false,
  }),
  s('cidfile', 'string', 'client', 'Write the container ID to the file', {
    field: 'cidfile',
    set: setScalar,
    presettable: false,
  }),
  b('rm', 'lifecycle', 'Automatically remove the container and its associated anonymous volumes when it exits', {
    field: 'autoRemove',
    set: setScalar,
    presettable: false,
  }),
  s('name', 'string', 'lifecycle', 'Assign a name to the container', {
    field: 'name',
    set: setScalar,
    presettable: false,
  }),
  s('restart', 'string', 'lifecycle', 'Restart policy to apply when a container exits (default "no")', {
    field: 'restart',
    set: setScalar,
  }),
  s('stop-signal', 'string', 'lifecycle', 'Signal to stop the container', { field: 'stopSignal', set: setScalar }),
  s('stop-timeout', 'int', 'lifecycle', 'Timeout (in seconds) to stop a container', {
    field: 'stopTimeout',
    set: int64,
    minApi: '1.25',
  }),
  b('init', 'lifecycle', 'Run an init inside the container that forwards signals and reaps processes', {
    field: 'init',
    set: setScalar,
    minApi: '1.25',
  }),
  b('disable-content-trust', 'client', 'Skip image verification (default true)', {
    field: [],
    set: setScalar,
    presettable: false,
  }),
  b('use-api-socket', 'security', 'Bind mount Docker API socket and required auth', {
    field: ['useApiSocket', 'mounts'],
    set: setScalar,
  }),
  s('entrypoint', 'string', 'process', 'Overwrite the default ENTRYPOINT of the image', {
    field: 'entrypoint',
    set: setScalar,
  }),
  s('user', 'string', 'process', 'Username or UID (format: <name|uid>[:<group|gid>])', {
    short: 'u',
    field: 'user',
    set: setScalar,
  }),
  s('workdir', 'string', 'process', 'Working directory inside the container', {
    short: 'w',
    field: 'workdir',
    set: setScalar,
  }),
  l('group-add', 'list', 'process', 'Add additional groups to join', { field: 'groupAdd', set: pushList }),
  s('health-cmd', 'string', 'process', 'Command to run to check health', { field: 'healthcheck', set: setScalar }),
  s('health-interval', 'duration', 'process', 'Time between running the check (ms|s|m|h) (default 0s)', {
    field: 'healthcheck',
    set: numeric(goParseDuration),
  }),
  s('health-retries', 'int', 'process', 'Consecutive failures needed to report unhealthy', {
    field: 'healthcheck',
    set: int64,
  }),
  s('health-timeout', 'duration', 'process', 'Maximum time to allow one check to run (ms|s|m|h) (default 0s)', {
    field: 'healthcheck',
    set: numeric(goParseDuration),
  }),
  s(
    'health-start-period',
    'duration',
    'process',
    'Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)',
    { field: 'healthcheck', set: numeric(goParseDuration), minApi: '1.29' },
  ),
  s(
    'health-start-interval',
    'duration',
    'process',
    'Time between running the check during the start period (ms|s|m|h) (default 0s)',
    { field: 'healthcheck', set: numeric(goParseDuration), minApi: '1.44' },
  ),
  b('no-healthcheck', 'process', 'Disable any container-specified HEALTHCHECK', {
    field: 'healthcheck',
    set: setScalar,
  }),
  l('env', 'list', 'environment', 'Set environment variables', {
    short: 'e',
    field: 'env',
    set: env,
    secret: redactValue,
  }),
  l('env-file', 'list', 'environment', 'Read in a file of environment variables', { field: 'env', set: pushList }),
  s('hostname', 'string', 'environment', 'Container host name', { short: 'h', field: 'hostname', set: setScalar }),
  s('domainname', 'string', 'environment', 'Container NIS domain name', { field: 'domainname', set: setScalar }),
  l('label', 'list', 'metadata', 'Set meta data on a container', {
    short: 'l',
    field: 'labels',
    set: validatedList(validateLabel),
  }),
  l('label-file', 'list', 'metadata', 'Read in a line delimited file of labels', { field: 'labels', set: pushList }),
  l('annotation', 'map', 'metadata', 'Add an annotation to the container (passed through to the OCI runtime)', {
    field: 'annotations',
    set: pushList,
    minApi: '1.43',
  }),
  s('log-driver', 'string', 'metadata', 'Logging driver for the container', { field: 'logDriver', set: setScalar }),
  l('log-opt', 'list', 'metadata', 'Log driver options', { field: 'logOpts', set: pushList, secret: maskLogOption }),
  l('volume', 'list', 'storage', 'Bind mount a volume', { short: 'v', field: 'mounts', set: pushList }),
  l('mount', 'mount', 'storage', 'Attach a filesystem mount to the container', {
    field: 'mounts',
    set: mount,
    secret: maskOptionSecrets,
  }),
  l('tmpfs', 'list', 'storage', 'Mount a tmpfs directory', { field: 'mounts', set: pushList }),
  b('read-only', 'storage', "Mount the container's root filesystem as read only", {
    field: 'readOnly',
    set: setScalar,
  }),
  l('volumes-from', 'list', 'storage', 'Mount volumes from the specified container(s)', {
    field: 'volumesFrom',
    set: pushList,
  }),
  s('volume-driver', 'string', 'storage', 'Optional volume driver for the container', {
    field: 'volumeDriver',
    set: setScalar,
  }),
  l('storage-opt', 'list', 'storage', 'Storage driver options for the container', {
    field: 'storageOpt',
    set: pushList,
  }),
  l('network', 'network', 'network', 'Connect a container to a network', {
    aliases: ['net'],
    field: 'networks',
    set: network,
  }),
  l('network-alias', 'list', 'network', 'Add network-scoped alias for the container', {
    aliases: ['net-alias'],
    field: 'networkAliases',
    set: pushList,
  }),
  l('publish', 'list', 'network', "Publish a container's port(s) to the host", {
    short: 'p',
    field: 'ports',
    set: pushList,
  }),
  b('publish-all', 'network', 'Publish all exposed ports to random ports', {
    short: 'P',
    field: 'publishAll',
    set: setScalar,
  }),
  l('expose', 'list', 'network', 'Expose a port or a range of ports', { field: 'expose', set: pushList }),
  l('dns-option', 'list', 'network', 'Set DNS options', { aliases: ['dns-opt'], field: 'dnsOptions', set: pushList }),
  l('dns', 'list', 'network', 'Set custom DNS servers', { field: 'dns', set: validatedList(validateIpAddress) }),
  l('dns-search', 'list', 'network', 'Set custom DNS search domains', {
    field: 'dnsSearch',
    set: validatedList(validateDnsSearch),
  }),
  l('add-host', 'list', 'network', 'Add a custom host-to-IP mapping (host:ip)', {
    field: 'extraHosts',
    set: validatedList(validateExtraHost),
  }),
  s('ip', 'string', 'network', 'IPv4 address (e.g., 172.30.100.104)', { field: 'ip', set: setScalar }),
  s('ip6', 'string', 'network', 'IPv6 address (e.g., 2001:db8::33)', { field: 'ip6', set: setScalar }),
  l('link', 'list', 'network', 'Add link to another container', { field: 'links', set: validatedList(validateLink) }),
  l('link-local-ip', 'list', 'network', 'Container IPv4/IPv6 link-local addresses', {
    field: 'linkLocalIps',
    set: pushList,
  }),
  s('mac-address', 'string', 'network', 'Container MAC address (e.g., 92:d0:c6:0a:29:33)', {
    field: 'macAddress',
    set: setScalar,
  }),
  b('privileged', 'security', 'Give extended privileges to this container', { field: 'privileged', set: setScalar }),
  l('cap-add', 'list', 'security', 'Add Linux capabilities', { field: 'capAdd', set: pushList }),
  l('cap-drop', 'list', 'security', 'Drop Linux capabilities', { field: 'capDrop', set: pushList }),
  l('security-opt', 'list', 'security', 'Security Options', {
    field: ['securityOpt', 'maskedPaths', 'readonlyPaths'],
    set: pushList,
  }),
  s('pid', 'string', 'security', 'PID namespace to use', { field: 'pid', set: setScalar }),
  s('ipc', 'string', 'security', 'IPC mode to use', { field: 'ipc', set: setScalar }),
  s('uts', 'string', 'security', 'UTS namespace to use', { field: 'uts', set: setScalar }),
  s('userns', 'string', 'security', 'User namespace to use', { field: 'userns', set: setScalar }),
  s('cgroupns', 'string', 'security', 'Cgroup namespace to use (host|private)', {
    field: 'cgroupns',
    set: setScalar,
    minApi: '1.41',
  }),
  l('sysctl', 'map', 'security', 'Sysctl options', { field: 'sysctls', set: validatedList(validateSysctl) }),
  l('device', 'list', 'security', 'Add a host device to the container', {
    field: ['devices', 'cdiDevices'],
    set: pushList,
  }),
  l('device-cgroup-rule', 'list', 'security', 'Add a rule to the cgroup allowed devices list', {
    field: 'deviceCgroupRules',
    set: validatedList(validateDeviceCgroupRule),
  }),
  l('gpus', 'gpu-request', 'security', "GPU devices to add to the container ('all' to pass all GPUs)", {
    field: 'gpus',
    set: gpus,
    minApi: '1.40',
  }),
  s('runtime', 'string', 'security', 'Runtime to use for this container', { field: 'runtime', set: setScalar }),
  s('isolation', 'string', 'security', 'Container isolation technology', { field: 'isolation', set: setScalar }),
  s('cgroup-parent', 'string', 'resources', 'Optional parent cgroup for the container', {
    field: 'cgroupParent',
    set: setScalar,
  }),
  s('memory', 'bytes', 'resources', 'Memory limit', { short: 'm', field: 'memory', set: numeric(ramInBytes) }),
  s('memory-reservation', 'bytes', 'resources', 'Memory soft limit', {
    field: 'memoryReservation',
    set: numeric(ramInBytes),
  }),
  s('memory-swap', 'bytes', 'resources', "Swap limit equal to memory plus swap: '-1' to enable unlimited swap", {
    field: 'memorySwap',
    set: memorySwap,
  }),
  s('shm-size', 'bytes', 'resources', 'Size of /dev/shm', { field: 'shmSize', set: numeric(ramInBytes) }),
  s('cpus', 'decimal', 'resources', 'Number of CPUs', {
    field: 'nanoCpus',
    set: numeric(parseNanoCpus),
    minApi: '1.25',
  }),
  s('pids-limit', 'int', 'resources', 'Tune container pids limit (set -1 for unlimited)', {
    field: 'pidsLimit',
    set: int64,
  }),
  l('ulimit', 'ulimit', 'resources', 'Ulimit options', { field: 'ulimits', set: ulimit }),
  s('kernel-memory', 'bytes', 'resources', 'Kernel memory limit', { field: 'kernelMemory', set: numeric(ramInBytes) }),
  s('memory-swappiness', 'int', 'resources', 'Tune container memory swappiness (0 to 100) (default -1)', {
    field: 'memorySwappiness',
    set: int64,
  }),
  b('oom-kill-disable', 'resources', 'Disable OOM Killer', { field: 'oomKillDisable', set: setScalar }),
  s('oom-score-adj', 'int', 'resources', "Tune host's OOM preferences (-1000 to 1000)", {
    field: 'oomScoreAdj',
    set: int64,
  }),
  s('cpu-shares', 'int', 'resources', 'CPU shares (relative weight)', { short: 'c', field: 'cpuShares', set: int64 }),
  s('cpu-period', 'int', 'resources', 'Limit CPU CFS (Completely Fair Scheduler) period', {
    field: 'cpuPeriod',
    set: int64,
  }),
  s('cpu-quota', 'int', 'resources', 'Limit CPU CFS (Completely Fair Scheduler) quota', {
    field: 'cpuQuota',
    set: int64,
  }),
  s('cpu-rt-period', 'int', 'resources', 'Limit CPU real-time period in microseconds', {
    field: 'cpuRealtimePeriod',
    set: int64,
    minApi: '1.25',
  }),
  s('cpu-rt-runtime', 'int', 'resources', 'Limit CPU real-time runtime in microseconds', {
    field: 'cpuRealtimeRuntime',
    set: int64,
    minApi: '1.25',
  }),
  s('cpuset-cpus', 'string', 'resources', 'CPUs in which to allow execution (0-3, 0,1)', {
    field: 'cpusetCpus',
    set: setScalar,
  }),
  s('cpuset-mems', 'string', 'resources', 'MEMs in which to allow execution (0-3, 0,1)', {
    field: 'cpusetMems',
    set: setScalar,
  }),
  s(
    'blkio-weight',
    'uint16',
    'resources',
    'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)',
    { field: 'blkioWeight', set: numeric((v) => goParseUint(v, 0, 16)) },
  ),
  l('blkio-weight-device', 'list', 'resources', 'Block IO weight (relative device weight)', {
    field: 'blkioWeightDevice',
    set: blkioList(parseWeightDevice),
  }),
  l('device-read-bps', 'list', 'resources', 'Limit read rate (bytes per second) from a device', {
    field: 'blkioDeviceReadBps',
    set: blkioList(parseThrottleBps),
  }),
  l('device-read-iops', 'list', 'resources', 'Limit read rate (IO per second) from a device', {
    field: 'blkioDeviceReadIOps',
    set: blkioList(parseThrottleIops),
  }),
  l('device-write-bps', 'list', 'resources', 'Limit write rate (bytes per second) to a device', {
    field: 'blkioDeviceWriteBps',
    set: blkioList(parseThrottleBps),
  }),
  l('device-write-iops', 'list', 'resources', 'Limit write rate (IO per second) to a device', {
    field: 'blkioDeviceWriteIOps',
    set: blkioList(parseThrottleIops),
  }),
  s('cpu-count', 'int', 'resources', 'CPU count (Windows only)', {
    hidden: true,
    field: 'cpuCount',
    set: int64,
    windowsOnly: true,
  }),
  s('cpu-percent', 'int', 'resources', 'CPU percent (Windows only)', {
    hidden: true,
    field: 'cpuPercent',
    set: int64,
    windowsOnly: true,
  }),
  s('io-maxbandwidth', 'bytes', 'resources', 'Maximum IO bandwidth limit for the system drive (Windows only)', {
    hidden: true,
    field: 'ioMaximumBandwidth',
    set: numeric(ramInBytes),
    windowsOnly: true,
  }),
  s('io-maxiops', 'uint', 'resources', 'Maximum IOps limit for the system drive (Windows only)', {
    hidden: true,
    field: 'ioMaximumIOps',
    set: numeric((v) => goParseUint(v, 0, 64)),
    windowsOnly: true,
  }),
];

const own = (
  name: string,
  kind: FlagKind,
  arity: FlagArity,
  help: string,
  set: OwnFlagRow['own'],
  valueName?: string,
): OwnFlagRow => ({
  name,
  kind,
  arity,
  group: 'safedock',
  help,
  own: set,
  ...(valueName === undefined ? {} : { valueName }),
});
const isTrue = (v: string): boolean => v === 'true';

/** safedock's own run flags. None of them is a docker run flag or alias (checked by a unit test). */
export const OWN_FLAGS: readonly OwnFlagRow[] = [
  own(
    'preset',
    'value',
    'scalar',
    'Preset merged under your flags: strict (default), sandbox, compat, none, or one of yours (safedock presets list)',
    (o, v) => (o.preset = v),
    'name',
  ),
  own(
    'dry-run',
    'bool',
    'scalar',
    'Print the plan (each setting and its source, the request with env values masked); run nothing',
    (o, v) => (o.dryRun = isTrue(v)),
  ),
  own(
    'json',
    'bool',
    'scalar',
    "With --dry-run (or explain), print the plan as JSON on stdout; a run's findings go to --json-file",
    (o, v) => (o.json = isTrue(v)),
  ),
  own(
    'json-file',
    'value',
    'scalar',
    'Write the policy report of a run (verdict, findings, notes) as JSON to FILE before the container starts, e.g. /dev/fd/3; with --dry-run, the plan',
    (o, v) => (o.jsonFile = v),
    'file',
  ),
  own(
    'verbose',
    'bool',
    'scalar',
    "With --dry-run (or explain), show every value in full, the seccomp profile's body among them",
    (o, v) => (o.verbose = isTrue(v)),
  ),
  own('help', 'bool', 'scalar', 'Print usage', (o, v) => (o.help = isTrue(v))),
  own(
    'pick',
    'bool',
    'scalar',
    'Choose the preset on the terminal, seeing what each would change for this image and what it would raise; offers to save the choice as the project default',
    (o, v) => (o.pick = isTrue(v)),
  ),
  own(
    'policy',
    'value',
    'scalar',
    'What risky settings meet: warn (report only), ask (y/N question on a terminal), enforce (refuse high and critical unless accepted); default ask on a terminal, enforce without one or with CI set (also SAFEDOCK_POLICY)',
    (o, v) => (o.policy = v),
    'mode',
  ),
  own(
    'accept',
    'value',
    'list',
    'Accept a finding by rule id (e.g. SD118) for this run; needs --reason; stamped into the container labels',
    (o, v) => void o.accept.push(v),
    'rule',
  ),
  own(
    'reason',
    'value',
    'list',
    'Why the --accept before it is acceptable (one --reason may cover every --accept)',
    (o, v) => void o.reason.push(v),
    'text',
  ),
  own(
    'yes',
    'bool',
    'scalar',
    'Answer yes to the risk question on a terminal (never accepts anything without a terminal: use --accept)',
    (o, v) => (o.yes = isTrue(v)),
  ),
  own(
    'secret',
    'value',
    'list',
    'Mount FILE read-only at /run/secrets/NAME (instead of passing a secret in the environment)',
    (o, v) => void o.secret.push(v),
    'name=file',
  ),
  own(
    'service',
    'value',
    'scalar',
    'Publish the ports of this service of the project config (.safedock.yaml services:, as safedock init records them); runs without it publish none of them',
    (o, v) => (o.service = v),
    'name',
  ),
];

/**
 * docker run flags safedock does not convert (yet). Using one is an error that says so, instead of
 * a plain "unknown flag". Short letters are listed as '-x'. Empty: every docker 28.2 run flag is converted.
 */
export const DOCKER_ONLY_FLAGS: readonly string[] = [];

const byLong = new Map<string, FlagRow>();
const byShort = new Map<string, FlagRow>();
for (const f of RUN_FLAGS) {
  byLong.set(f.name, f);
  for (const a of f.aliases ?? []) byLong.set(a, f);
  if (f.short !== undefined) byShort.set(f.short, f);
}
const ownByName = new Map(OWN_FLAGS.map((f) => [f.name, f]));

/** The row for a long name or one of its aliases. */
export function findLongFlag(name: string): FlagRow | undefined {
  return byLong.get(name);
}

/** The row for a one-letter shorthand. */
export function findShortFlag(letter: string): FlagRow | undefined {
  return byShort.get(letter);
}

/** One of safedock's own flags. */
export function findOwnFlag(name: string): OwnFlagRow | undefined {
  return ownByName.get(name);
}

/** The flag as pflag names it in errors: "-m, --memory" or "--cpus". */
export function flagDisplayName(flag: Pick<FlagSpec, 'name' | 'short'>): string {
  return flag.short === undefined ? `--${flag.name}` : `-${flag.short}, --${flag.name}`;
}

/** The model fields of a row, as a list. */
export function rowFields(flag: FlagRow): readonly SpecField[] {
  return typeof flag.field === 'string' ? [flag.field] : flag.field;
}
