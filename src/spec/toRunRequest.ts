/**
 * ParsedRun → RunRequest: docker CLI 28's opts.go `parse` (plus the few run.go and moby-client steps
 * that change the body), table-driven. Pass 1 runs each option's setter in argv order (docker's
 * pflag Set: value errors read `invalid argument "V" for "F" flag: …`); pass 2 assembles the body
 * from the collected values in docker's order of checks.
 */
import type { OptionValue, ParsedRun } from '../argv/types.js';
import { findLongFlag, flagDisplayName } from '../argv/flags.js';
import { invalidArgument, usageError, usageErrorExit1 } from '../argv/usageErrors.js';
import type { ClientOptions, ConvertContext, CreateBody, Mount, PullPolicy, RunRequest, Ulimit } from './types.js';
import { baselineBody } from './baseline.js';
import { goParseInt, parseNanoCpus, ramInBytes } from './units.js';
import { ValueError } from './convert/valueError.js';
import { dedupeEnv, redactValue, validateEnv } from './convert/env.js';
import { kvStringsToMap, validateLabel } from './convert/labels.js';
import { readKvFile } from './convert/kvFile.js';
import { parseUlimit } from './convert/ulimit.js';
import { parseMount } from './convert/mount.js';
import { buildNetworks, parseNetworkValue, type NetworkAttachment } from './convert/network.js';
import { parsePorts } from './convert/ports.js';
import { splitVolumes } from './convert/volumes.js';
import { parseSecurityOpts } from './convert/securityOpts.js';
import { normalizeCapabilities } from './convert/caps.js';
import { isNoRestart, parseRestartPolicy } from './convert/restart.js';
import { validateNamespaceModes } from './convert/namespaces.js';
import { sortKeys } from './convert/sortKeys.js';

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
};

/** Flags whose values may hold secrets: never echoed in an error. */
const SECRET_FLAGS = new Set(['env']);

/** Pass 1: run every option's setter in argv order, as pflag does while parsing. */
export function collectOptions(options: readonly OptionValue[], ctx: ConvertContext): Collected {
  const c: Collected = { scalar: new Map(), list: new Map(), number: new Map(), ulimits: new Map(), mounts: [], networks: [] };
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

const PULL_POLICIES: Record<string, PullPolicy> = { '': 'missing', missing: 'missing', always: 'always', never: 'never' };

/** Convert a parsed `docker run` command line into the create request docker CLI 28 would send. */
export function toRunRequest(parsed: ParsedRun, ctx: ConvertContext): RunRequest {
  const c = collectOptions(parsed.options, ctx);
  const str = (name: string, fallback = ''): string => c.scalar.get(name) ?? fallback;
  const flag = (name: string, fallback = false): boolean => (c.scalar.has(name) ? c.scalar.get(name) === 'true' : fallback);
  const list = (name: string): string[] => c.list.get(name) ?? [];
  const num = (name: string): number | undefined => c.number.get(name);

  // run.go: the pull option is checked before anything else.
  const pullText = str('pull', 'missing');
  const pull = PULL_POLICIES[pullText];
  if (pull === undefined) {
    throw usageError(`invalid pull option: '${pullText}': must be one of "always", "missing" or "never"`);
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
  hc.Ulimits = [...c.ulimits.values()].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  if (c.mounts.length > 0) hc.Mounts = c.mounts;
  if (c.scalar.has('init')) hc.Init = flag('init');

  if (hc.AutoRemove && !isNoRestart(restart)) {
    throw usageError('conflicting options: cannot specify both --restart and --rm', 'Drop --rm, or drop --restart.');
  }

  // Networks.
  const net = buildNetworks(c.networks, list('network-alias'), ctx.apiVersion);
  hc.NetworkMode = net.networkMode;
  body.NetworkingConfig = { EndpointsConfig: sortKeys(net.endpoints) };

  // run.go: detach.
  const detach = flag('detach');
  if (detach) {
    if (attachList.length > 0) {
      throw usageErrorExit1('conflicting options: cannot specify both --attach and --detach', 'Drop -a/--attach, or drop -d/--detach.');
    }
    body.AttachStdin = false;
    body.AttachStdout = false;
    body.AttachStderr = false;
    body.StdinOnce = false;
  }

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
