/**
 * The run model → one Compose service (compose.yaml), in the Compose specification's form without a
 * `version:` key, which Debian's docker-compose 1.29 runs as well. One entry per model field; what
 * Compose has no key for is reported as lost. The seccomp profile is referenced by a path relative
 * to the compose file (docker-compose reads the file; an inline profile fails there).
 */
import type { Mount } from '../api/create-body.js';
import type { MountSpec, RunSpec } from '../model/run-spec.js';
import { viewMount, type MountView } from '../model/mounts.js';
import { CLIENT, RUN_IT_WITH_DOCKER, WAITS_FOREVER } from './client-settings.js';
import {
  composeEnvironment,
  composeHealthcheck,
  composePort,
  composeRestart,
  isNetworkMode,
} from './compose-values.js';
import { isProfileEntry } from './profile.js';
import type { FieldTable, Gap } from './walk.js';
import { hiddenPasswordNote, hideVolumePasswords, type HiddenPassword } from './volume-passwords.js';

export type ComposeMap = Record<string, unknown>;

/** What the compose table writes into: the service, and the file's top-level sections. */
export interface ComposeOut {
  service: ComposeMap;
  volumes: Record<string, ComposeMap>;
  secrets: Record<string, ComposeMap>;
  networks: Record<string, ComposeMap>;
  notes: string[];
  /** The volume passwords the document leaves to variables (volume-passwords.ts). */
  passwords: HiddenPassword[];
  /** How the document names the seccomp profile (relative to the compose file, or absolute). */
  profileRef: string | undefined;
  /** The preset's isolated network, when the run joins it (see ExportContext). */
  isolatedNetwork?: string | undefined;
}

export function emptyComposeOut(profileRef: string | undefined, isolatedNetwork?: string): ComposeOut {
  return { service: {}, volumes: {}, secrets: {}, networks: {}, notes: [], passwords: [], profileRef, isolatedNetwork };
}

/** The bridge option that keeps containers on one network from reaching each other. */
const ICC_OPTION = 'com.docker.network.bridge.enable_icc';
/** The project's own network standing for safedock's isolated one. */
export const ISOLATED_KEY = 'isolated';

const set =
  (key: string, value: (spec: RunSpec) => unknown) =>
  (spec: RunSpec, out: ComposeOut): void => {
    out.service[key] = value(spec);
  };

const COMPOSE_V2 = 'the Compose specification has the key, docker-compose 1.29 refuses it';

/** stop_grace_period, in Compose and stack files alike. */
export function stopGracePeriod(s: RunSpec, out: ComposeOut): Gap[] {
  if ((s.stopTimeout ?? 0) < 0) return [WAITS_FOREVER];
  out.service.stop_grace_period = `${s.stopTimeout ?? 0}s`;
  return [];
}

/** One mount in Compose's long volume syntax; the parts it has no field for are gaps. */
function longVolume(m: Mount, gaps: Gap[], setting: string): ComposeMap {
  const v: ComposeMap = { type: m.Type, ...(m.Source === undefined ? {} : { source: m.Source }), target: m.Target };
  if (m.ReadOnly === true) v.read_only = true;
  const lose = (what: string): void => {
    gaps.push({ setting, why: `Compose's volume syntax has no ${what}`, instead: RUN_IT_WITH_DOCKER });
  };
  if (m.Consistency !== undefined) v.consistency = m.Consistency;
  if (m.BindOptions?.Propagation !== undefined) v.bind = { propagation: m.BindOptions.Propagation };
  if (m.BindOptions?.NonRecursive === true || m.BindOptions?.ReadOnlyNonRecursive === true) lose('recursion option');
  if (m.BindOptions?.ReadOnlyForceRecursive === true) lose('recursive read-only option');
  if (m.VolumeOptions?.NoCopy === true) v.volume = { nocopy: true };
  if (m.VolumeOptions?.Subpath !== undefined) lose('volume subpath');
  if (m.TmpfsOptions?.SizeBytes !== undefined) v.tmpfs = { size: m.TmpfsOptions.SizeBytes };
  if (m.TmpfsOptions?.Mode !== undefined) lose('tmpfs mode');
  return v;
}

function carryMount(m: MountSpec, out: ComposeOut, gaps: Gap[]): void {
  const view = viewMount(m);
  const volumes = (): unknown[] => (out.service.volumes ??= []) as unknown[];
  switch (m.via) {
    case 'tmpfs':
      ((out.service.tmpfs ??= []) as string[]).push(m.options === '' ? m.target : `${m.target}:${m.options}`);
      return;
    case 'volume':
      volumes().push(m.kind === 'anonymous' ? m.target : m.raw);
      // A named volume keeps its name, as with docker run (Compose would prefix the project's).
      if (m.kind === 'volume') out.volumes[m.source] = { name: m.source };
      return;
    case 'mount': {
      if (m.secret !== undefined) {
        out.secrets[m.secret] = { file: view.source };
        ((out.service.secrets ??= []) as unknown[]).push({ source: m.secret, target: m.target });
        return;
      }
      volumes().push(longVolume(m.mount, gaps, view.shown));
      if (view.type === 'volume') declareVolume(view, m.mount.VolumeOptions?.Labels, out, gaps, COMPOSE_READS);
    }
  }
}

const COMPOSE_READS = (variable: string): string =>
  `docker-compose takes it from ${variable} in its environment or .env`;

/**
 * A volume the mount names, declared at the file's top level with its driver, options and labels
 * (shared with the stack file). A password among the options is left to a variable; an anonymous
 * volume has nowhere to declare options.
 */
export function declareVolume(
  view: MountView,
  labels: Readonly<Record<string, string>> | undefined,
  out: ComposeOut,
  gaps: Gap[],
  whoReads: (variable: string) => string,
): void {
  const hasOptions = view.driver !== '' || Object.keys(view.driverOptions).length > 0 || labels !== undefined;
  if (view.source === '') {
    if (hasOptions) {
      gaps.push({
        setting: view.shown,
        why: 'a volume is declared with its driver, options and labels only under a name',
        instead: 'name the volume (--mount type=volume,source=NAME,…)',
      });
    }
    return;
  }
  const declared: ComposeMap = { name: view.source };
  if (view.driver !== '') declared.driver = view.driver;
  if (Object.keys(view.driverOptions).length > 0) {
    const { options, hidden } = hideVolumePasswords(view.driverOptions, view.source, out.passwords);
    declared.driver_opts = options;
    out.passwords.push(...hidden);
    for (const h of hidden) out.notes.push(hiddenPasswordNote(h, whoReads));
  }
  if (labels !== undefined) declared.labels = { ...labels };
  out.volumes[view.source] = declared;
}

function carryNetworks(spec: RunSpec, out: ComposeOut): Gap[] {
  const gaps: Gap[] = [];
  const [first, ...others] = spec.networks;
  if (first === undefined) return gaps;
  if (isNetworkMode(first.target)) {
    out.service.network_mode = first.target === 'default' ? 'bridge' : first.target;
    return gaps;
  }
  const networks: Record<string, ComposeMap | null> = {};
  if (first.target === out.isolatedNetwork && others.length === 0) {
    // A network of the project's own, created and removed with it, with inter-container traffic
    // off as on safedock's: the project does not reuse (nor, on down, remove) the engine's shared one.
    out.service.networks = { [ISOLATED_KEY]: null };
    out.networks[ISOLATED_KEY] = { driver: 'bridge', driver_opts: { [ICC_OPTION]: 'false' } };
    return gaps;
  }
  for (const [i, n] of [first, ...others].entries()) {
    const entry: ComposeMap = {};
    const aliases = [...n.aliases, ...(i === 0 ? spec.networkAliases : [])];
    if (aliases.length > 0) entry.aliases = aliases;
    const ipv4 = n.ipv4 || (i === 0 ? spec.ip : '');
    const ipv6 = n.ipv6 || (i === 0 ? spec.ip6 : '');
    if (ipv4 !== '') entry.ipv4_address = ipv4;
    if (ipv6 !== '') entry.ipv6_address = ipv6;
    const linkLocal = [...n.linkLocalIps, ...(i === 0 ? spec.linkLocalIps : [])];
    if (linkLocal.length > 0) entry.link_local_ips = linkLocal;
    if (n.driverOpts !== undefined || n.gwPriority !== 0 || n.macAddress !== '') {
      gaps.push({
        setting: `--network=name=${n.target},…`,
        why: 'docker-compose 1.29 has no per-network driver options, gateway priority or MAC address',
        instead: RUN_IT_WITH_DOCKER,
      });
    }
    networks[n.target] = Object.keys(entry).length > 0 ? entry : null;
    // The network exists already (docker run joins it; Compose would create a project network).
    out.networks[n.target] = { external: true, name: n.target };
  }
  out.service.networks = networks;
  return gaps;
}

/** With --network host or none, the container-wide network flags have no network to apply to. */
const onFirstNetwork =
  (what: string) =>
  (spec: RunSpec): Gap[] => {
    const first = spec.networks[0]?.target;
    if (first === undefined || isNetworkMode(first)) {
      return [{ why: `Compose sets ${what} on a named network only`, instead: 'name the network with --network' }];
    }
    return [];
  };

export const COMPOSE: FieldTable<ComposeOut> = {
  image: set('image', (s) => s.image),
  command: set('command', (s) => s.command),
  entrypoint: set('entrypoint', (s) => s.entrypoint),
  user: set('user', (s) => s.user),
  workdir: set('working_dir', (s) => s.workdir),
  env: (spec, out) => {
    const { environment, hidden } = composeEnvironment(spec.env);
    out.service.environment = environment;
    for (const name of hidden) {
      out.notes.push(
        `${name} looks like a credential: its value is not written; docker-compose takes it from its own environment (export ${name} before \`up\`), or use a Compose secret (safedock --secret NAME=FILE)`,
      );
    }
  },
  groupAdd: set('group_add', (s) => s.groupAdd),
  hostname: set('hostname', (s) => s.hostname),
  domainname: set('domainname', (s) => s.domainname),
  labels: set('labels', (s) => s.labels),
  annotations: { lost: COMPOSE_V2, instead: 'add `annotations:` by hand when you run Compose v2' },
  stopSignal: set('stop_signal', (s) => s.stopSignal),
  stopTimeout: (s, out) => stopGracePeriod(s, out),
  init: set('init', (s) => s.init),
  healthcheck: (spec, out) => {
    if (spec.healthcheck === undefined) return;
    out.service.healthcheck = composeHealthcheck(spec.healthcheck);
    if (spec.healthcheck.StartInterval !== undefined) {
      return [
        { why: 'docker-compose 1.29 has no start_interval', instead: 'add `start_interval:` when you run Compose v2' },
      ];
    }
    return [];
  },
  // The service is named after --name; Compose names its containers itself (PROJECT_SERVICE_1).
  name: () => undefined,
  platform: set('platform', (s) => s.platform),
  detach: CLIENT.detach,
  detachKeys: CLIENT.detachKeys,
  interactive: set('stdin_open', (s) => s.interactive),
  tty: set('tty', (s) => s.tty),
  attach: CLIENT.attach,
  sigProxy: CLIENT.sigProxy,
  quiet: CLIENT.quiet,
  pull: set('pull_policy', (s) => s.pull),
  cidfile: CLIENT.cidfile,
  autoRemove: CLIENT.autoRemove,
  // Its socket mount is in `mounts`, written as a bind volume.
  useApiSocket: () => undefined,
  privileged: set('privileged', (s) => s.privileged),
  // As the docker CLI sends them (CAP_NET_ADMIN, ALL), so the container gets exactly what run gives it.
  capAdd: set('cap_add', (s) => s.capAdd),
  capDrop: set('cap_drop', (s) => s.capDrop),
  securityOpt: (spec, out) => {
    const gaps: Gap[] = [];
    out.service.security_opt = spec.securityOpt.map((o) => {
      if (!isProfileEntry(o)) return o.raw;
      if (out.profileRef === undefined) {
        gaps.push({ setting: '--security-opt=seccomp=…', why: 'the profile has no file', instead: 'pass -o DIR' });
        return 'seccomp=PROFILE.json';
      }
      return `seccomp=${out.profileRef}`;
    });
    return gaps;
  },
  maskedPaths: {
    lost: 'the engine reads systempaths=unconfined from the docker CLI only; Compose sends it as is',
    instead: RUN_IT_WITH_DOCKER,
  },
  // Written with maskedPaths (one flag sets both).
  readonlyPaths: () => undefined,
  readOnly: set('read_only', (s) => s.readOnly),
  runtime: set('runtime', (s) => s.runtime),
  isolation: set('isolation', (s) => s.isolation),
  cgroupParent: set('cgroup_parent', (s) => s.cgroupParent),
  pid: set('pid', (s) => s.pid),
  ipc: set('ipc', (s) => s.ipc),
  uts: { lost: COMPOSE_V2, instead: 'add `uts:` by hand when you run Compose v2' },
  userns: set('userns_mode', (s) => s.userns),
  cgroupns: { lost: COMPOSE_V2, instead: 'add `cgroup:` by hand when you run Compose v2' },
  mounts: (spec, out) => {
    const gaps: Gap[] = [];
    for (const m of spec.mounts) carryMount(m, out, gaps);
    return gaps;
  },
  volumesFrom: set('volumes_from', (s) => s.volumesFrom.map((v) => `container:${v}`)),
  volumeDriver: { lost: COMPOSE_V2, instead: 'declare the volumes with `driver:` under the top-level `volumes:`' },
  storageOpt: set('storage_opt', (s) => s.storageOpt),
  networks: carryNetworks,
  networkAliases: onFirstNetwork('aliases'),
  ip: onFirstNetwork('an IPv4 address'),
  ip6: onFirstNetwork('an IPv6 address'),
  macAddress: set('mac_address', (s) => s.macAddress),
  linkLocalIps: onFirstNetwork('link-local addresses'),
  links: set('external_links', (s) => s.links),
  ports: set('ports', (s) => s.ports.map(composePort)),
  expose: set('expose', (s) => s.expose),
  publishAll: { lost: 'Compose has no "publish every exposed port"', instead: 'list the ports under `ports:`' },
  dns: set('dns', (s) => s.dns),
  dnsOptions: set('dns_opt', (s) => s.dnsOptions),
  dnsSearch: set('dns_search', (s) => s.dnsSearch),
  extraHosts: set('extra_hosts', (s) => s.extraHosts),
  devices: set('devices', (s) => s.devices.map((d) => `${d.PathOnHost}:${d.PathInContainer}:${d.CgroupPermissions}`)),
  cdiDevices: { lost: 'docker-compose 1.29 has no CDI devices', instead: RUN_IT_WITH_DOCKER },
  gpus: { lost: 'docker-compose 1.29 has no GPU requests outside swarm', instead: RUN_IT_WITH_DOCKER },
  deviceCgroupRules: set('device_cgroup_rules', (s) => s.deviceCgroupRules),
  sysctls: set('sysctls', (s) => s.sysctls),
  ulimits: set('ulimits', (s) => Object.fromEntries(s.ulimits.map((u) => [u.Name, { soft: u.Soft, hard: u.Hard }]))),
  memory: set('mem_limit', (s) => s.memory),
  memoryReservation: set('mem_reservation', (s) => s.memoryReservation),
  memorySwap: set('memswap_limit', (s) => s.memorySwap),
  memorySwappiness: set('mem_swappiness', (s) => s.memorySwappiness),
  kernelMemory: { lost: 'Compose has no kernel memory limit', instead: RUN_IT_WITH_DOCKER },
  oomKillDisable: set('oom_kill_disable', (s) => s.oomKillDisable),
  oomScoreAdj: set('oom_score_adj', (s) => s.oomScoreAdj),
  shmSize: set('shm_size', (s) => s.shmSize),
  nanoCpus: set('cpus', (s) => s.nanoCpus / 1e9),
  cpuShares: set('cpu_shares', (s) => s.cpuShares),
  cpuPeriod: set('cpu_period', (s) => s.cpuPeriod),
  cpuQuota: set('cpu_quota', (s) => s.cpuQuota),
  cpuRealtimePeriod: set('cpu_rt_period', (s) => s.cpuRealtimePeriod),
  cpuRealtimeRuntime: set('cpu_rt_runtime', (s) => s.cpuRealtimeRuntime),
  cpusetCpus: set('cpuset', (s) => s.cpusetCpus),
  cpusetMems: { lost: 'Compose has no memory-node set', instead: RUN_IT_WITH_DOCKER },
  pidsLimit: set('pids_limit', (s) => s.pidsLimit),
  blkioWeight: (s, out) => {
    ((out.service.blkio_config ??= {}) as ComposeMap).weight = s.blkioWeight;
  },
  blkioWeightDevice: (s, out) => {
    ((out.service.blkio_config ??= {}) as ComposeMap).weight_device = s.blkioWeightDevice.map((d) => ({
      path: d.Path,
      weight: d.Weight,
    }));
  },
  blkioDeviceReadBps: (s, out) => {
    ((out.service.blkio_config ??= {}) as ComposeMap).device_read_bps = s.blkioDeviceReadBps.map((d) => ({
      path: d.Path,
      rate: d.Rate,
    }));
  },
  blkioDeviceWriteBps: (s, out) => {
    ((out.service.blkio_config ??= {}) as ComposeMap).device_write_bps = s.blkioDeviceWriteBps.map((d) => ({
      path: d.Path,
      rate: d.Rate,
    }));
  },
  blkioDeviceReadIOps: (s, out) => {
    ((out.service.blkio_config ??= {}) as ComposeMap).device_read_iops = s.blkioDeviceReadIOps.map((d) => ({
      path: d.Path,
      rate: d.Rate,
    }));
  },
  blkioDeviceWriteIOps: (s, out) => {
    ((out.service.blkio_config ??= {}) as ComposeMap).device_write_iops = s.blkioDeviceWriteIOps.map((d) => ({
      path: d.Path,
      rate: d.Rate,
    }));
  },
  cpuCount: set('cpu_count', (s) => s.cpuCount),
  cpuPercent: set('cpu_percent', (s) => s.cpuPercent),
  ioMaximumBandwidth: { lost: 'Compose has no Windows I/O limits', instead: RUN_IT_WITH_DOCKER },
  ioMaximumIOps: { lost: 'Compose has no Windows I/O limits', instead: RUN_IT_WITH_DOCKER },
  logDriver: (s, out) => void (((out.service.logging ??= {}) as ComposeMap).driver = s.logDriver),
  logOpts: (s, out) => void (((out.service.logging ??= {}) as ComposeMap).options = s.logOpts),
  restart: set('restart', (s) => composeRestart(s.restart)),
};
