/**
 * docker run options → one layer of the run model (src/model/run-spec.ts): docker CLI 28's opts.go
 * `parse` plus the run.go steps that change what is sent, table-driven. Pass 1 runs each option's
 * setter (src/docker-cli/run-flags.ts) in argv order; pass 2 converts the collected values field by
 * field in docker's order of checks, so the first error is the one docker prints. Files (env files,
 * label files, seccomp profiles) are read here, once.
 *
 * A layer holds only the fields its options set ("not given" differs from a zero value), and says
 * for each field and keyed item which option set it. The user's argv is one layer, a preset another;
 * src/model/merge.ts puts them together.
 */
import { usageError, usageErrorExit1, invalidArgument } from '../grammar/usage-errors.js';
import { SafedockError } from '../errors.js';
import { ValueError } from '../grammar/value-error.js';
import { dedupeEnv } from '../grammar/env.js';
import { maskOptionSecrets } from '../grammar/mount-secrets.js';
import { kvStringsToMap } from '../grammar/labels.js';
import { readKvFile } from '../grammar/kv-file.js';
import { volumeMount } from '../grammar/volumes.js';
import { parsePublish, parseExpose } from '../grammar/ports.js';
import { isCdiName, parseDevices } from '../grammar/devices.js';
import { isGoMac } from '../grammar/go-ip.js';
import { isNoRestart, parseRestartPolicy } from '../grammar/restart.js';
import { validateNamespaceModes } from '../grammar/namespaces.js';
import { convertSecurityOpt, readSecurityOpt, SYSTEMPATHS_UNCONFINED } from '../grammar/security-opt.js';
import { normalizeCapabilities } from '../grammar/capabilities.js';
import { versionLess } from '../grammar/network.js';
import { buildNetworks } from '../model/networks.js';
import { itemKeyOf } from '../model/merge-rules.js';
import { provenanceKey, type Origin, type Provenance, type SpecLayer, type Source } from '../model/provenance.js';
import type { Healthcheck, MountSpec, PullPolicy, RunSpec, SecurityOpt, SpecField, Stream } from '../model/run-spec.js';
import { emptyCollected, type At, type Collected, type CollectContext } from './collect.js';
import type { OptionValue } from './parsed-run.js';
import { findLongFlag, flagDisplayName } from './run-flags.js';

/** One option and who gave it. */
export interface SourcedOption extends OptionValue {
  source: Source;
}

export type { SpecLayer } from '../model/provenance.js';

export interface SpecContext extends CollectContext {
  /** The engine's unix socket (for --use-api-socket); undefined when the engine is not a unix socket. */
  engineSocket?: string | undefined;
  /** How the engine was named, for --use-api-socket's error (docker names the endpoint). */
  engineHost?: string;
}

/** The API version no engine lacks: flags gated above it are checked once the engine answers. */
const ANY_API = '999.0';

/** Pass 1: every option's setter in argv order, as pflag runs them while parsing. */
export function collectOptions(options: readonly OptionValue[], ctx: CollectContext): Collected {
  const c = emptyCollected();
  options.forEach((opt, at) => {
    const row = findLongFlag(opt.name);
    if (row === undefined) throw usageError(`unknown flag: --${opt.name}`);
    try {
      row.set(opt.value, c, ctx, row.name, at);
    } catch (err) {
      if (!(err instanceof ValueError)) throw err;
      // The parser's words may quote the value too: a mount's password is masked in them as well.
      const why = row.secret === undefined ? err.message : maskOptionSecrets(err.message);
      throw invalidArgument(row.secret?.(opt.value) ?? opt.value, flagDisplayName(row), why);
    }
  });
  return c;
}

/**
 * docker's areFlagsSupported: every given flag the engine cannot honour, in pflag's (sorted) order,
 * one line each; docker exits 1. Without an API version, only the platform is checked.
 */
export function checkFlagSupport(flags: Iterable<string>, apiVersion = ANY_API): void {
  const errors: string[] = [];
  for (const name of [...new Set(flags)].sort()) {
    const row = findLongFlag(name);
    if (row?.minApi !== undefined && versionLess(apiVersion, row.minApi)) {
      errors.push(`"--${name}" requires API version ${row.minApi}, but the Docker daemon API version is ${apiVersion}`);
    } else if (row?.windowsOnly === true) {
      errors.push(
        `"--${name}" is only supported on a Docker daemon running on windows, but the Docker daemon is running on linux`,
      );
    }
  }
  if (errors.length > 0)
    throw usageErrorExit1(errors.join('\n'), 'Leave the flag out: this engine does not support it.');
}

/** docker's ContentTrustEnabled: DOCKER_CONTENT_TRUST set to anything but a false boolean. */
function contentTrustEnabled(env: NodeJS.ProcessEnv): boolean {
  const e = env.DOCKER_CONTENT_TRUST;
  if (e === undefined || e === '') return false;
  return !['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(e);
}

const PULL_POLICIES: Record<string, PullPolicy> = {
  '': 'missing',
  missing: 'missing',
  always: 'always',
  never: 'never',
};

/** The run's positional arguments: the image and the command after it. */
export interface Positionals {
  image: string;
  command: readonly string[];
}

/**
 * Convert options (a user's argv, or a preset's settings) into a layer of the model, with docker's
 * errors. `positionals` is given for the user's layer only.
 */
export function toSpec(
  options: readonly SourcedOption[],
  positionals: Positionals | undefined,
  ctx: SpecContext,
): SpecLayer {
  const c = collectOptions(options, ctx);
  const spec: Partial<RunSpec> = {};
  const provenance: Provenance = new Map();
  const origin = (at: number): Origin => {
    const o = options[at];
    if (o === undefined) throw new Error(`no option at ${at}`);
    return { source: o.source, flag: o.name, text: o.value };
  };
  /** Records which option set a field (and, for keyed fields, which set each item). */
  const mark = (field: SpecField, at: number, item?: string): void => {
    provenance.set(provenanceKey(field), origin(at));
    if (item !== undefined) provenance.set(provenanceKey(field, item), origin(at));
  };
  const markItem = (field: SpecField, item: unknown, at: number): void => mark(field, at, itemKeyOf(field, item));
  const scalar = (name: string): At<string> | undefined => c.scalar.get(name);
  const list = (name: string): Array<At<string>> => c.list.get(name) ?? [];
  const values = (name: string): string[] => list(name).map((v) => v.value);
  const num = (name: string): At<number> | undefined => c.number.get(name);
  const bool = (v: At<string> | undefined): boolean => v?.value === 'true';
  const setScalarField = <F extends SpecField>(field: F, v: At<unknown> | undefined, value: RunSpec[F]): void => {
    if (v === undefined) return;
    spec[field] = value;
    mark(field, v.at);
  };
  const setString = (
    field: SpecField & keyof { [K in SpecField as RunSpec[K] extends string ? K : never]: 1 },
    name: string,
  ): void => {
    const v = scalar(name);
    if (v !== undefined) setScalarField(field, v, v.value as never);
  };
  const setBool = (
    field: SpecField & keyof { [K in SpecField as [RunSpec[K]] extends [boolean | undefined] ? K : never]: 1 },
    name: string,
  ): void => {
    const v = scalar(name);
    if (v !== undefined) setScalarField(field, v, (v.value === 'true') as never);
  };
  const setNumber = (
    field: SpecField & keyof { [K in SpecField as RunSpec[K] extends number ? K : never]: 1 },
    name: string,
  ): void => {
    const v = num(name);
    if (v !== undefined) setScalarField(field, v, v.value as never);
  };

  // cobra's pre-run hook: flags this platform cannot honour (API versions are checked at plan time).
  checkFlagSupport(options.map((o) => o.name));

  // run.go: the pull option is checked before anything else.
  const pullGiven = scalar('pull');
  if (pullGiven !== undefined) {
    const pull = PULL_POLICIES[pullGiven.value];
    if (pull === undefined) {
      throw usageError(`invalid pull option: '${pullGiven.value}': must be one of "always", "missing" or "never"`);
    }
    setScalarField('pull', pullGiven, pull);
  }

  // opts.go parse: MAC address, then swappiness.
  const mac = scalar('mac-address');
  if (mac !== undefined && mac.value !== '' && !isGoMac(mac.value.trim())) {
    throw usageError(`${mac.value} is not a valid mac address`);
  }
  const swappiness = num('memory-swappiness');
  if (swappiness !== undefined && swappiness.value !== -1 && (swappiness.value < 0 || swappiness.value > 100)) {
    throw usageError(`invalid value: ${swappiness.value}. Valid memory swappiness range is 0-100`);
  }
  setNumber('memorySwappiness', 'memory-swappiness');

  if (positionals !== undefined) {
    spec.image = positionals.image;
    spec.command = positionals.command.length > 0 ? [...positionals.command] : null;
  }

  // Attach and stdin: the body's Attach*/OpenStdin/StdinOnce follow from these in toCreateBody.
  const attach = list('attach');
  if (attach.length > 0) {
    spec.attach = attach.map((a) => a.value as Stream);
    mark('attach', attach.at(-1)?.at ?? 0);
  }
  setBool('interactive', 'interactive');
  setBool('tty', 'tty');

  // Mounts: -v (binds and anonymous volumes), then --tmpfs; --mount below, in docker's order.
  const mounts: Array<At<MountSpec>> = [];
  const seenVolumes = new Set<string>();
  for (const v of list('volume')) {
    // docker keeps -v values in a map: a repeated value is one mount.
    if (seenVolumes.has(v.value)) continue;
    seenVolumes.add(v.value);
    mounts.push({ value: volumeMount(v.value, ctx.cwd), at: v.at });
  }
  for (const t of list('tmpfs')) {
    const colon = t.value.indexOf(':');
    const target = colon < 0 ? t.value : t.value.slice(0, colon);
    mounts.push({ value: { via: 'tmpfs', target, options: colon < 0 ? '' : t.value.slice(colon + 1) }, at: t.at });
  }

  // Entrypoint: `--entrypoint=` resets the image's entrypoint.
  const entrypoint = scalar('entrypoint');
  if (entrypoint !== undefined) setScalarField('entrypoint', entrypoint, [entrypoint.value]);

  // Ports: -p (with its bindings) and --expose (exposed only).
  const publish = list('publish');
  const ports = publish.flatMap((p) => parsePublish(p.value).map((port) => ({ value: port, at: p.at })));
  for (const e of list('expose')) parseExpose(e.value);
  if (publish.length > 0) {
    spec.ports = ports.map((p) => p.value);
    for (const p of ports) markItem('ports', p.value, p.at);
  }
  const expose = list('expose');
  if (expose.length > 0) {
    const exposed = expose.flatMap((e) => parseExpose(e.value).map((port) => ({ value: port, at: e.at })));
    spec.expose = exposed.map((e) => e.value);
    for (const e of exposed) markItem('expose', e.value, e.at);
  }

  // Devices: host paths validated now; CDI names become one "cdi" device request.
  const deviceValues = list('device');
  const devices = parseDevices(deviceValues.map((d) => d.value));
  if (deviceValues.length > 0) {
    spec.devices = devices.devices;
    spec.cdiDevices = devices.cdi;
    let next = 0;
    for (const d of deviceValues) {
      if (isCdiName(d.value)) {
        mark('cdiDevices', d.at);
      } else {
        const mapped = devices.devices[next++];
        if (mapped !== undefined) markItem('devices', mapped, d.at);
      }
    }
  }

  // Environment: env files first (in order), then -e (deduplicated by name, as docker's map does).
  const envFiles = list('env-file');
  const envFlags = list('env');
  if (envFiles.length > 0 || envFlags.length > 0) {
    const lookup = (key: string): string | undefined => ctx.env[key];
    const fromFiles = envFiles.flatMap((f) =>
      readKvFile(f.value, ctx.cwd, lookup).map((e) => ({ value: e, at: f.at })),
    );
    const lastAt = new Map(envFlags.map((e) => [e.value.split('=')[0] ?? '', e.at]));
    const fromFlags = dedupeEnv(envFlags.map((e) => e.value)).map((e) => ({
      value: e,
      at: lastAt.get(e.split('=')[0] ?? '') ?? 0,
    }));
    const env = [...fromFiles, ...fromFlags];
    spec.env = env.map((e) => e.value);
    for (const e of env) markItem('env', e.value, e.at);
  }

  // Labels: label files first, then -l; later keys win.
  const labelFiles = list('label-file');
  const labelFlags = list('label');
  if (labelFiles.length > 0 || labelFlags.length > 0) {
    const entries = [
      ...labelFiles.flatMap((f) => readKvFile(f.value, ctx.cwd, undefined).map((e) => ({ value: e, at: f.at }))),
      ...labelFlags,
    ];
    spec.labels = kvStringsToMap(entries.map((e) => e.value));
    for (const e of entries) mark('labels', e.at, e.value.split('=')[0] ?? '');
  }

  validateNamespaceModes({
    pid: scalar('pid')?.value ?? '',
    uts: scalar('uts')?.value ?? '',
    userns: scalar('userns')?.value ?? '',
    cgroupns: scalar('cgroupns')?.value ?? '',
  });

  const restartGiven = scalar('restart');
  const restart = parseRestartPolicy(restartGiven?.value ?? 'no');
  setScalarField('restart', restartGiven, restart);

  // Logging.
  const logDriver = scalar('log-driver');
  const logOpts = list('log-opt');
  if (logDriver?.value === 'none' && logOpts.length > 0) throw usageError(`invalid logging opts for driver none`);
  setString('logDriver', 'log-driver');
  if (logOpts.length > 0) {
    spec.logOpts = kvStringsToMap(logOpts.map((o) => o.value));
    for (const o of logOpts) mark('logOpts', o.at, o.value.split('=')[0] ?? '');
  }

  // Security options: a seccomp=FILE becomes the file's JSON; systempaths=unconfined empties the masks.
  const securityValues = list('security-opt');
  if (securityValues.length > 0) {
    const entries: SecurityOpt[] = [];
    let unconfinedPaths = false;
    for (const v of securityValues) {
      const converted = convertSecurityOpt(v.value, ctx.cwd);
      if (converted.raw === SYSTEMPATHS_UNCONFINED) {
        unconfinedPaths = true;
        mark('maskedPaths', v.at);
        mark('readonlyPaths', v.at);
        continue;
      }
      const entry: SecurityOpt = { ...readSecurityOpt(converted.raw) };
      if (converted.file !== undefined) entry.file = converted.file;
      entries.push(entry);
      markItem('securityOpt', entry, v.at);
    }
    spec.securityOpt = entries;
    if (unconfinedPaths) {
      spec.maskedPaths = [];
      spec.readonlyPaths = [];
    }
  }

  const storageOpts = list('storage-opt');
  if (storageOpts.length > 0) {
    const map: Record<string, string> = {};
    for (const o of storageOpts) {
      const eq = o.value.indexOf('=');
      if (eq < 0) throw usageError('invalid storage option');
      map[o.value.slice(0, eq)] = o.value.slice(eq + 1);
      mark('storageOpt', o.at, o.value.slice(0, eq));
    }
    spec.storageOpt = map;
  }

  // Healthcheck.
  const health = healthcheck(c);
  if (health !== undefined) setScalarField('healthcheck', health, health.value);

  // Plain fields.
  setString('hostname', 'hostname');
  setString('domainname', 'domainname');
  setString('user', 'user');
  setString('workdir', 'workdir');
  setString('stopSignal', 'stop-signal');
  const stopTimeout = num('stop-timeout');
  if (stopTimeout !== undefined) setScalarField('stopTimeout', stopTimeout, stopTimeout.value);
  setString('cidfile', 'cidfile');
  setBool('autoRemove', 'rm');
  setBool('privileged', 'privileged');
  setBool('publishAll', 'publish-all');
  setBool('readOnly', 'read-only');
  setString('pid', 'pid');
  setString('ipc', 'ipc');
  setString('uts', 'uts');
  setString('userns', 'userns');
  setString('cgroupns', 'cgroupns');
  setList('groupAdd', list('group-add'));
  setList('dnsOptions', list('dns-option'));
  setList('dns', list('dns'));
  setList('dnsSearch', list('dns-search'));
  setList('extraHosts', list('add-host'));
  setList('volumesFrom', list('volumes-from'));
  setList('links', list('link'));
  setList('deviceCgroupRules', list('device-cgroup-rule'));
  setList('networkAliases', list('network-alias'));
  setList('linkLocalIps', list('link-local-ip'));
  const capAdd = list('cap-add');
  if (capAdd.length > 0) {
    spec.capAdd = normalizeCapabilities(capAdd.map((v) => v.value));
    for (const v of capAdd) markItem('capAdd', v.value, v.at);
  }
  const capDrop = list('cap-drop');
  if (capDrop.length > 0) {
    spec.capDrop = normalizeCapabilities(capDrop.map((v) => v.value));
    for (const v of capDrop) markItem('capDrop', v.value, v.at);
  }
  setNumber('memory', 'memory');
  setNumber('memoryReservation', 'memory-reservation');
  setNumber('memorySwap', 'memory-swap');
  setNumber('shmSize', 'shm-size');
  setNumber('nanoCpus', 'cpus');
  setNumber('pidsLimit', 'pids-limit');
  setString('cgroupParent', 'cgroup-parent');
  setNumber('kernelMemory', 'kernel-memory');
  setBool('oomKillDisable', 'oom-kill-disable');
  setNumber('oomScoreAdj', 'oom-score-adj');
  setNumber('cpuShares', 'cpu-shares');
  setNumber('cpuPeriod', 'cpu-period');
  setNumber('cpuQuota', 'cpu-quota');
  setNumber('cpuRealtimePeriod', 'cpu-rt-period');
  setNumber('cpuRealtimeRuntime', 'cpu-rt-runtime');
  setString('cpusetCpus', 'cpuset-cpus');
  setString('cpusetMems', 'cpuset-mems');
  setNumber('blkioWeight', 'blkio-weight');
  setBlkio('blkioWeightDevice', 'blkio-weight-device');
  setBlkio('blkioDeviceReadBps', 'device-read-bps');
  setBlkio('blkioDeviceWriteBps', 'device-write-bps');
  setBlkio('blkioDeviceReadIOps', 'device-read-iops');
  setBlkio('blkioDeviceWriteIOps', 'device-write-iops');
  setNumber('cpuCount', 'cpu-count');
  setNumber('cpuPercent', 'cpu-percent');
  setNumber('ioMaximumBandwidth', 'io-maxbandwidth');
  setNumber('ioMaximumIOps', 'io-maxiops');
  if (c.gpus.length > 0) {
    spec.gpus = c.gpus.map((g) => g.value);
    mark('gpus', c.gpus.at(-1)?.at ?? 0);
  }
  setString('volumeDriver', 'volume-driver');
  setString('isolation', 'isolation');
  setString('runtime', 'runtime');
  const sysctls = list('sysctl');
  if (sysctls.length > 0) {
    spec.sysctls = kvStringsToMap(sysctls.map((v) => v.value));
    for (const v of sysctls) mark('sysctls', v.at, v.value.split('=')[0] ?? '');
  }
  const annotations = list('annotation');
  if (annotations.length > 0) {
    spec.annotations = kvStringsToMap(annotations.map((v) => v.value));
    for (const v of annotations) mark('annotations', v.at, v.value.split('=')[0] ?? '');
  }
  if (c.ulimits.size > 0) {
    const ulimits = [...c.ulimits.values()];
    spec.ulimits = ulimits.map((u) => u.value);
    for (const u of ulimits) markItem('ulimits', u.value, u.at);
  }
  for (const m of c.mounts) mounts.push({ value: { via: 'mount', target: m.value.Target, mount: m.value }, at: m.at });
  setBool('init', 'init');

  if (spec.autoRemove === true && !isNoRestart(restart)) {
    throw usageError('conflicting options: cannot specify both --restart and --rm', 'Drop --rm, or drop --restart.');
  }

  // Networks: docker's checks of the --network entries with the container-wide flags.
  buildNetworks(
    c.networks.map((n) => n.value),
    {
      aliases: values('network-alias'),
      links: values('link'),
      ipv4: scalar('ip')?.value ?? '',
      ipv6: scalar('ip6')?.value ?? '',
      macAddress: mac?.value ?? '',
      linkLocalIps: values('link-local-ip'),
    },
  );
  if (c.networks.length > 0) {
    spec.networks = c.networks.map((n) => n.value);
    mark('networks', c.networks.at(-1)?.at ?? 0);
  }
  setString('ip', 'ip');
  setString('ip6', 'ip6');
  setString('macAddress', 'mac-address');

  // run.go: detach.
  const detach = scalar('detach');
  if (bool(detach) && attach.length > 0) {
    throw usageErrorExit1(
      'conflicting options: cannot specify both --attach and --detach',
      'Drop -a/--attach, or drop -d/--detach.',
    );
  }
  setScalarField('detach', detach, bool(detach));

  // createContainer: content trust, then --use-api-socket.
  const trust = scalar('disable-content-trust');
  const untrusted = trust !== undefined ? bool(trust) : !contentTrustEnabled(ctx.env);
  if (positionals !== undefined && !untrusted && !positionals.image.includes('@')) {
    throw new SafedockError('safedock does not verify signed images (docker content trust)', {
      code: 'unsupported',
      hint: 'Leave out --disable-content-trust=false and unset DOCKER_CONTENT_TRUST, or pin the image by digest (IMAGE@sha256:…).',
    });
  }
  const apiSocket = scalar('use-api-socket');
  if (bool(apiSocket) && apiSocket !== undefined) {
    if (ctx.engineSocket === undefined) {
      const host = ctx.engineHost ?? ctx.env.DOCKER_HOST ?? '';
      throw new SafedockError(
        `flag --use-api-socket can only be used with unix sockets: docker endpoint ${host} incompatible`,
        { code: 'usage', hint: 'Point DOCKER_HOST at a unix:// socket, or leave out --use-api-socket.' },
      );
    }
    setScalarField('useApiSocket', apiSocket, true);
    mounts.push({
      value: {
        via: 'mount',
        target: '/var/run/docker.sock',
        mount: { Type: 'bind', Source: ctx.engineSocket, Target: '/var/run/docker.sock', BindOptions: {} },
        apiSocket: true,
      },
      at: apiSocket.at,
    });
  } else if (apiSocket !== undefined) {
    setScalarField('useApiSocket', apiSocket, false);
  }

  if (mounts.length > 0) {
    spec.mounts = mounts.map((m) => m.value);
    for (const m of mounts) markItem('mounts', m.value, m.at);
  }

  // Client-side flags.
  setString('name', 'name');
  setString('platform', 'platform');
  const detachKeys = scalar('detach-keys');
  if (detachKeys !== undefined) setScalarField('detachKeys', detachKeys, detachKeys.value);
  setBool('sigProxy', 'sig-proxy');
  setBool('quiet', 'quiet');
  return { spec, provenance };

  function setList(
    field:
      | 'groupAdd'
      | 'dnsOptions'
      | 'dns'
      | 'dnsSearch'
      | 'extraHosts'
      | 'volumesFrom'
      | 'links'
      | 'deviceCgroupRules'
      | 'networkAliases'
      | 'linkLocalIps',
    given: Array<At<string>>,
  ): void {
    if (given.length === 0) return;
    spec[field] = given.map((g) => g.value);
    mark(field, given.at(-1)?.at ?? 0);
  }

  function setBlkio(
    field:
      | 'blkioWeightDevice'
      | 'blkioDeviceReadBps'
      | 'blkioDeviceWriteBps'
      | 'blkioDeviceReadIOps'
      | 'blkioDeviceWriteIOps',
    name: string,
  ): void {
    const given = c.blkio.get(name) ?? [];
    if (given.length === 0) return;
    spec[field] = given.map((g) => g.value) as never;
    mark(field, given.at(-1)?.at ?? 0);
  }
}

/** docker's healthcheck flags; undefined when none says anything. */
function healthcheck(c: Collected): At<Healthcheck> | undefined {
  const cmd = c.scalar.get('health-cmd');
  const nums = {
    interval: c.number.get('health-interval'),
    timeout: c.number.get('health-timeout'),
    startPeriod: c.number.get('health-start-period'),
    startInterval: c.number.get('health-start-interval'),
    retries: c.number.get('health-retries'),
  };
  const value = (n: At<number> | undefined): number => n?.value ?? 0;
  const haveHealth =
    (cmd?.value ?? '') !== '' ||
    value(nums.interval) !== 0 ||
    value(nums.timeout) !== 0 ||
    value(nums.startPeriod) !== 0 ||
    value(nums.retries) !== 0 ||
    value(nums.startInterval) !== 0;
  const none = c.scalar.get('no-healthcheck');
  const lastAt = Math.max(-1, cmd?.at ?? -1, ...Object.values(nums).map((n) => n?.at ?? -1), none?.at ?? -1);
  if (none?.value === 'true') {
    if (haveHealth) throw usageError('--no-healthcheck conflicts with --health-* options');
    return { value: { Test: ['NONE'] }, at: lastAt };
  }
  if (!haveHealth) return undefined;
  if (value(nums.interval) < 0) throw usageError('--health-interval cannot be negative');
  if (value(nums.timeout) < 0) throw usageError('--health-timeout cannot be negative');
  if (value(nums.retries) < 0) throw usageError('--health-retries cannot be negative');
  if (value(nums.startPeriod) < 0) throw usageError('--health-start-period cannot be negative');
  if (value(nums.startInterval) < 0) throw usageError('--health-start-interval cannot be negative');
  // Every HealthConfig field is omitempty.
  const h: Healthcheck = {};
  if ((cmd?.value ?? '') !== '') h.Test = ['CMD-SHELL', cmd?.value ?? ''];
  if (value(nums.interval) !== 0) h.Interval = value(nums.interval);
  if (value(nums.timeout) !== 0) h.Timeout = value(nums.timeout);
  if (value(nums.startPeriod) !== 0) h.StartPeriod = value(nums.startPeriod);
  if (value(nums.startInterval) !== 0) h.StartInterval = value(nums.startInterval);
  if (value(nums.retries) !== 0) h.Retries = value(nums.retries);
  return { value: h, at: lastAt };
}
