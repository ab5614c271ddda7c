/**
 * The run model → the `docker run` flags that reproduce it with plain docker: the inverse of
 * toSpec (src/docker-cli/to-spec.ts). parse(args(spec)) gives the create body of the spec
 * (test/unit/export/args.test.ts checks it on the oracle corpus). One entry per model field.
 * Each flag is one word, `--flag=value`, so that a value starting with a dash stays a value.
 */
import type { Mount } from '../api/create-body.js';
import { normalizeCapabilities } from '../grammar/capabilities.js';
import type { NetworkAttachment } from '../grammar/network.js';
import type { DeviceRequest } from '../grammar/devices.js';
import type { MountSpec, RunSpec, SecurityOpt, SpecField } from '../model/run-spec.js';
import { envSecret } from '../policy/env-secrets.js';
import { hideVolumePasswords, holdsVariable, type HiddenPassword } from './volume-passwords.js';

export interface ArgsContext {
  /** The path a seccomp profile given as JSON is referenced by (written beside the output). */
  profilePath: (entry: SecurityOpt) => string | undefined;
  /**
   * Write credentials as `-e NAME` (taken from the caller's environment), never their value, and
   * a volume's password as the mark of a variable (volume-passwords.ts), collected in `hidden`.
   */
  hideSecrets: boolean;
  hidden?: HiddenPassword[];
}

/** Settings a docker run flag cannot express (each with why), found while rendering. */
export interface ArgsGap {
  field: SpecField;
  why: string;
}

type FieldArgs = (spec: RunSpec, ctx: ArgsContext, gaps: ArgsGap[]) => string[];

const flag = (name: string, value: string | number): string => `--${name}=${value}`;
const each =
  <T>(name: string, pick: (spec: RunSpec) => readonly T[], show: (item: T) => string = String): FieldArgs =>
  (spec) =>
    pick(spec).map((item) => flag(name, show(item)));
const entries =
  (name: string, pick: (spec: RunSpec) => Record<string, string>): FieldArgs =>
  (spec) =>
    Object.entries(pick(spec)).map(([k, v]) => flag(name, `${k}=${v}`));
const text =
  (name: string, pick: (spec: RunSpec) => string): FieldArgs =>
  (spec) =>
    pick(spec) === '' ? [] : [flag(name, pick(spec))];
const num =
  (name: string, pick: (spec: RunSpec) => number, zero = 0): FieldArgs =>
  (spec) =>
    pick(spec) === zero ? [] : [flag(name, pick(spec))];
const bool =
  (name: string, pick: (spec: RunSpec) => boolean): FieldArgs =>
  (spec) =>
    pick(spec) ? [`--${name}`] : [];
const none: FieldArgs = () => [];

/** Go's encoding/csv quoting of one field, as docker reads --mount, --network and --gpus. */
export function csvField(field: string): string {
  return /[",\n\r]/.test(field) || field.startsWith(' ') ? `"${field.replaceAll('"', '""')}"` : field;
}

/** Nanoseconds as a Go duration docker parses back exactly. */
export function goDuration(ns: number): string {
  return `${ns}ns`;
}

/** A decimal number of CPUs from nano-CPUs, exact (no binary floating point on the way). */
export function cpusText(nanoCpus: number): string {
  const whole = Math.trunc(nanoCpus / 1e9);
  const frac = String(nanoCpus % 1e9)
    .padStart(9, '0')
    .replace(/0+$/, '');
  return frac === '' ? String(whole) : `${whole}.${frac}`;
}

/** docker's --mount value for a mount; `hidden` given, its passwords are left to variables. */
export function mountFlag(m: Mount, hidden?: HiddenPassword[]): string {
  const fields = [`type=${m.Type}`];
  if (m.Source !== undefined) fields.push(`source=${m.Source}`);
  fields.push(`target=${m.Target}`);
  if (m.ReadOnly === true) fields.push('readonly');
  if (m.Consistency !== undefined) fields.push(`consistency=${m.Consistency}`);
  const b = m.BindOptions;
  if (b !== undefined) {
    const before = fields.length;
    if (b.Propagation !== undefined) fields.push(`bind-propagation=${b.Propagation}`);
    if (b.NonRecursive === true) fields.push('bind-nonrecursive');
    if (b.ReadOnlyNonRecursive === true) fields.push('bind-recursive=writable');
    if (b.ReadOnlyForceRecursive === true) fields.push('bind-recursive=readonly');
    // Options given only at their zero value still create the (empty) options object.
    if (fields.length === before) fields.push('bind-nonrecursive=false');
  }
  const v = m.VolumeOptions;
  if (v !== undefined) {
    const before = fields.length;
    if (v.NoCopy === true) fields.push('volume-nocopy');
    if (v.Subpath !== undefined) fields.push(`volume-subpath=${v.Subpath}`);
    for (const [k, val] of Object.entries(v.Labels ?? {})) fields.push(`volume-label=${k}=${val}`);
    if (v.DriverConfig?.Name !== undefined) fields.push(`volume-driver=${v.DriverConfig.Name}`);
    let options = v.DriverConfig?.Options ?? {};
    if (hidden !== undefined) {
      const hiding = hideVolumePasswords(options, m.Source ?? m.Target, hidden);
      options = hiding.options;
      hidden.push(...hiding.hidden);
    }
    for (const [k, val] of Object.entries(options)) fields.push(`volume-opt=${k}=${val}`);
    if (fields.length === before) fields.push('volume-nocopy=false');
  }
  const t = m.TmpfsOptions;
  if (t !== undefined) {
    if (t.SizeBytes !== undefined) fields.push(`tmpfs-size=${t.SizeBytes}`);
    if (t.Mode !== undefined) fields.push(`tmpfs-mode=${t.Mode.toString(8)}`);
    if (t.SizeBytes === undefined && t.Mode === undefined) fields.push('tmpfs-size=0');
  }
  // A field standing for a password is quoted whatever it holds now: the variable's value may
  // hold a comma or a quote (written twice, as the note says).
  return fields.map((f) => (holdsVariable(f) ? `"${f.replaceAll('"', '""')}"` : csvField(f))).join(',');
}

function volumeFlag(m: MountSpec, ctx: ArgsContext): string[] {
  switch (m.via) {
    case 'volume':
      return [flag('volume', m.kind === 'anonymous' ? m.target : m.raw)];
    case 'tmpfs':
      return [flag('tmpfs', m.options === '' ? m.target : `${m.target}:${m.options}`)];
    case 'mount':
      // --use-api-socket makes this mount itself.
      return m.apiSocket === true
        ? []
        : [flag('mount', mountFlag(m.mount, ctx.hideSecrets ? (ctx.hidden ?? []) : undefined))];
  }
}

function networkFlag(n: NetworkAttachment): string {
  const plain =
    n.aliases.length === 0 &&
    n.ipv4 === '' &&
    n.ipv6 === '' &&
    n.macAddress === '' &&
    n.linkLocalIps.length === 0 &&
    n.driverOpts === undefined &&
    n.gwPriority === 0;
  if (plain && !/\w+=\w+/.test(n.target)) return flag('network', n.target);
  const fields = [`name=${n.target}`];
  for (const a of n.aliases) fields.push(`alias=${a}`);
  if (n.ipv4 !== '') fields.push(`ip=${n.ipv4}`);
  if (n.ipv6 !== '') fields.push(`ip6=${n.ipv6}`);
  if (n.macAddress !== '') fields.push(`mac-address=${n.macAddress}`);
  for (const l of n.linkLocalIps) fields.push(`link-local-ip=${l}`);
  for (const [k, v] of Object.entries(n.driverOpts ?? {})) fields.push(`driver-opt=${k}=${v}`);
  if (n.gwPriority !== 0) fields.push(`gw-priority=${n.gwPriority}`);
  return flag('network', fields.map(csvField).join(','));
}

function gpuFlag(r: DeviceRequest): string {
  const fields: string[] = [];
  if (r.Driver !== '') fields.push(`driver=${r.Driver}`);
  fields.push(`count=${r.Count === -1 ? 'all' : r.Count}`);
  if (r.DeviceIDs !== null) fields.push(`device=${r.DeviceIDs.join(',')}`);
  // The parser adds "gpu" to the capabilities it reads.
  const caps = (r.Capabilities?.[0] ?? []).slice(0, -1);
  if (caps.length > 0) fields.push(`capabilities=${caps.join(',')}`);
  const options = Object.entries(r.Options ?? {}).map(([k, v]) => csvField(`${k}=${v}`));
  if (options.length > 0) fields.push(`options=${options.join(',')}`);
  return flag('gpus', fields.map(csvField).join(','));
}

function publishText(p: RunSpec['ports'][number]): string {
  const host = p.hostIp.includes(':') ? `[${p.hostIp}]` : p.hostIp;
  if (host === '' && p.hostPort === '') return p.port;
  return `${host === '' ? '' : `${host}:`}${p.hostPort}:${p.port}`;
}

const envArgs: FieldArgs = (spec, ctx) =>
  spec.env.map((entry) => {
    const eq = entry.indexOf('=');
    // A credential is passed by name: docker takes its value from the caller's environment.
    if (ctx.hideSecrets && eq > 0 && envSecret(entry) !== undefined) return flag('env', entry.slice(0, eq));
    return flag('env', entry);
  });

const securityOptArgs: FieldArgs = (spec, ctx, gaps) => {
  const out = spec.securityOpt.map((o) => {
    if (o.key !== 'seccomp' || o.value === 'unconfined' || o.value === 'builtin') return flag('security-opt', o.raw);
    const path = ctx.profilePath(o);
    if (path === undefined) {
      gaps.push({ field: 'securityOpt', why: 'the seccomp profile has no file to name' });
      return flag('security-opt', 'seccomp=PROFILE.json');
    }
    return flag('security-opt', `seccomp=${path}`);
  });
  if (spec.maskedPaths !== null && spec.maskedPaths.length === 0)
    out.push(flag('security-opt', 'systempaths=unconfined'));
  else if (spec.maskedPaths !== null || spec.readonlyPaths !== null) {
    gaps.push({ field: 'maskedPaths', why: 'docker run sets masked and read-only paths only all or none' });
  }
  return out;
};

const healthArgs: FieldArgs = (spec, _ctx, gaps) => {
  const h = spec.healthcheck;
  if (h === undefined) return [];
  const out: string[] = [];
  const test = h.Test ?? [];
  if (test[0] === 'NONE') return ['--no-healthcheck'];
  if (test[0] === 'CMD-SHELL' && test.length === 2) out.push(flag('health-cmd', test[1] ?? ''));
  else if (test.length > 0)
    gaps.push({
      field: 'healthcheck',
      why: `docker run writes a check as a shell command only, not ${JSON.stringify(test)}`,
    });
  if (h.Interval !== undefined) out.push(flag('health-interval', goDuration(h.Interval)));
  if (h.Timeout !== undefined) out.push(flag('health-timeout', goDuration(h.Timeout)));
  if (h.StartPeriod !== undefined) out.push(flag('health-start-period', goDuration(h.StartPeriod)));
  if (h.StartInterval !== undefined) out.push(flag('health-start-interval', goDuration(h.StartInterval)));
  if (h.Retries !== undefined) out.push(flag('health-retries', h.Retries));
  return out;
};

const restartArgs: FieldArgs = (spec) => {
  const r = spec.restart;
  if (r.Name === 'no' || r.Name === '') return [];
  return [flag('restart', r.MaximumRetryCount > 0 ? `${r.Name}:${r.MaximumRetryCount}` : r.Name)];
};

export const ARGS: { readonly [F in SpecField]: FieldArgs } = {
  image: none,
  command: none,
  entrypoint: (spec, _ctx, gaps) => {
    const e = spec.entrypoint;
    if (e === null) return [];
    if (e.length > 1)
      gaps.push({ field: 'entrypoint', why: '--entrypoint takes one word; the rest is written before the command' });
    return [flag('entrypoint', e[0] ?? '')];
  },
  user: text('user', (s) => s.user),
  workdir: text('workdir', (s) => s.workdir),
  env: envArgs,
  groupAdd: each('group-add', (s) => s.groupAdd),
  hostname: text('hostname', (s) => s.hostname),
  domainname: text('domainname', (s) => s.domainname),
  labels: entries('label', (s) => s.labels),
  annotations: entries('annotation', (s) => s.annotations),
  stopSignal: text('stop-signal', (s) => s.stopSignal),
  stopTimeout: (s) => (s.stopTimeout === undefined ? [] : [flag('stop-timeout', s.stopTimeout)]),
  init: (s) => (s.init === undefined ? [] : [flag('init', String(s.init))]),
  healthcheck: healthArgs,
  name: text('name', (s) => s.name),
  platform: text('platform', (s) => s.platform),
  detach: bool('detach', (s) => s.detach),
  detachKeys: (s) => (s.detachKeys === undefined ? [] : [flag('detach-keys', s.detachKeys)]),
  interactive: bool('interactive', (s) => s.interactive),
  tty: bool('tty', (s) => s.tty),
  attach: each('attach', (s) => s.attach),
  sigProxy: (s) => (s.sigProxy ? [] : [flag('sig-proxy', 'false')]),
  quiet: bool('quiet', (s) => s.quiet),
  pull: (s) => (s.pull === 'missing' ? [] : [flag('pull', s.pull)]),
  cidfile: text('cidfile', (s) => s.cidfile),
  autoRemove: bool('rm', (s) => s.autoRemove),
  useApiSocket: bool('use-api-socket', (s) => s.useApiSocket),
  privileged: bool('privileged', (s) => s.privileged),
  capAdd: each('cap-add', (s) => normalizeCapabilities(s.capAdd)),
  capDrop: each('cap-drop', (s) => normalizeCapabilities(s.capDrop)),
  securityOpt: securityOptArgs,
  // Written with securityOpt: systempaths=unconfined empties both.
  maskedPaths: none,
  readonlyPaths: none,
  readOnly: bool('read-only', (s) => s.readOnly),
  runtime: text('runtime', (s) => s.runtime),
  isolation: text('isolation', (s) => s.isolation),
  cgroupParent: text('cgroup-parent', (s) => s.cgroupParent),
  pid: text('pid', (s) => s.pid),
  ipc: text('ipc', (s) => s.ipc),
  uts: text('uts', (s) => s.uts),
  userns: text('userns', (s) => s.userns),
  cgroupns: text('cgroupns', (s) => s.cgroupns),
  mounts: (s, ctx) => s.mounts.flatMap((m) => volumeFlag(m, ctx)),
  volumesFrom: each('volumes-from', (s) => s.volumesFrom),
  volumeDriver: text('volume-driver', (s) => s.volumeDriver),
  storageOpt: entries('storage-opt', (s) => s.storageOpt),
  networks: (s) => s.networks.map(networkFlag),
  networkAliases: each('network-alias', (s) => s.networkAliases),
  ip: text('ip', (s) => s.ip),
  ip6: text('ip6', (s) => s.ip6),
  macAddress: text('mac-address', (s) => s.macAddress),
  linkLocalIps: each('link-local-ip', (s) => s.linkLocalIps),
  links: each('link', (s) => s.links),
  ports: each('publish', (s) => s.ports, publishText),
  expose: each('expose', (s) => s.expose),
  publishAll: bool('publish-all', (s) => s.publishAll),
  dns: each('dns', (s) => s.dns),
  dnsOptions: each('dns-option', (s) => s.dnsOptions),
  dnsSearch: each('dns-search', (s) => s.dnsSearch),
  extraHosts: each('add-host', (s) => s.extraHosts),
  devices: each(
    'device',
    (s) => s.devices,
    (d) => `${d.PathOnHost}:${d.PathInContainer}:${d.CgroupPermissions}`,
  ),
  cdiDevices: each('device', (s) => s.cdiDevices),
  gpus: (s) => s.gpus.map(gpuFlag),
  deviceCgroupRules: each('device-cgroup-rule', (s) => s.deviceCgroupRules),
  sysctls: entries('sysctl', (s) => s.sysctls),
  ulimits: each(
    'ulimit',
    (s) => s.ulimits,
    (u) => `${u.Name}=${u.Soft}:${u.Hard}`,
  ),
  memory: num('memory', (s) => s.memory),
  memoryReservation: num('memory-reservation', (s) => s.memoryReservation),
  memorySwap: num('memory-swap', (s) => s.memorySwap),
  memorySwappiness: num('memory-swappiness', (s) => s.memorySwappiness, -1),
  kernelMemory: num('kernel-memory', (s) => s.kernelMemory),
  oomKillDisable: bool('oom-kill-disable', (s) => s.oomKillDisable),
  oomScoreAdj: num('oom-score-adj', (s) => s.oomScoreAdj),
  shmSize: num('shm-size', (s) => s.shmSize),
  nanoCpus: (s) => (s.nanoCpus === 0 ? [] : [flag('cpus', cpusText(s.nanoCpus))]),
  cpuShares: num('cpu-shares', (s) => s.cpuShares),
  cpuPeriod: num('cpu-period', (s) => s.cpuPeriod),
  cpuQuota: num('cpu-quota', (s) => s.cpuQuota),
  cpuRealtimePeriod: num('cpu-rt-period', (s) => s.cpuRealtimePeriod),
  cpuRealtimeRuntime: num('cpu-rt-runtime', (s) => s.cpuRealtimeRuntime),
  cpusetCpus: text('cpuset-cpus', (s) => s.cpusetCpus),
  cpusetMems: text('cpuset-mems', (s) => s.cpusetMems),
  pidsLimit: num('pids-limit', (s) => s.pidsLimit),
  blkioWeight: num('blkio-weight', (s) => s.blkioWeight),
  blkioWeightDevice: each(
    'blkio-weight-device',
    (s) => s.blkioWeightDevice,
    (d) => `${d.Path}:${d.Weight}`,
  ),
  blkioDeviceReadBps: each(
    'device-read-bps',
    (s) => s.blkioDeviceReadBps,
    (d) => `${d.Path}:${d.Rate}`,
  ),
  blkioDeviceWriteBps: each(
    'device-write-bps',
    (s) => s.blkioDeviceWriteBps,
    (d) => `${d.Path}:${d.Rate}`,
  ),
  blkioDeviceReadIOps: each(
    'device-read-iops',
    (s) => s.blkioDeviceReadIOps,
    (d) => `${d.Path}:${d.Rate}`,
  ),
  blkioDeviceWriteIOps: each(
    'device-write-iops',
    (s) => s.blkioDeviceWriteIOps,
    (d) => `${d.Path}:${d.Rate}`,
  ),
  cpuCount: num('cpu-count', (s) => s.cpuCount),
  cpuPercent: num('cpu-percent', (s) => s.cpuPercent),
  ioMaximumBandwidth: num('io-maxbandwidth', (s) => s.ioMaximumBandwidth),
  ioMaximumIOps: num('io-maxiops', (s) => s.ioMaximumIOps),
  logDriver: text('log-driver', (s) => s.logDriver),
  logOpts: entries('log-opt', (s) => s.logOpts),
  restart: restartArgs,
};

/** The flags of one field, as docker run writes them (for messages about that setting). */
export function fieldArgs(spec: RunSpec, field: SpecField, ctx: ArgsContext): string[] {
  return ARGS[field](spec, ctx, []);
}

/**
 * The whole `docker run` argument list after `run`: the flags in the model's field order, `--`,
 * the image, the command. Settings a flag cannot express are returned as gaps.
 */
export function renderArgs(spec: RunSpec, ctx: ArgsContext): { words: string[]; gaps: ArgsGap[] } {
  const gaps: ArgsGap[] = [];
  const words = (Object.keys(ARGS) as SpecField[]).flatMap((f) => ARGS[f](spec, ctx, gaps));
  const entry = spec.entrypoint ?? [];
  const command = [...entry.slice(1), ...(spec.command ?? [])];
  if (entry.length > 1 && spec.command === null) {
    gaps.push({ field: 'command', why: "the image's CMD no longer follows the entrypoint's further words" });
  }
  return { words: [...words, spec.image, ...command], gaps };
}
