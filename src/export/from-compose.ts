/**
 * One Compose service → a layer of the run model. Each key the service sets becomes the docker run
 * options that say the same (one table, below), converted by toSpec like your flags: one
 * conversion, docker's checks, and the provenance names the file, the service and the key. Paths
 * are relative to the Compose file's folder, as docker-compose reads them.
 */
import type { OptionValue } from '../docker-cli/parsed-run.js';
import { toSpec, type SourcedOption } from '../docker-cli/to-spec.js';
import { SafedockError } from '../errors.js';
import { shellSplit } from '../grammar/shell-split.js';
import { goParseDuration } from '../grammar/units.js';
import type { SpecLayer, Source } from '../model/provenance.js';
import type { Healthcheck } from '../model/run-spec.js';
import { csvField, mountFlag } from './args.js';
import type { Mount } from '../api/create-body.js';

type Value = unknown;
export interface ComposeContext {
  /** The Compose file, as messages name it. */
  file: string;
  /** Its folder: relative paths are read from there. */
  dir: string;
  service: string;
  /** The file's top-level `secrets:` (name → file). */
  secrets: Record<string, string>;
  /** The file's top-level `volumes:` (a named volume's driver and options are declared there). */
  volumes?: Record<string, Value>;
  env: NodeJS.ProcessEnv;
}

export class ComposeKeyError extends SafedockError {}

const str = (v: Value): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
const list = (v: Value): Value[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const map = (v: Value): Record<string, Value> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, Value>) : {};
/** A mapping, or a list of KEY=VALUE strings (Compose accepts both for environment, labels, sysctls …). */
function pairs(v: Value, sep = '='): Array<[string, Value]> {
  if (Array.isArray(v)) {
    return v.map((e) => {
      const s = str(e);
      const at = s.indexOf(sep);
      return at < 0 ? [s, null] : [s.slice(0, at), s.slice(at + 1)];
    });
  }
  return Object.entries(map(v));
}
const opt = (name: string, value: Value): OptionValue => ({ name, value: str(value) });
const many =
  (name: string) =>
  (v: Value): OptionValue[] =>
    list(v).map((x) => opt(name, x));
const one =
  (name: string) =>
  (v: Value): OptionValue[] => [opt(name, v)];
const flag =
  (name: string) =>
  (v: Value): OptionValue[] => [opt(name, v === true || v === 'true' ? 'true' : 'false')];
const durationSeconds = (v: Value): number => Math.round(goParseDuration(str(v)) / 1e9);

/** What a key does besides options: a setting toSpec has no flag for (a CMD-form health check). */
interface Extra {
  healthcheck?: Healthcheck;
  secrets?: Array<{ name: string; target: string }>;
}

type KeyRule = (value: Value, ctx: ComposeContext, extra: Extra) => OptionValue[];

function longVolume(v: Record<string, Value>, ctx: ComposeContext): OptionValue {
  const type = str(v.type ?? 'volume');
  const m: Mount = { Type: type, Target: str(v.target) };
  if (v.source !== undefined) {
    const source = str(v.source);
    m.Source = type === 'bind' && source.startsWith('.') ? `${ctx.dir}/${source}` : source;
  }
  if (v.read_only === true) m.ReadOnly = true;
  if (v.consistency !== undefined) m.Consistency = str(v.consistency);
  const bind = map(v.bind);
  if (bind.propagation !== undefined) m.BindOptions = { Propagation: str(bind.propagation) };
  if (map(v.volume).nocopy === true) m.VolumeOptions = { NoCopy: true };
  // A named volume's driver and options are declared at the top level; docker run gives them per mount.
  const declared = type === 'volume' && m.Source !== undefined ? map(ctx.volumes?.[m.Source]) : {};
  if (declared.driver !== undefined || declared.driver_opts !== undefined || declared.labels !== undefined) {
    const options = Object.fromEntries(Object.entries(map(declared.driver_opts)).map(([k, o]) => [k, str(o)]));
    m.VolumeOptions = {
      ...m.VolumeOptions,
      ...(declared.labels === undefined
        ? {}
        : { Labels: Object.fromEntries(pairs(declared.labels).map(([k, l]) => [k, str(l)])) }),
      DriverConfig: {
        ...(declared.driver === undefined ? {} : { Name: str(declared.driver) }),
        ...(Object.keys(options).length > 0 ? { Options: options } : {}),
      },
    };
  }
  if (map(v.tmpfs).size !== undefined) m.TmpfsOptions = { SizeBytes: Number(map(v.tmpfs).size) };
  return opt('mount', mountFlag(m));
}

function networkOptions(v: Value): OptionValue[] {
  if (Array.isArray(v)) return v.map((n) => opt('network', n));
  return Object.entries(map(v)).map(([name, cfg]) => {
    const c = map(cfg);
    const fields = [`name=${name}`];
    for (const a of list(c.aliases)) fields.push(`alias=${str(a)}`);
    if (c.ipv4_address !== undefined) fields.push(`ip=${str(c.ipv4_address)}`);
    if (c.ipv6_address !== undefined) fields.push(`ip6=${str(c.ipv6_address)}`);
    for (const l of list(c.link_local_ips)) fields.push(`link-local-ip=${str(l)}`);
    return opt('network', fields.length === 1 ? name : fields.map(csvField).join(','));
  });
}

function healthcheck(v: Value, _ctx: ComposeContext, extra: Extra): OptionValue[] {
  const h = map(v);
  if (h.disable === true) return [opt('no-healthcheck', 'true')];
  const check: Healthcheck = {};
  const test = typeof h.test === 'string' ? ['CMD-SHELL', h.test] : list(h.test).map(str);
  if (test.length > 0) check.Test = test;
  if (h.interval !== undefined) check.Interval = goParseDuration(str(h.interval));
  if (h.timeout !== undefined) check.Timeout = goParseDuration(str(h.timeout));
  if (h.start_period !== undefined) check.StartPeriod = goParseDuration(str(h.start_period));
  if (h.retries !== undefined) check.Retries = Number(h.retries);
  extra.healthcheck = check;
  return [];
}

/** What each service key says, as docker run options; keys a deployment tool reads itself map to none. */
export const COMPOSE_KEYS: Readonly<Record<string, KeyRule>> = {
  image: () => [],
  command: () => [],
  entrypoint: (v) => {
    // --entrypoint takes one word; the others go before the command (serviceLayer).
    const words = typeof v === 'string' ? shellSplit(v) : list(v).map(str);
    return [opt('entrypoint', words[0] ?? '')];
  },
  user: one('user'),
  working_dir: one('workdir'),
  environment: (v) =>
    pairs(v).map(([k, val]) => (val === null || val === undefined ? opt('env', k) : opt('env', `${k}=${str(val)}`))),
  group_add: many('group-add'),
  hostname: one('hostname'),
  domainname: one('domainname'),
  labels: (v) => pairs(v).map(([k, val]) => opt('label', `${k}=${val === null ? '' : str(val)}`)),
  stop_signal: one('stop-signal'),
  stop_grace_period: (v) => [opt('stop-timeout', durationSeconds(v))],
  init: flag('init'),
  healthcheck,
  platform: one('platform'),
  stdin_open: flag('interactive'),
  tty: flag('tty'),
  pull_policy: (v) => [opt('pull', str(v) === 'if_not_present' ? 'missing' : v)],
  privileged: flag('privileged'),
  cap_add: many('cap-add'),
  cap_drop: many('cap-drop'),
  security_opt: many('security-opt'),
  read_only: flag('read-only'),
  runtime: one('runtime'),
  isolation: one('isolation'),
  cgroup_parent: one('cgroup-parent'),
  pid: one('pid'),
  ipc: one('ipc'),
  userns_mode: one('userns'),
  volumes: (v, ctx) => list(v).map((x) => (typeof x === 'string' ? opt('volume', x) : longVolume(map(x), ctx))),
  tmpfs: many('tmpfs'),
  secrets: (v, ctx, extra) => {
    const out: OptionValue[] = [];
    for (const s of list(v)) {
      const name = typeof s === 'string' ? s : str(map(s).source);
      const given = typeof s === 'string' || map(s).target === undefined ? name : str(map(s).target);
      const target = given.startsWith('/') ? given : `/run/secrets/${given}`;
      const file = ctx.secrets[name];
      if (file === undefined) continue;
      out.push(
        opt('mount', ['type=bind', csvField(`source=${file}`), csvField(`target=${target}`), 'readonly'].join(',')),
      );
      (extra.secrets ??= []).push({ name, target });
    }
    return out;
  },
  volumes_from: (v) => list(v).map((x) => opt('volumes-from', str(x).replace(/^container:/, ''))),
  storage_opt: (v) => pairs(v).map(([k, val]) => opt('storage-opt', `${k}=${str(val)}`)),
  network_mode: (v) => [opt('network', str(v).replace(/^service:/, 'container:'))],
  networks: networkOptions,
  mac_address: one('mac-address'),
  links: many('link'),
  external_links: many('link'),
  ports: (v) =>
    list(v).map((p) => {
      if (typeof p !== 'object' || p === null) return opt('publish', p);
      const l = map(p);
      const proto = l.protocol === undefined ? '' : `/${str(l.protocol)}`;
      return opt(
        'publish',
        `${l.host_ip === undefined ? '' : `${str(l.host_ip)}:`}${l.published === undefined ? '' : str(l.published)}:${str(l.target)}${proto}`,
      );
    }),
  expose: many('expose'),
  dns: many('dns'),
  dns_opt: many('dns-option'),
  dns_search: many('dns-search'),
  extra_hosts: (v) => pairs(v, ':').map(([h, ip]) => opt('add-host', `${h}:${str(ip)}`)),
  devices: many('device'),
  device_cgroup_rules: many('device-cgroup-rule'),
  sysctls: (v) => pairs(v).map(([k, val]) => opt('sysctl', `${k}=${str(val)}`)),
  ulimits: (v) =>
    Object.entries(map(v)).map(([name, l]) => {
      const limit = map(l);
      return typeof l === 'object'
        ? opt('ulimit', `${name}=${str(limit.soft)}:${str(limit.hard)}`)
        : opt('ulimit', `${name}=${str(l)}`);
    }),
  mem_limit: one('memory'),
  mem_reservation: one('memory-reservation'),
  memswap_limit: one('memory-swap'),
  mem_swappiness: one('memory-swappiness'),
  oom_kill_disable: flag('oom-kill-disable'),
  oom_score_adj: one('oom-score-adj'),
  shm_size: one('shm-size'),
  cpus: one('cpus'),
  cpu_shares: one('cpu-shares'),
  cpu_period: one('cpu-period'),
  cpu_quota: one('cpu-quota'),
  cpu_rt_period: one('cpu-rt-period'),
  cpu_rt_runtime: one('cpu-rt-runtime'),
  cpuset: one('cpuset-cpus'),
  cpu_count: one('cpu-count'),
  cpu_percent: one('cpu-percent'),
  pids_limit: one('pids-limit'),
  blkio_config: (v) => {
    const b = map(v);
    const out: OptionValue[] = [];
    if (b.weight !== undefined) out.push(opt('blkio-weight', b.weight));
    for (const d of list(b.weight_device))
      out.push(opt('blkio-weight-device', `${str(map(d).path)}:${str(map(d).weight)}`));
    for (const [key, name] of [
      ['device_read_bps', 'device-read-bps'],
      ['device_write_bps', 'device-write-bps'],
      ['device_read_iops', 'device-read-iops'],
      ['device_write_iops', 'device-write-iops'],
    ] as const) {
      for (const d of list(b[key])) out.push(opt(name, `${str(map(d).path)}:${str(map(d).rate)}`));
    }
    return out;
  },
  logging: (v) => {
    const l = map(v);
    return [
      ...(l.driver === undefined ? [] : [opt('log-driver', l.driver)]),
      ...Object.entries(map(l.options)).map(([k, val]) => opt('log-opt', `${k}=${str(val)}`)),
    ];
  },
  restart: (v) => [opt('restart', str(v) === 'false' ? 'no' : v)],
  container_name: one('name'),
};

/** Keys the deployment tool reads itself (how to build, order, scale): nothing a container is run with. */
export const TOOL_KEYS = new Set(['build', 'depends_on', 'profiles', 'scale', 'deploy', 'env_file', 'x-safedock']);

/** The service's command as the run's positional words. */
function commandWords(v: Value): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? shellSplit(v) : list(v).map(str);
}

/**
 * The service as a layer of the model. Unknown keys are returned (not judged), never dropped silently.
 */
export function serviceLayer(
  service: Record<string, Value>,
  ctx: ComposeContext,
): { layer: SpecLayer; unknown: string[] } {
  const options: SourcedOption[] = [];
  const extra: Extra = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(service)) {
    if (key.startsWith('x-') || TOOL_KEYS.has(key)) continue;
    const rule = COMPOSE_KEYS[key];
    if (rule === undefined) {
      unknown.push(key);
      continue;
    }
    const source: Source = { kind: 'compose', file: ctx.file, service: ctx.service, key };
    for (const o of rule(value, ctx, extra)) options.push({ ...o, source });
  }
  const entry =
    typeof service.entrypoint === 'string' ? shellSplit(service.entrypoint) : list(service.entrypoint).map(str);
  const command = [...entry.slice(1), ...(commandWords(service.command) ?? [])];
  let layer: SpecLayer;
  try {
    layer = toSpec(options, { image: str(service.image ?? ''), command }, { env: ctx.env, cwd: ctx.dir });
  } catch (err) {
    if (!(err instanceof SafedockError)) throw err;
    const culprit =
      options.find((o) => o.value !== '' && err.message.includes(o.value)) ??
      options.find((o) => err.message.includes(`--${o.name}`));
    const key = culprit?.source.kind === 'compose' ? culprit.source.key : undefined;
    throw new ComposeKeyError(
      `compose file ${ctx.file}: services.${ctx.service}${key === undefined ? '' : `.${key}`}: ${err.message}`,
      {
        code: 'compose-invalid',
        cause: err,
        hint: `Fix the service ${ctx.service} in ${ctx.file}.`,
      },
    );
  }
  // No command in the service: the image's CMD, as docker-compose runs it.
  if (service.command === undefined && entry.length <= 1) layer.spec.command = null;
  if (layer.spec.command === null) delete layer.spec.command;
  const source: Source = { kind: 'compose', file: ctx.file, service: ctx.service, key: 'healthcheck' };
  if (extra.healthcheck !== undefined) {
    layer.spec.healthcheck = extra.healthcheck;
    layer.provenance.set('healthcheck', { source, flag: 'healthcheck', text: JSON.stringify(service.healthcheck) });
  }
  for (const s of extra.secrets ?? []) {
    const m = layer.spec.mounts?.find((mount) => mount.via === 'mount' && mount.target === s.target);
    if (m?.via === 'mount') m.secret = s.name;
  }
  return { layer, unknown };
}
