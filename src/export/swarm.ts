/**
 * The run model → one service of a stack file for `docker stack deploy` (file format 3.9, the one
 * that has deploy.resources.limits.pids). Swarm carries less than a container: what the engine's
 * swarm cannot enforce on API 1.41 (no-new-privileges and the seccomp profile, measured: a task
 * container runs with NoNewPrivs 0) is reported as lost, each with what to do instead.
 */
import { capabilityName } from '../grammar/capabilities.js';
import { ramInBytes } from '../grammar/units.js';
import { viewMount } from '../model/mounts.js';
import type { RunSpec } from '../model/run-spec.js';
import { CLIENT, RUN_IT_WITH_DOCKER } from './client-settings.js';
import { composeEnvironment, composeHealthcheck, isNetworkMode } from './compose-values.js';
import { declareVolume, stopGracePeriod, type ComposeMap, type ComposeOut } from './compose.js';
import type { FieldTable, Gap } from './walk.js';

const set =
  (key: string, value: (spec: RunSpec) => unknown) =>
  (spec: RunSpec, out: ComposeOut): void => {
    out.service[key] = value(spec);
  };
const deploy = (out: ComposeOut): ComposeMap => (out.service.deploy ??= {}) as ComposeMap;
const resources = (out: ComposeOut, kind: 'limits' | 'reservations'): ComposeMap =>
  (((deploy(out).resources ??= {}) as ComposeMap)[kind] ??= {}) as ComposeMap;
const NOT_IN_SWARM = (what: string): { lost: string; instead: string } => ({
  lost: `a swarm service has no ${what}`,
  instead: RUN_IT_WITH_DOCKER,
});

/** Swarm mounts every tmpfs nosuid, nodev and noexec; it takes a size, nothing else. */
const SWARM_TMPFS_DEFAULTS = new Set(['rw', 'nosuid', 'nodev', 'noexec']);

const STACK_READS = (variable: string): string => `docker stack deploy takes it from ${variable} in its environment`;

/** A tmpfs size the kernel reads (`64m`, `10%`) in bytes, when it is one. */
function bytesOf(size: string): number | undefined {
  try {
    return ramInBytes(size);
  } catch {
    return undefined;
  }
}

function carryMounts(spec: RunSpec, out: ComposeOut): Gap[] {
  const gaps: Gap[] = [];
  const volumes: ComposeMap[] = [];
  for (const m of spec.mounts) {
    const view = viewMount(m);
    if (view.secret !== undefined) {
      out.secrets[view.secret] = { file: view.source };
      ((out.service.secrets ??= []) as unknown[]).push({ source: view.secret, target: view.target });
      continue;
    }
    const v: ComposeMap = { type: view.type, target: view.target };
    if (view.type === 'tmpfs') {
      const options = m.via === 'tmpfs' ? m.options.split(',').filter((o) => o !== '') : [];
      const size = options.find((o) => o.startsWith('size='))?.slice('size='.length);
      const sizeBytes =
        size === undefined ? (m.via === 'mount' ? m.mount.TmpfsOptions?.SizeBytes : undefined) : bytesOf(size);
      if (sizeBytes !== undefined) v.tmpfs = { size: sizeBytes };
      if (size !== undefined && sizeBytes === undefined) {
        gaps.push({
          setting: view.shown,
          why: `a stack file gives a tmpfs size in bytes, not as ${size}`,
          instead: 'give the size in bytes or with k, m or g',
        });
      }
      const rest = options.filter((o) => !o.startsWith('size=') && !SWARM_TMPFS_DEFAULTS.has(o));
      if (rest.length > 0 || (m.via === 'mount' && m.mount.TmpfsOptions?.Mode !== undefined)) {
        gaps.push({
          setting: view.shown,
          why: `swarm mounts a tmpfs with a size only, not ${rest.join(',') || 'a mode'}`,
          instead: RUN_IT_WITH_DOCKER,
        });
      }
    } else if (view.type === 'bind' || view.type === 'volume') {
      if (view.source !== '') v.source = view.source;
      if (view.type === 'volume') {
        const options = m.via === 'mount' ? m.mount.VolumeOptions : undefined;
        declareVolume(view, options?.Labels, out, gaps, STACK_READS);
        if (options?.NoCopy === true) v.volume = { nocopy: true };
        if (options?.Subpath !== undefined) {
          gaps.push({ setting: view.shown, why: 'a stack file has no volume subpath', instead: RUN_IT_WITH_DOCKER });
        }
      }
      if (view.propagation !== '') v.bind = { propagation: view.propagation };
    } else {
      gaps.push({ setting: view.shown, why: `a swarm service has no ${view.type} mount`, instead: RUN_IT_WITH_DOCKER });
      continue;
    }
    if (view.readOnly) v.read_only = true;
    volumes.push(v);
  }
  if (volumes.length > 0) out.service.volumes = volumes;
  return gaps;
}

function carryPorts(spec: RunSpec, out: ComposeOut): Gap[] {
  const gaps: Gap[] = [];
  out.service.ports = spec.ports.map((p) => {
    const [target = '', protocol = 'tcp'] = p.port.split('/');
    if (p.hostIp !== '' && p.hostIp !== '0.0.0.0' && p.hostIp !== '::') {
      gaps.push({
        setting: `--publish=${p.hostIp}:${p.hostPort}:${p.port}`,
        why: `swarm publishes on every interface of every node, not on ${p.hostIp} only`,
        instead: 'firewall the port on the nodes, or keep the service unpublished and reach it over an overlay network',
      });
    }
    return {
      target: Number(target),
      ...(p.hostPort === '' ? {} : { published: Number(p.hostPort) }),
      protocol,
      mode: 'ingress',
    };
  });
  return gaps;
}

export const SWARM: FieldTable<ComposeOut> = {
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
        `${name} looks like a credential: its value is not written; docker stack deploy takes it from its environment, or use a swarm secret (safedock --secret NAME=FILE)`,
      );
    }
  },
  groupAdd: NOT_IN_SWARM('supplementary groups'),
  hostname: set('hostname', (s) => s.hostname),
  domainname: NOT_IN_SWARM('NIS domain name'),
  labels: set('labels', (s) => s.labels),
  annotations: NOT_IN_SWARM('OCI annotations'),
  stopSignal: set('stop_signal', (s) => s.stopSignal),
  stopTimeout: (s, out) => stopGracePeriod(s, out),
  init: set('init', (s) => s.init),
  healthcheck: (s, out) => {
    if (s.healthcheck !== undefined) out.service.healthcheck = composeHealthcheck(s.healthcheck);
    return s.healthcheck?.StartInterval === undefined
      ? []
      : [{ why: 'the stack file has no start_interval', instead: RUN_IT_WITH_DOCKER }];
  },
  name: () => undefined,
  platform: (s, out) => {
    const [os = '', arch = ''] = s.platform.split('/');
    deploy(out).placement = {
      constraints: [`node.platform.os == ${os}`, ...(arch === '' ? [] : [`node.platform.arch == ${arch}`])],
    };
  },
  detach: CLIENT.detach,
  detachKeys: CLIENT.detachKeys,
  interactive: set('stdin_open', (s) => s.interactive),
  tty: set('tty', (s) => s.tty),
  attach: CLIENT.attach,
  sigProxy: CLIENT.sigProxy,
  quiet: CLIENT.quiet,
  pull: { client: 'swarm pulls the image on each node as it schedules tasks' },
  cidfile: CLIENT.cidfile,
  autoRemove: CLIENT.autoRemove,
  useApiSocket: () => undefined,
  privileged: { lost: 'a swarm service cannot be privileged', instead: RUN_IT_WITH_DOCKER },
  capAdd: set('cap_add', (s) => s.capAdd.map(capabilityName)),
  capDrop: set('cap_drop', (s) => s.capDrop.map(capabilityName)),
  securityOpt: (s) =>
    s.securityOpt.map((o) => ({
      setting: `--security-opt=${o.key}${o.value === '' ? '' : `=${o.key === 'seccomp' && o.value.startsWith('{') ? 'PROFILE' : o.value}`}`,
      why: 'swarm services on API 1.41 drop security options (a task container runs without them)',
      instead:
        o.key === 'no-new-privileges'
          ? 'set "no-new-privileges": true in /etc/docker/daemon.json on every node'
          : o.key === 'seccomp'
            ? 'the engine\'s default seccomp profile applies; set "seccomp-profile" in /etc/docker/daemon.json on every node to use this one'
            : 'configure it in the daemon of every node',
    })),
  maskedPaths: NOT_IN_SWARM('masked paths option'),
  readonlyPaths: () => undefined,
  readOnly: set('read_only', (s) => s.readOnly),
  runtime: NOT_IN_SWARM('runtime choice'),
  isolation: set('isolation', (s) => s.isolation),
  cgroupParent: NOT_IN_SWARM('cgroup parent'),
  pid: NOT_IN_SWARM('PID namespace choice'),
  ipc: (s) =>
    ['private', 'shareable'].includes(s.ipc)
      ? []
      : [{ why: 'a swarm service has no IPC namespace choice', instead: RUN_IT_WITH_DOCKER }],
  uts: NOT_IN_SWARM('UTS namespace choice'),
  userns: NOT_IN_SWARM('user namespace choice'),
  cgroupns: (s) =>
    s.cgroupns === 'private'
      ? []
      : [{ why: 'a swarm service has no cgroup namespace choice', instead: RUN_IT_WITH_DOCKER }],
  mounts: carryMounts,
  volumesFrom: NOT_IN_SWARM('volumes from another container'),
  volumeDriver: { lost: 'the stack file names drivers per volume', instead: 'declare the volumes with `driver:`' },
  storageOpt: NOT_IN_SWARM('storage driver options'),
  networks: (s, out) => {
    const first = s.networks[0]?.target;
    if (first === undefined || first === 'bridge' || first === 'default') return [];
    if (isNetworkMode(first)) {
      return [{ why: `a swarm service joins overlay networks, not ${first}`, instead: RUN_IT_WITH_DOCKER }];
    }
    if (first === out.isolatedNetwork) {
      return [
        {
          why: "an overlay network has no bridge's inter-container setting: tasks on one network reach each other",
          instead: 'give each service an overlay network of its own (the stack creates it)',
        },
      ];
    }
    out.service.networks = s.networks.map((n) => n.target);
    for (const n of s.networks) out.networks[n.target] = { external: true, name: n.target };
    return [];
  },
  networkAliases: { lost: 'a swarm service is named by its service name', instead: 'name the service as the alias' },
  ip: NOT_IN_SWARM('fixed address'),
  ip6: NOT_IN_SWARM('fixed address'),
  macAddress: NOT_IN_SWARM('fixed MAC address'),
  linkLocalIps: NOT_IN_SWARM('link-local addresses'),
  links: { lost: 'services find each other by name on their networks', instead: 'put both services on one network' },
  ports: carryPorts,
  expose: { client: 'services on one network reach every port of each other' },
  publishAll: NOT_IN_SWARM('"publish every exposed port"'),
  dns: set('dns', (s) => s.dns),
  dnsOptions: NOT_IN_SWARM('DNS options in the stack file'),
  dnsSearch: set('dns_search', (s) => s.dnsSearch),
  extraHosts: set('extra_hosts', (s) => s.extraHosts),
  devices: NOT_IN_SWARM('host devices'),
  cdiDevices: NOT_IN_SWARM('CDI devices'),
  gpus: {
    lost: 'a swarm service gets GPUs as generic resources',
    instead: 'advertise them as node generic resources and reserve them',
  },
  deviceCgroupRules: NOT_IN_SWARM('device cgroup rules'),
  sysctls: set('sysctls', (s) => s.sysctls),
  ulimits: set('ulimits', (s) => Object.fromEntries(s.ulimits.map((u) => [u.Name, { soft: u.Soft, hard: u.Hard }]))),
  memory: (s, out) => void (resources(out, 'limits').memory = String(s.memory)),
  memoryReservation: (s, out) => void (resources(out, 'reservations').memory = String(s.memoryReservation)),
  memorySwap: NOT_IN_SWARM('swap limit'),
  memorySwappiness: NOT_IN_SWARM('swappiness'),
  kernelMemory: NOT_IN_SWARM('kernel memory limit'),
  oomKillDisable: NOT_IN_SWARM('OOM killer switch'),
  oomScoreAdj: NOT_IN_SWARM('OOM score'),
  shmSize: NOT_IN_SWARM('/dev/shm size'),
  nanoCpus: (s, out) => void (resources(out, 'limits').cpus = String(s.nanoCpus / 1e9)),
  cpuShares: NOT_IN_SWARM('CPU weight'),
  cpuPeriod: NOT_IN_SWARM('CFS period'),
  cpuQuota: { lost: 'a swarm CPU limit is deploy.resources.limits.cpus', instead: 'use --cpus' },
  cpuRealtimePeriod: NOT_IN_SWARM('real-time CPU period'),
  cpuRealtimeRuntime: NOT_IN_SWARM('real-time CPU runtime'),
  cpusetCpus: NOT_IN_SWARM('CPU set'),
  cpusetMems: NOT_IN_SWARM('memory-node set'),
  pidsLimit: (s, out) => void (resources(out, 'limits').pids = s.pidsLimit),
  blkioWeight: NOT_IN_SWARM('block I/O weight'),
  blkioWeightDevice: NOT_IN_SWARM('block I/O weight'),
  blkioDeviceReadBps: NOT_IN_SWARM('block I/O limit'),
  blkioDeviceWriteBps: NOT_IN_SWARM('block I/O limit'),
  blkioDeviceReadIOps: NOT_IN_SWARM('block I/O limit'),
  blkioDeviceWriteIOps: NOT_IN_SWARM('block I/O limit'),
  cpuCount: NOT_IN_SWARM('Windows CPU count'),
  cpuPercent: NOT_IN_SWARM('Windows CPU percent'),
  ioMaximumBandwidth: NOT_IN_SWARM('Windows I/O limit'),
  ioMaximumIOps: NOT_IN_SWARM('Windows I/O limit'),
  logDriver: (s, out) => void (((out.service.logging ??= {}) as ComposeMap).driver = s.logDriver),
  logOpts: (s, out) => void (((out.service.logging ??= {}) as ComposeMap).options = s.logOpts),
  restart: (s, out) => {
    const condition = s.restart.Name === 'on-failure' ? 'on-failure' : 'any';
    deploy(out).restart_policy = {
      condition,
      ...(s.restart.MaximumRetryCount > 0 ? { max_attempts: s.restart.MaximumRetryCount } : {}),
    };
  },
};
