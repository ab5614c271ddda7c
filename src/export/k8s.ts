/**
 * The run model → a Kubernetes Deployment (or Pod) with the restricted Pod Security level's
 * securityContext. One entry per model field; what Kubernetes has no place for (a per-container
 * pids limit, log rotation, ulimits …) is reported as lost. Credentials in the environment become
 * Secret references; the seccomp profile a Localhost profile (shipped to the nodes beside the
 * manifest), a Security Profiles Operator SeccompProfile, or RuntimeDefault.
 */
import { capabilityName } from '../grammar/capabilities.js';
import { viewMount } from '../model/mounts.js';
import type { MountSpec, RunSpec } from '../model/run-spec.js';
import { envSecret } from '../policy/env-secrets.js';
import { CLIENT, RUN_IT_WITH_DOCKER, WAITS_FOREVER } from './client-settings.js';
import type { ExportContext } from './export-context.js';
import { isProfileEntry } from './profile.js';
import type { FieldTable, Gap } from './walk.js';

export type K8sMap = Record<string, unknown>;

export interface K8sOut {
  ctx: ExportContext;
  container: K8sMap;
  /** The container's securityContext. */
  security: K8sMap;
  pod: K8sMap;
  /** The pod's securityContext. */
  podSecurity: K8sMap;
  volumes: K8sMap[];
  mounts: K8sMap[];
  annotations: Record<string, string>;
  /** The Secret holding the credentials of the environment, and the names it must hold. */
  secretEnv: string[];
  notes: string[];
}

/** Where the kubelet looks for Localhost profiles is /var/lib/kubelet/seccomp; ours go in a folder of their own. */
export const LOCALHOST_DIR = 'safedock';
/** The namespace a Security Profiles Operator profile is assumed to live in (its path names it). */
export const OPERATOR_NAMESPACE = 'default';

const limits = (out: K8sOut): K8sMap => (((out.container.resources ??= {}) as K8sMap).limits ??= {}) as K8sMap;
const requests = (out: K8sOut): K8sMap => (((out.container.resources ??= {}) as K8sMap).requests ??= {}) as K8sMap;
const seconds = (ns: number): number => Math.max(1, Math.ceil(ns / 1e9));
const K8S_NO_PLACE = (what: string): { lost: string; instead: string } => ({
  lost: `Kubernetes has no per-container ${what}`,
  instead: RUN_IT_WITH_DOCKER,
});

/** A valid volume name for the nth mount. */
const volumeName = (i: number, target: string): string =>
  `v${i}-${target
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')}`
    .slice(0, 63)
    .replace(/-+$/, '');

function tmpfsOptions(options: string): { size: string | undefined; readOnly: boolean; rest: string[] } {
  let size: string | undefined;
  let readOnly = false;
  const rest: string[] = [];
  for (const o of options.split(',').filter((x) => x !== '')) {
    if (o.startsWith('size=')) size = o.slice('size='.length);
    else if (o === 'ro') readOnly = true;
    else if (o !== 'rw') rest.push(o);
  }
  return { size, readOnly, rest };
}

/**
 * A tmpfs size as a Kubernetes quantity: `64m` (the kernel's MiB) → `64Mi`, `1t` → `1Ti`; undefined
 * for a size Kubernetes has no quantity for (`10%` of memory, a fraction).
 */
function quantity(size: string): string | undefined {
  const m = /^(\d+)([kmgtp]?)$/i.exec(size);
  if (m === null) return undefined;
  const unit = (m[2] ?? '').toLowerCase();
  return `${m[1] ?? ''}${unit === '' ? '' : `${unit.toUpperCase()}i`}`;
}

/** Docker mounts every tmpfs with these unless told otherwise (exec, suid, dev). */
const TMPFS_DEFAULTS = ['nosuid', 'nodev', 'noexec'];

function carryMount(m: MountSpec, i: number, out: K8sOut, gaps: Gap[]): void {
  const view = viewMount(m);
  const name = volumeName(i, view.target);
  const mount: K8sMap = { name, mountPath: view.target };
  if (view.readOnly) mount.readOnly = true;
  if (view.type === 'tmpfs') {
    const o =
      m.via === 'tmpfs'
        ? tmpfsOptions(m.options)
        : {
            size:
              m.via === 'mount' && m.mount.TmpfsOptions?.SizeBytes !== undefined
                ? String(m.mount.TmpfsOptions.SizeBytes)
                : undefined,
            readOnly: false,
            rest: [],
          };
    const sizeLimit = o.size === undefined ? undefined : quantity(o.size);
    out.volumes.push({ name, emptyDir: { medium: 'Memory', ...(sizeLimit === undefined ? {} : { sizeLimit }) } });
    if (o.size !== undefined && sizeLimit === undefined) {
      gaps.push({
        setting: view.shown,
        why: `an emptyDir's size limit is a quantity of bytes, not ${o.size}`,
        instead: 'give the size in bytes or with k, m or g',
      });
    }
    // docker's own options count too: an emptyDir is mounted without them.
    const undone = new Set(o.rest.filter((x) => ['exec', 'suid', 'dev'].includes(x)).map((x) => `no${x}`));
    const lost = [...new Set([...TMPFS_DEFAULTS.filter((d) => !undone.has(d)), ...o.rest])].filter(
      (x) => !['exec', 'suid', 'dev'].includes(x),
    );
    if (lost.length > 0) {
      gaps.push({
        setting: view.shown,
        why: `Kubernetes mounts an emptyDir without the options ${lost.join(',')}`,
        instead: 'keep the root read-only and run as non-root so that what the volume holds cannot gain privileges',
      });
    }
  } else if (view.secret !== undefined) {
    out.volumes.push({ name, secret: { secretName: view.secret } });
    mount.subPath = view.secret;
    out.notes.push(
      `create the Secret ${view.secret} first: kubectl create secret generic ${view.secret} --from-file=${view.secret}=${view.source}`,
    );
  } else if (view.type === 'bind') {
    out.volumes.push({ name, hostPath: { path: view.source } });
    gaps.push({
      setting: view.shown,
      why: 'a host path ties the Pod to one node and is refused at the restricted Pod Security level',
      instead: 'use a PersistentVolumeClaim, a ConfigMap or a Secret',
    });
  } else if (view.type === 'volume' && view.source !== '') {
    out.volumes.push({ name, persistentVolumeClaim: { claimName: view.source } });
    out.notes.push(`the volume ${view.source} is the PersistentVolumeClaim ${view.source}: create it first`);
    if (view.driver !== '' || Object.keys(view.driverOptions).length > 0) {
      gaps.push({
        setting: view.shown,
        why: 'a PersistentVolumeClaim names no volume driver or driver options',
        instead: 'describe the storage in a PersistentVolume or a StorageClass the claim binds to',
      });
    }
  } else if (view.type === 'volume') {
    out.volumes.push({ name, emptyDir: {} });
    if (view.driver !== '' || Object.keys(view.driverOptions).length > 0) {
      gaps.push({
        setting: view.shown,
        why: 'an emptyDir has no volume driver or driver options',
        instead: 'name the volume and describe its storage in a PersistentVolume',
      });
    }
  } else {
    gaps.push({ setting: view.shown, why: `Kubernetes has no ${view.type} mount`, instead: RUN_IT_WITH_DOCKER });
    return;
  }
  out.mounts.push(mount);
}

function carrySecurityOpts(spec: RunSpec, out: K8sOut): Gap[] {
  const gaps: Gap[] = [];
  for (const o of spec.securityOpt) {
    if (o.key === 'no-new-privileges') {
      if (o.value === '' || o.value === 'true') out.security.allowPrivilegeEscalation = false;
    } else if (o.key === 'seccomp') {
      out.podSecurity.seccompProfile = seccompProfile(o.value, isProfileEntry(o), out.ctx);
    } else if (o.key === 'apparmor') {
      out.security.appArmorProfile =
        o.value === 'unconfined' ? { type: 'Unconfined' } : { type: 'Localhost', localhostProfile: o.value };
    } else if (o.key === 'label' && /^(type|level|user|role)[:=]/.test(o.value)) {
      const sep = o.value.search(/[:=]/);
      const key = o.value.slice(0, sep);
      ((out.security.seLinuxOptions ??= {}) as K8sMap)[key] = o.value.slice(sep + 1);
    } else {
      gaps.push({
        setting: `--security-opt=${o.key}=…`,
        why: `Kubernetes has no place for ${o.key}=${o.value}`,
        instead: RUN_IT_WITH_DOCKER,
      });
    }
  }
  return gaps;
}

function seccompProfile(value: string, isProfile: boolean, ctx: ExportContext): K8sMap {
  if (value === 'unconfined') return { type: 'Unconfined' };
  if (!isProfile || ctx.seccomp === 'runtime-default' || ctx.profile === undefined) return { type: 'RuntimeDefault' };
  if (ctx.seccomp === 'operator') {
    return { type: 'Localhost', localhostProfile: `operator/${OPERATOR_NAMESPACE}/${ctx.name}.json` };
  }
  return { type: 'Localhost', localhostProfile: `${LOCALHOST_DIR}/${ctx.profile.name}` };
}

/**
 * Kubernetes expands `$(NAME)` in a container's command, args and env values, and reads `$$` as
 * one dollar; docker run expands nothing. Every dollar is written `$$`, so that the container gets
 * the very words the run gave (`sh -c 'echo $$'` stays the shell's pid, `$(date)` stays a command).
 */
const literal = (word: string): string => word.replaceAll('$', '$$$$');

function carryEnv(spec: RunSpec, out: K8sOut): Gap[] {
  const env: K8sMap[] = [];
  for (const entry of spec.env) {
    const eq = entry.indexOf('=');
    if (eq < 0) continue; // docker unsets a bare name; a Pod does not set it
    const name = entry.slice(0, eq);
    if (envSecret(entry) !== undefined) {
      env.push({ name, valueFrom: { secretKeyRef: { name: `${out.ctx.name}-env`, key: name } } });
      out.secretEnv.push(name);
    } else env.push({ name, value: literal(entry.slice(eq + 1)) });
  }
  out.container.env = env;
  return [];
}

function probe(spec: RunSpec, out: K8sOut): Gap[] {
  const h = spec.healthcheck;
  if (h === undefined || h.Test?.[0] === 'NONE') return [];
  const test = h.Test ?? [];
  const command =
    test[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', test[1] ?? ''] : test[0] === 'CMD' ? test.slice(1) : undefined;
  if (command === undefined) {
    return [{ why: "the image's own check cannot be named in a probe", instead: 'write the check with --health-cmd' }];
  }
  // docker's own defaults where the run gives none (Kubernetes' are 10 s, 1 s and 3).
  const p: K8sMap = {
    exec: { command },
    periodSeconds: h.Interval === undefined || h.Interval === 0 ? 30 : seconds(h.Interval),
    timeoutSeconds: h.Timeout === undefined || h.Timeout === 0 ? 30 : seconds(h.Timeout),
    failureThreshold: h.Retries === undefined || h.Retries === 0 ? 3 : h.Retries,
  };
  if (h.StartPeriod !== undefined && h.StartPeriod !== 0) p.initialDelaySeconds = seconds(h.StartPeriod);
  out.container.livenessProbe = p;
  return [
    {
      why: 'Kubernetes restarts a container whose liveness probe fails, where docker only marks it unhealthy',
      instead: 'keep the probe if a restart is what you want, or move it to readinessProbe',
    },
  ];
}

function carryPorts(spec: RunSpec, out: K8sOut): Gap[] {
  const ports = (out.container.ports ??= []) as K8sMap[];
  const seen = new Set(ports.map((p) => `${String(p.containerPort)}/${String(p.protocol)}`.toLowerCase()));
  const gaps: Gap[] = [];
  for (const p of spec.ports) {
    const [port = '', proto = 'tcp'] = p.port.split('/');
    const key = `${port}/${proto}`;
    if (!seen.has(key)) ports.push({ containerPort: Number(port), protocol: proto.toUpperCase() });
    seen.add(key);
    gaps.push({
      setting: `--publish=${p.hostIp === '' ? '' : `${p.hostIp}:`}${p.hostPort}:${p.port}`,
      why: "a Pod's port is not published on its node (a hostPort is refused at the baseline Pod Security level)",
      instead: 'reach it through a Service, or kubectl port-forward for one user',
    });
  }
  return gaps;
}

function restartPolicy(spec: RunSpec, out: K8sOut): Gap[] {
  const name = spec.restart.Name;
  if (out.ctx.kind === 'pod') {
    out.pod.restartPolicy =
      name === 'on-failure' ? 'OnFailure' : name === 'always' || name === 'unless-stopped' ? 'Always' : 'Never';
    return spec.restart.MaximumRetryCount > 0
      ? [{ why: 'a Pod retries without a count', instead: 'use a Job with backoffLimit' }]
      : [];
  }
  return name === 'always' || name === 'unless-stopped'
    ? []
    : [{ why: 'a Deployment restarts its Pods always', instead: 'use --kind pod (or a Job) for a run that ends' }];
}

export const K8S: FieldTable<K8sOut> = {
  image: (s, out) => void (out.container.image = s.image),
  command: (s, out) => {
    // An emptied ENTRYPOINT makes the command the program: Kubernetes' command.
    const words = s.command?.map(literal) ?? null;
    if (s.entrypoint?.length === 1 && s.entrypoint[0] === '') out.container.command = words;
    else out.container.args = words;
  },
  entrypoint: (s, out) => {
    if (s.entrypoint?.length === 1 && s.entrypoint[0] === '') {
      return s.command === null
        ? [
            {
              why: "Kubernetes cannot empty the image's ENTRYPOINT and keep its CMD",
              instead: 'give the program as the command',
            },
          ]
        : [];
    }
    out.container.command = s.entrypoint?.map(literal) ?? null;
    return [];
  },
  // Written as numbers in the securityContext (runAsUser, runAsGroup) once resolved.
  user: (s, out) =>
    out.ctx.user === undefined
      ? [
          {
            why: `Kubernetes takes numbers; the user "${s.user}" was not found in the image`,
            instead: 'pass -u UID:GID',
          },
        ]
      : [],
  workdir: (s, out) => void (out.container.workingDir = s.workdir),
  env: carryEnv,
  groupAdd: (s, out) => {
    const numbers = s.groupAdd.filter((g) => /^\d+$/.test(g)).map(Number);
    out.podSecurity.supplementalGroups = numbers;
    return numbers.length === s.groupAdd.length
      ? []
      : [{ why: 'supplementalGroups take numbers', instead: 'pass --group-add with group ids' }];
  },
  hostname: (s, out) => {
    // A Pod's hostname is one DNS label: lower case letters, digits and dashes, at most 63.
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(s.hostname)) {
      return [
        {
          why: "a Pod's hostname is one DNS label (lower-case letters, digits and dashes, at most 63)",
          instead: 'give a hostname of that form, or set subdomain with a headless Service for a dotted name',
        },
      ];
    }
    out.pod.hostname = s.hostname;
    return [];
  },
  domainname: { lost: 'a Pod has no NIS domain name', instead: RUN_IT_WITH_DOCKER },
  labels: (s, out) => void Object.assign(out.annotations, s.labels),
  annotations: { lost: 'Pod annotations do not reach the OCI runtime', instead: 'configure the runtime class' },
  stopSignal: { lost: 'a container is stopped with SIGTERM', instead: 'make the program stop on SIGTERM' },
  stopTimeout: (s, out) => {
    if ((s.stopTimeout ?? 0) < 0) return [WAITS_FOREVER];
    out.pod.terminationGracePeriodSeconds = s.stopTimeout;
    return [];
  },
  init: {
    lost: 'Kubernetes has no init process per container',
    instead: 'set shareProcessNamespace: true (the pause process reaps zombies) or add an init to the image',
  },
  healthcheck: probe,
  name: () => undefined,
  platform: (s, out) => {
    const [os = '', arch = ''] = s.platform.split('/');
    out.pod.nodeSelector = { 'kubernetes.io/os': os, ...(arch === '' ? {} : { 'kubernetes.io/arch': arch }) };
  },
  detach: CLIENT.detach,
  detachKeys: CLIENT.detachKeys,
  interactive: (s, out) => void (out.container.stdin = s.interactive),
  tty: (s, out) => void (out.container.tty = s.tty),
  attach: CLIENT.attach,
  sigProxy: CLIENT.sigProxy,
  quiet: CLIENT.quiet,
  pull: (s, out) =>
    void (out.container.imagePullPolicy =
      s.pull === 'always' ? 'Always' : s.pull === 'never' ? 'Never' : 'IfNotPresent'),
  cidfile: CLIENT.cidfile,
  autoRemove: CLIENT.autoRemove,
  useApiSocket: () => undefined,
  privileged: (s, out) => void (out.security.privileged = s.privileged),
  capAdd: (s, out) => void (((out.security.capabilities ??= {}) as K8sMap).add = s.capAdd.map(capabilityName)),
  capDrop: (s, out) => void (((out.security.capabilities ??= {}) as K8sMap).drop = s.capDrop.map(capabilityName)),
  securityOpt: carrySecurityOpts,
  maskedPaths: {
    lost: 'an unmasked /proc (procMount: Unmasked) needs a user namespace and is refused at the baseline level',
    instead: RUN_IT_WITH_DOCKER,
  },
  readonlyPaths: () => undefined,
  readOnly: (s, out) => void (out.security.readOnlyRootFilesystem = s.readOnly),
  runtime: (s, out) => {
    out.pod.runtimeClassName = s.runtime;
    out.notes.push(`the Pod asks for the RuntimeClass ${s.runtime}: it must exist in the cluster`);
  },
  isolation: { lost: 'Linux nodes have no isolation choice', instead: RUN_IT_WITH_DOCKER },
  cgroupParent: { lost: 'the kubelet places each Pod in its own cgroup', instead: RUN_IT_WITH_DOCKER },
  pid: (s, out) =>
    s.pid === 'host'
      ? void (out.pod.hostPID = true)
      : [
          {
            why: "a Pod cannot join another container's process namespace",
            instead: 'put the two containers in one Pod',
          },
        ],
  ipc: (s, out) => {
    if (s.ipc === 'host') out.pod.hostIPC = true;
    else if (!['private', 'shareable', 'none'].includes(s.ipc)) {
      return [
        { why: "a Pod cannot join another container's IPC namespace", instead: 'put the two containers in one Pod' },
      ];
    }
    return [];
  },
  uts: { lost: "a Pod cannot share the host's host name alone", instead: 'use hostNetwork if you must' },
  userns: (s, out) => {
    if (s.userns === 'host') out.pod.hostUsers = true;
    return [];
  },
  cgroupns: (s) =>
    s.cgroupns === 'private'
      ? []
      : [{ why: "a Pod cannot use the host's cgroup namespace", instead: RUN_IT_WITH_DOCKER }],
  mounts: (s, out) => {
    const gaps: Gap[] = [];
    s.mounts.forEach((m, i) => carryMount(m, i, out, gaps));
    return gaps;
  },
  volumesFrom: {
    lost: 'a Pod cannot mount the volumes of another container',
    instead: 'share a volume inside one Pod',
  },
  volumeDriver: {
    lost: 'volume drivers are StorageClasses in Kubernetes',
    instead: 'name a StorageClass in the claim',
  },
  storageOpt: K8S_NO_PLACE('storage driver option'),
  networks: (s, out) => {
    const first = s.networks[0]?.target;
    if (first === 'host') out.pod.hostNetwork = true;
    else if (first !== 'bridge' && first !== 'default') {
      return [{ why: 'every Pod is on the cluster network', instead: 'restrict traffic with a NetworkPolicy' }];
    }
    return [];
  },
  networkAliases: { lost: 'names in the cluster come from Services', instead: 'create a Service' },
  ip: { lost: 'the cluster network assigns Pod addresses', instead: 'reach the Pod through a Service' },
  ip6: { lost: 'the cluster network assigns Pod addresses', instead: 'reach the Pod through a Service' },
  macAddress: { lost: 'the cluster network assigns MAC addresses', instead: RUN_IT_WITH_DOCKER },
  linkLocalIps: { lost: 'the cluster network assigns Pod addresses', instead: RUN_IT_WITH_DOCKER },
  links: { lost: 'Pods find each other through Services', instead: 'create a Service for the other container' },
  ports: carryPorts,
  expose: (s, out) => {
    const ports = (out.container.ports ??= []) as K8sMap[];
    for (const e of s.expose) {
      const [port = '', proto = 'tcp'] = e.split('/');
      if (!ports.some((p) => p.containerPort === Number(port) && p.protocol === proto.toUpperCase()))
        ports.push({ containerPort: Number(port), protocol: proto.toUpperCase() });
    }
  },
  publishAll: { lost: "a Pod's ports are not published on its node", instead: 'create a Service' },
  dns: (s, out) => {
    ((out.pod.dnsConfig ??= {}) as K8sMap).nameservers = s.dns;
    out.pod.dnsPolicy = 'None';
  },
  dnsOptions: (s, out) => {
    ((out.pod.dnsConfig ??= {}) as K8sMap).options = s.dnsOptions.map((o) => {
      const sep = o.indexOf(':');
      return sep < 0 ? { name: o } : { name: o.slice(0, sep), value: o.slice(sep + 1) };
    });
  },
  dnsSearch: (s, out) => void (((out.pod.dnsConfig ??= {}) as K8sMap).searches = s.dnsSearch),
  extraHosts: (s, out) => {
    const aliases: K8sMap[] = [];
    const gaps: Gap[] = [];
    for (const h of s.extraHosts) {
      const sep = h.indexOf(':');
      const ip = h.slice(sep + 1);
      if (ip === 'host-gateway')
        gaps.push({ setting: `--add-host=${h}`, why: 'a Pod has no host gateway address', instead: 'use a Service' });
      else aliases.push({ ip, hostnames: [h.slice(0, sep)] });
    }
    out.pod.hostAliases = aliases;
    return gaps;
  },
  devices: {
    lost: 'a Pod gets host devices through a device plugin only',
    instead: 'install the device plugin and request its resource',
  },
  cdiDevices: {
    lost: 'a Pod gets CDI devices through a device plugin only',
    instead: 'request the device plugin resource',
  },
  gpus: {
    lost: 'a Pod gets GPUs through a device plugin only',
    instead: "request nvidia.com/gpu (or your vendor's resource) in limits",
  },
  deviceCgroupRules: { lost: 'a Pod gets devices through a device plugin only', instead: RUN_IT_WITH_DOCKER },
  sysctls: (s, out) =>
    void (out.podSecurity.sysctls = Object.entries(s.sysctls).map(([name, value]) => ({ name, value }))),
  ulimits: { lost: 'Kubernetes has no ulimits', instead: "set them in the node's container runtime defaults" },
  memory: (s, out) => void (limits(out).memory = String(s.memory)),
  memoryReservation: (s, out) => void (requests(out).memory = String(s.memoryReservation)),
  memorySwap: K8S_NO_PLACE('swap limit'),
  memorySwappiness: K8S_NO_PLACE('swappiness'),
  kernelMemory: K8S_NO_PLACE('kernel memory limit'),
  oomKillDisable: K8S_NO_PLACE('OOM killer switch'),
  oomScoreAdj: {
    lost: 'the kubelet sets the OOM score from the QoS class',
    instead: 'give requests equal to limits (Guaranteed)',
  },
  shmSize: (s, out) => {
    out.volumes.push({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: String(s.shmSize) } });
    out.mounts.push({ name: 'dshm', mountPath: '/dev/shm' });
  },
  nanoCpus: (s, out) => void (limits(out).cpu = `${Math.round(s.nanoCpus / 1e6)}m`),
  cpuShares: { lost: 'CPU weight comes from requests.cpu', instead: 'set requests.cpu' },
  cpuPeriod: K8S_NO_PLACE('CFS period'),
  cpuQuota: { lost: 'a CPU quota is limits.cpu', instead: 'use --cpus' },
  cpuRealtimePeriod: K8S_NO_PLACE('real-time CPU period'),
  cpuRealtimeRuntime: K8S_NO_PLACE('real-time CPU runtime'),
  cpusetCpus: {
    lost: "CPU pinning is the kubelet CPU manager's",
    instead: 'use the static CPU manager policy with integer CPUs',
  },
  cpusetMems: K8S_NO_PLACE('memory-node set'),
  pidsLimit: {
    lost: 'Kubernetes has no per-container pids limit',
    instead: "set the kubelet's podPidsLimit on the nodes",
  },
  blkioWeight: K8S_NO_PLACE('block I/O weight'),
  blkioWeightDevice: K8S_NO_PLACE('block I/O weight'),
  blkioDeviceReadBps: K8S_NO_PLACE('block I/O limit'),
  blkioDeviceWriteBps: K8S_NO_PLACE('block I/O limit'),
  blkioDeviceReadIOps: K8S_NO_PLACE('block I/O limit'),
  blkioDeviceWriteIOps: K8S_NO_PLACE('block I/O limit'),
  cpuCount: K8S_NO_PLACE('Windows CPU count'),
  cpuPercent: K8S_NO_PLACE('Windows CPU percent'),
  ioMaximumBandwidth: K8S_NO_PLACE('Windows I/O limit'),
  ioMaximumIOps: K8S_NO_PLACE('Windows I/O limit'),
  logDriver: { lost: 'the container runtime writes the logs', instead: 'ship them with a cluster log collector' },
  logOpts: {
    lost: 'Kubernetes has no per-container log rotation',
    instead: "set the kubelet's containerLogMaxSize and containerLogMaxFiles on the nodes",
  },
  restart: restartPolicy,
};
