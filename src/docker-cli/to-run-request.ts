/**
 * ParsedRun → RunRequest: docker CLI 28's opts.go `parse` (plus the few run.go and moby-client steps
 * that change the body), table-driven. Pass 1 runs each option's setter in argv order (docker's
 * pflag Set: value errors read `invalid argument "V" for "F" flag: …`); pass 2 assembles the body
 * from the collected values in docker's order of checks.
 */
import type { OptionValue, ParsedRun } from './parsed-run.js';
import { findLongFlag, flagDisplayName } from './run-flags.js';
import { invalidArgument, usageError, usageErrorExit1 } from './usage-errors.js';
import type {
  ClientOptions,
  ConvertContext,
  CreateBody,
  Mount,
  PullPolicy,
  RunRequest,
  Ulimit,
} from './run-request.js';
import { baselineBody } from './baseline.js';
import { goParseDuration, goParseInt, goParseUint, parseNanoCpus, ramInBytes } from './units.js';
import { ValueError } from './value-error.js';
import { dedupeEnv, redactValue, validateEnv } from './env.js';
import { kvStringsToMap, validateLabel } from './labels.js';
import { readKvFile } from './kv-file.js';
import { parseUlimit } from './ulimit.js';
import { parseMount } from './mount.js';
import {
  buildNetworks,
  checkEndpointMacGate,
  parseNetworkValue,
  versionLess,
  type NetworkAttachment,
} from './network.js';
import { validateDnsSearch, validateExtraHost, validateIpAddress, validateLink, validateSysctl } from './host-opts.js';
import {
  parseDevices,
  parseGpuRequest,
  parseThrottleBps,
  parseThrottleIops,
  parseWeightDevice,
  validateDeviceCgroupRule,
  type DeviceRequest,
} from './devices.js';
import { isGoMac } from './go-ip.js';
import { SafedockError } from '../errors.js';
import { parsePorts } from './ports.js';
import { splitVolumes } from './volumes.js';
import { parseSecurityOpts } from './security-opts.js';
import { normalizeCapabilities } from './caps.js';
import { isNoRestart, parseRestartPolicy } from './restart.js';
import { validateNamespaceModes } from './namespaces.js';
import { sortKeys } from './sort-keys.js';

/** What pass 1 gathers: docker's containerOptions after flag parsing. */
export interface Collected {
  /** Scalar flags (strings and booleans as 'true'/'false'), last value wins. */
  scalar: Map<string, string>;
  /** List flags, each value as docker's validator returned it, in order. */
  list: Map<string, string[]>;
  /** Numeric flags already converted (bytes, nano CPUs, ints). */
  number: Map<string, number>;
  ulimits: Map<string, Ulimit>;
  mounts: Mount[];
  networks: NetworkAttachment[];
  gpus: DeviceRequest[];
  /** --blkio-weight-device and --device-{read,write}-{bps,iops}, by flag name. */
  blkio: Map<string, Array<Record<string, string | number>>>;
}

/** Stores one option value; `name` is the canonical flag name (setters are shared between flags). */
type Setter = (value: string, c: Collected, ctx: ConvertContext, name: string) => void;

const setScalar: Setter = (v, c, _ctx, name) => void c.scalar.set(name, v);
const pushList: Setter = (v, c, _ctx, name) => void listOf(c, name).push(v);
const numeric =
  (convert: (v: string) => number): Setter =>
  (v, c, _ctx, name) =>
    void c.number.set(name, convert(v));
const validatedList =
  (validate: (v: string, ctx: ConvertContext) => string): Setter =>
  (v, c, ctx, name) =>
    void listOf(c, name).push(validate(v, ctx));

function listOf(c: Collected, name: string): string[] {
  let l = c.list.get(name);
  if (l === undefined) {
    l = [];
    c.list.set(name, l);
  }
  return l;
}

const blkioList =
  (parse: (v: string) => Record<string, string | number>): Setter =>
  (v, c, _ctx, name) => {
    const entry = parse(v);
    const l = c.blkio.get(name) ?? [];
    l.push(entry);
    c.blkio.set(name, l);
  };
const int64: Setter = numeric((v) => goParseInt(v, 0));

const memSwap = (v: string): number => (v === '-1' ? -1 : ramInBytes(v));
const attach = (v: string): string => {
  const lower = v.toLowerCase();
  if (lower === 'stdin' || lower === 'stdout' || lower === 'stderr') return lower;
  throw new ValueError('valid streams are STDIN, STDOUT and STDERR');
};

/** One setter per flag in RUN_FLAGS (a unit test checks the two tables match). */
export const SETTERS: Readonly<Record<string, Setter>> = {
  detach: setScalar,
  'detach-keys': setScalar,
  interactive: setScalar,
  tty: setScalar,
  attach: validatedList(attach),
  'sig-proxy': setScalar,
  quiet: setScalar,
  pull: setScalar,
  platform: setScalar,
  cidfile: setScalar,
  rm: setScalar,
  name: setScalar,
  restart: setScalar,
  'stop-signal': setScalar,
  'stop-timeout': numeric((v) => goParseInt(v, 0)),
  init: setScalar,
  entrypoint: setScalar,
  user: setScalar,
  workdir: setScalar,
  'group-add': pushList,
  env: validatedList((v, ctx) => validateEnv(v, ctx.env)),
  'env-file': pushList,
  hostname: setScalar,
  domainname: setScalar,
  label: validatedList(validateLabel),
  'label-file': pushList,
  'log-driver': setScalar,
  'log-opt': pushList,
  volume: pushList,
  mount: (v, c, ctx) => void c.mounts.push(parseMount(v, ctx.cwd)),
  tmpfs: pushList,
  'read-only': setScalar,
  network: (v, c) => void c.networks.push(parseNetworkValue(v)),
  'network-alias': pushList,
  publish: pushList,
  'publish-all': setScalar,
  expose: pushList,
  'dns-option': pushList,
  privileged: setScalar,
  'cap-add': pushList,
  'cap-drop': pushList,
  'security-opt': pushList,
  pid: setScalar,
  ipc: setScalar,
  uts: setScalar,
  userns: setScalar,
  cgroupns: setScalar,
  memory: numeric(ramInBytes),
  'memory-reservation': numeric(ramInBytes),
  'memory-swap': numeric(memSwap),
  'shm-size': numeric(ramInBytes),
  cpus: numeric(parseNanoCpus),
  'pids-limit': numeric((v) => goParseInt(v, 0)),
  ulimit: (v, c) => {
    const u = parseUlimit(v);
    c.ulimits.delete(u.Name);
    c.ulimits.set(u.Name, u);
  },
  'disable-content-trust': setScalar,
  'use-api-socket': setScalar,
  'health-cmd': setScalar,
  'health-interval': numeric(goParseDuration),
  'health-retries': int64,
  'health-timeout': numeric(goParseDuration),
  'health-start-period': numeric(goParseDuration),
  'health-start-interval': numeric(goParseDuration),
  'no-healthcheck': setScalar,
  annotation: pushList,
  'volumes-from': pushList,
  'volume-driver': setScalar,
  'storage-opt': pushList,
  dns: validatedList(validateIpAddress),
  'dns-search': validatedList(validateDnsSearch),
  'add-host': validatedList(validateExtraHost),
  ip: setScalar,
  ip6: setScalar,
  link: validatedList(validateLink),
  'link-local-ip': pushList,
  'mac-address': setScalar,
  sysctl: validatedList(validateSysctl),
  device: pushList,
  'device-cgroup-rule': validatedList(validateDeviceCgroupRule),
  gpus: (v, c) => void c.gpus.push(parseGpuRequest(v)),
  runtime: setScalar,
  isolation: setScalar,
  'cgroup-parent': setScalar,
  'kernel-memory': numeric(ramInBytes),
  'memory-swappiness': int64,
  'oom-kill-disable': setScalar,
  'oom-score-adj': int64,
  'cpu-shares': int64,
  'cpu-period': int64,
  'cpu-quota': int64,
  'cpu-rt-period': int64,
  'cpu-rt-runtime': int64,
  'cpuset-cpus': setScalar,
  'cpuset-mems': setScalar,
  'blkio-weight': numeric((v) => goParseUint(v, 0, 16)),
  'blkio-weight-device': blkioList(parseWeightDevice),
  'device-read-bps': blkioList(parseThrottleBps),
  'device-write-bps': blkioList(parseThrottleBps),
  'device-read-iops': blkioList(parseThrottleIops),
  'device-write-iops': blkioList(parseThrottleIops),
  'cpu-count': int64,
  'cpu-percent': int64,
  'io-maxbandwidth': numeric(ramInBytes),
  'io-maxiops': numeric((v) => goParseUint(v, 0, 64)),
};

/** Flags docker annotates with a minimum API version (checked before the command runs). */
const VERSION_GATES: Readonly<Record<string, string>> = {
  annotation: '1.43',
  cgroupns: '1.41',
  cpus: '1.25',
  'cpu-rt-period': '1.25',
  'cpu-rt-runtime': '1.25',
  gpus: '1.40',
  'health-start-interval': '1.44',
  'health-start-period': '1.29',
  init: '1.25',
  'stop-timeout': '1.25',
};
/** Windows-only flags; safedock drives Linux engines. */
const WINDOWS_ONLY = new Set(['cpu-count', 'cpu-percent', 'io-maxbandwidth', 'io-maxiops']);
const ENGINE_OS = 'linux';

/**
 * docker's areFlagsSupported: every given flag the engine cannot honour, in pflag's (sorted) order,
 * one line each; docker exits 1.
 */
export function checkFlagSupport(options: readonly OptionValue[], apiVersion: string): void {
  const given = [...new Set(options.map((o) => o.name))].sort();
  const errors: string[] = [];
  for (const name of given) {
    const min = VERSION_GATES[name];
    if (min !== undefined && versionLess(apiVersion, min)) {
      errors.push(`"--${name}" requires API version ${min}, but the Docker daemon API version is ${apiVersion}`);
    } else if (WINDOWS_ONLY.has(name)) {
      errors.push(
        `"--${name}" is only supported on a Docker daemon running on windows, but the Docker daemon is running on ${ENGINE_OS}`,
      );
    }
  }
  if (errors.length > 0) {
    throw usageErrorExit1(errors.join('\n'), 'Leave the flag out: this engine does not support it.');
  }
}

/** docker's ContentTrustEnabled: DOCKER_CONTENT_TRUST set to anything but a false boolean. */
function contentTrustEnabled(env: NodeJS.ProcessEnv): boolean {
  const e = env.DOCKER_CONTENT_TRUST;
  if (e === undefined || e === '') return false;
  return !['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(e);
}

/** Flags whose values may hold secrets: never echoed in an error. */
const SECRET_FLAGS = new Set(['env']);

/** Pass 1: run every option's setter in argv order, as pflag does while parsing. */
export function collectOptions(options: readonly OptionValue[], ctx: ConvertContext): Collected {
  const c: Collected = {
    scalar: new Map(),
    list: new Map(),
    number: new Map(),
    ulimits: new Map(),
    mounts: [],
    networks: [],
    gpus: [],
    blkio: new Map(),
  };
  for (const opt of options) {
    const spec = findLongFlag(opt.name);
    const setter = SETTERS[opt.name];
    if (spec === undefined || setter === undefined) {
      throw usageError(`unknown flag: --${opt.name}`);
    }
    try {
      setter(opt.value, c, ctx, spec.name);
    } catch (err) {
      if (!(err instanceof ValueError)) throw err;
      const shown = SECRET_FLAGS.has(spec.name) ? redactValue(opt.value) : opt.value;
      throw invalidArgument(shown, flagDisplayName(spec), err.message);
    }
  }
  return c;
}

const PULL_POLICIES: Record<string, PullPolicy> = {
  '': 'missing',
  missing: 'missing',
  always: 'always',
  never: 'never',
};

/** Convert a parsed `docker run` command line into the create request docker CLI 28 would send. */
export function toRunRequest(parsed: ParsedRun, ctx: ConvertContext): RunRequest {
  const c = collectOptions(parsed.options, ctx);
  const str = (name: string, fallback = ''): string => c.scalar.get(name) ?? fallback;
  const flag = (name: string, fallback = false): boolean =>
    c.scalar.has(name) ? c.scalar.get(name) === 'true' : fallback;
  const list = (name: string): string[] => c.list.get(name) ?? [];
  const num = (name: string): number | undefined => c.number.get(name);

  // cobra's pre-run hook: flags the engine's API version (or OS) does not support.
  checkFlagSupport(parsed.options, ctx.apiVersion);

  // run.go: the pull option is checked before anything else.
  const pullText = str('pull', 'missing');
  const pull = PULL_POLICIES[pullText];
  if (pull === undefined) {
    throw usageError(`invalid pull option: '${pullText}': must be one of "always", "missing" or "never"`);
  }

  // opts.go parse: MAC address, then swappiness.
  const mac = str('mac-address');
  if (mac !== '' && !isGoMac(mac.trim())) throw usageError(`${mac} is not a valid mac address`);
  const swappiness = num('memory-swappiness') ?? -1;
  if (swappiness !== -1 && (swappiness < 0 || swappiness > 100)) {
    throw usageError(`invalid value: ${swappiness}. Valid memory swappiness range is 0-100`);
  }

  const body: CreateBody = baselineBody(parsed.image ?? '', parsed.command.length > 0 ? [...parsed.command] : null);
  const hc = body.HostConfig;

  // Attach and stdin.
  const attachList = list('attach');
  const interactive = flag('interactive');
  const tty = flag('tty');
  body.AttachStdin = attachList.includes('stdin') || interactive;
  body.AttachStdout = attachList.length === 0 || attachList.includes('stdout');
  body.AttachStderr = attachList.length === 0 || attachList.includes('stderr');
  body.OpenStdin = interactive;
  body.Tty = tty;
  body.StdinOnce = body.OpenStdin && body.AttachStdin;

  // Volumes and tmpfs.
  const vols = splitVolumes(list('volume'), ctx.cwd);
  hc.Binds = vols.binds;
  body.Volumes = sortKeys(vols.volumes);
  const tmpfs: Record<string, string> = {};
  for (const t of list('tmpfs')) {
    const colon = t.indexOf(':');
    if (colon < 0) tmpfs[t] = '';
    else tmpfs[t.slice(0, colon)] = t.slice(colon + 1);
  }
  if (Object.keys(tmpfs).length > 0) hc.Tmpfs = sortKeys(tmpfs);

  // Entrypoint: `--entrypoint=` resets the image's entrypoint.
  if (c.scalar.has('entrypoint')) body.Entrypoint = [str('entrypoint')];

  // Ports.
  const ports = parsePorts(list('publish'), list('expose'));
  if (Object.keys(ports.exposed).length > 0) body.ExposedPorts = sortKeys(ports.exposed);
  hc.PortBindings = sortKeys(ports.bindings);

  // Devices: host paths validated now; CDI names become one "cdi" device request.
  const devices = parseDevices(list('device'));

  // Environment: env files first (in order), then -e (deduplicated by key, as docker's proxy-env map does).
  const lookup = (key: string): string | undefined => ctx.env[key];
  const fileEnv = list('env-file').flatMap((f) => readKvFile(f, ctx.cwd, lookup));
  const env = [...fileEnv, ...dedupeEnv(list('env'))];
  body.Env = env.length > 0 ? env : null;

  // Labels: label files first, then -l; later keys win.
  const fileLabels = list('label-file').flatMap((f) => readKvFile(f, ctx.cwd, undefined));
  body.Labels = sortKeys(kvStringsToMap([...fileLabels, ...list('label')]));

  validateNamespaceModes({ pid: str('pid'), uts: str('uts'), userns: str('userns'), cgroupns: str('cgroupns') });

  const restart = parseRestartPolicy(str('restart', 'no'));

  // Logging.
  const logDriver = str('log-driver');
  const logOpts = list('log-opt');
  if (logDriver === 'none' && logOpts.length > 0) throw usageError(`invalid logging opts for driver ${logDriver}`);
  hc.LogConfig = { Type: logDriver, Config: sortKeys(kvStringsToMap(logOpts)) };

  const security = parseSecurityOpts(list('security-opt'), ctx.cwd);
  hc.SecurityOpt = security.securityOpt;
  hc.MaskedPaths = security.maskedPaths;
  hc.ReadonlyPaths = security.readonlyPaths;

  const storageOpts: Record<string, string> = {};
  for (const o of list('storage-opt')) {
    const eq = o.indexOf('=');
    if (eq < 0) throw usageError('invalid storage option');
    storageOpts[o.slice(0, eq)] = o.slice(eq + 1);
  }
  if (Object.keys(storageOpts).length > 0) hc.StorageOpt = sortKeys(storageOpts);

  // Healthcheck.
  const health = {
    cmd: str('health-cmd'),
    interval: num('health-interval') ?? 0,
    timeout: num('health-timeout') ?? 0,
    startPeriod: num('health-start-period') ?? 0,
    startInterval: num('health-start-interval') ?? 0,
    retries: num('health-retries') ?? 0,
  };
  const haveHealth =
    health.cmd !== '' ||
    health.interval !== 0 ||
    health.timeout !== 0 ||
    health.startPeriod !== 0 ||
    health.retries !== 0 ||
    health.startInterval !== 0;
  if (flag('no-healthcheck')) {
    if (haveHealth) throw usageError('--no-healthcheck conflicts with --health-* options');
    body.Healthcheck = { Test: ['NONE'] };
  } else if (haveHealth) {
    if (health.interval < 0) throw usageError('--health-interval cannot be negative');
    if (health.timeout < 0) throw usageError('--health-timeout cannot be negative');
    if (health.retries < 0) throw usageError('--health-retries cannot be negative');
    if (health.startPeriod < 0) throw usageError('--health-start-period cannot be negative');
    if (health.startInterval < 0) throw usageError('--health-start-interval cannot be negative');
    // Every HealthConfig field is omitempty.
    const hcfg: Record<string, unknown> = {};
    if (health.cmd !== '') hcfg.Test = ['CMD-SHELL', health.cmd];
    if (health.interval !== 0) hcfg.Interval = health.interval;
    if (health.timeout !== 0) hcfg.Timeout = health.timeout;
    if (health.startPeriod !== 0) hcfg.StartPeriod = health.startPeriod;
    if (health.startInterval !== 0) hcfg.StartInterval = health.startInterval;
    if (health.retries !== 0) hcfg.Retries = health.retries;
    body.Healthcheck = hcfg;
  }

  const deviceRequests: DeviceRequest[] = [...c.gpus];
  if (devices.cdi.length > 0) {
    deviceRequests.push({ Driver: 'cdi', Count: 0, DeviceIDs: devices.cdi, Capabilities: null, Options: null });
  }

  // Plain fields.
  body.Hostname = str('hostname');
  body.Domainname = str('domainname');
  body.User = str('user');
  body.WorkingDir = str('workdir');
  if (str('stop-signal') !== '') body.StopSignal = str('stop-signal');
  const stopTimeout = num('stop-timeout');
  if (stopTimeout !== undefined) body.StopTimeout = stopTimeout;
  hc.ContainerIDFile = str('cidfile');
  hc.AutoRemove = flag('rm');
  hc.Privileged = flag('privileged');
  hc.PublishAllPorts = flag('publish-all');
  hc.ReadonlyRootfs = flag('read-only');
  hc.RestartPolicy = restart;
  hc.PidMode = str('pid');
  hc.IpcMode = str('ipc');
  hc.UTSMode = str('uts');
  hc.UsernsMode = str('userns');
  hc.CgroupnsMode = str('cgroupns');
  hc.GroupAdd = list('group-add').length > 0 ? list('group-add') : null;
  hc.DnsOptions = list('dns-option');
  hc.CapAdd = list('cap-add').length > 0 ? list('cap-add') : null;
  hc.CapDrop = list('cap-drop').length > 0 ? list('cap-drop') : null;
  hc.Memory = num('memory') ?? 0;
  hc.MemoryReservation = num('memory-reservation') ?? 0;
  hc.MemorySwap = num('memory-swap') ?? 0;
  hc.ShmSize = num('shm-size') ?? 0;
  hc.NanoCpus = num('cpus') ?? 0;
  hc.PidsLimit = num('pids-limit') ?? 0;
  hc.CgroupParent = str('cgroup-parent');
  hc.MemorySwappiness = swappiness;
  // KernelMemory exists in API 1.40 and 1.41 only; the moby client zeroes it otherwise (omitempty).
  const kernelMemory = num('kernel-memory') ?? 0;
  if (kernelMemory !== 0 && !versionLess(ctx.apiVersion, '1.40') && versionLess(ctx.apiVersion, '1.42')) {
    hc.KernelMemory = kernelMemory;
  }
  hc.OomKillDisable = flag('oom-kill-disable');
  hc.OomScoreAdj = num('oom-score-adj') ?? 0;
  hc.CpuShares = num('cpu-shares') ?? 0;
  hc.CpuPeriod = num('cpu-period') ?? 0;
  hc.CpuQuota = num('cpu-quota') ?? 0;
  hc.CpuRealtimePeriod = num('cpu-rt-period') ?? 0;
  hc.CpuRealtimeRuntime = num('cpu-rt-runtime') ?? 0;
  hc.CpusetCpus = str('cpuset-cpus');
  hc.CpusetMems = str('cpuset-mems');
  hc.BlkioWeight = num('blkio-weight') ?? 0;
  hc.BlkioWeightDevice = c.blkio.get('blkio-weight-device') ?? [];
  hc.BlkioDeviceReadBps = c.blkio.get('device-read-bps') ?? [];
  hc.BlkioDeviceWriteBps = c.blkio.get('device-write-bps') ?? [];
  hc.BlkioDeviceReadIOps = c.blkio.get('device-read-iops') ?? [];
  hc.BlkioDeviceWriteIOps = c.blkio.get('device-write-iops') ?? [];
  hc.DeviceCgroupRules = list('device-cgroup-rule').length > 0 ? list('device-cgroup-rule') : null;
  hc.Devices = devices.devices;
  hc.DeviceRequests = deviceRequests.length > 0 ? deviceRequests : null;
  hc.Links = list('link').length > 0 ? list('link') : null;
  hc.Dns = list('dns');
  hc.DnsSearch = list('dns-search');
  hc.ExtraHosts = list('add-host').length > 0 ? list('add-host') : null;
  hc.VolumesFrom = list('volumes-from').length > 0 ? list('volumes-from') : null;
  hc.VolumeDriver = str('volume-driver');
  hc.Isolation = str('isolation');
  if (str('runtime') !== '') hc.Runtime = str('runtime');
  const sysctls = kvStringsToMap(list('sysctl'));
  if (Object.keys(sysctls).length > 0) hc.Sysctls = sortKeys(sysctls);
  const annotations = kvStringsToMap(list('annotation'));
  if (Object.keys(annotations).length > 0) hc.Annotations = sortKeys(annotations);
  hc.Ulimits = [...c.ulimits.values()].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  if (c.mounts.length > 0) hc.Mounts = c.mounts;
  if (c.scalar.has('init')) hc.Init = flag('init');

  if (hc.AutoRemove && !isNoRestart(restart)) {
    throw usageError('conflicting options: cannot specify both --restart and --rm', 'Drop --rm, or drop --restart.');
  }

  // Networks.
  const net = buildNetworks(c.networks, {
    aliases: list('network-alias'),
    links: list('link'),
    ipv4: str('ip'),
    ipv6: str('ip6'),
    macAddress: mac,
    linkLocalIps: list('link-local-ip'),
  });
  hc.NetworkMode = net.networkMode;
  body.NetworkingConfig = { EndpointsConfig: sortKeys(net.endpoints) };

  // run.go: detach.
  const detach = flag('detach');
  if (detach) {
    if (attachList.length > 0) {
      throw usageErrorExit1(
        'conflicting options: cannot specify both --attach and --detach',
        'Drop -a/--attach, or drop -d/--detach.',
      );
    }
    body.AttachStdin = false;
    body.AttachStdout = false;
    body.AttachStderr = false;
    body.StdinOnce = false;
  }

  // createContainer: content trust, then --use-api-socket.
  const untrusted = c.scalar.has('disable-content-trust')
    ? flag('disable-content-trust')
    : !contentTrustEnabled(ctx.env);
  if (!untrusted && !(parsed.image ?? '').includes('@')) {
    throw new SafedockError('safedock does not verify signed images (docker content trust)', {
      code: 'unsupported',
      hint: 'Leave out --disable-content-trust=false and unset DOCKER_CONTENT_TRUST, or pin the image by digest (IMAGE@sha256:…).',
    });
  }
  if (flag('use-api-socket')) {
    const host = ctx.env.DOCKER_HOST?.trim() || 'unix:///var/run/docker.sock';
    if (!host.startsWith('unix://')) {
      throw new SafedockError(
        `flag --use-api-socket can only be used with unix sockets: docker endpoint ${host} incompatible`,
        {
          code: 'usage',
          hint: 'Point DOCKER_HOST at a unix:// socket, or leave out --use-api-socket.',
        },
      );
    }
    hc.Mounts = [
      ...(hc.Mounts ?? []),
      { Type: 'bind', Source: host.slice('unix://'.length), Target: '/var/run/docker.sock', BindOptions: {} },
    ];
  }

  // The moby client: endpoint MAC addresses need API 1.44.
  checkEndpointMacGate(net.endpoints, ctx.apiVersion);

  // The moby client normalises capabilities before sending.
  hc.CapAdd = normalizeCapabilities(hc.CapAdd ?? []);
  hc.CapDrop = normalizeCapabilities(hc.CapDrop ?? []);

  const client: ClientOptions = {
    detach,
    pull,
    // run.go turns signal proxying off for a TTY.
    sigProxy: flag('sig-proxy', true) && !tty,
    quiet: flag('quiet'),
  };
  if (c.scalar.has('detach-keys')) client.detachKeys = str('detach-keys');
  if (str('cidfile') !== '') client.cidfile = str('cidfile');

  const request: RunRequest = { body, client };
  if (str('name') !== '') request.name = str('name');
  if (str('platform') !== '') request.platform = str('platform');
  return request;
}
