/**
 * A container's inspect answer → the run model: what the container was created with, read back so
 * that an existing container is judged (audit), exported or tailored by the same code as a run.
 * Values are taken as the engine reports them (it fills some defaults: IpcMode, CgroupnsMode,
 * ShmSize, Runtime, the log driver, masked paths, the image's env and labels); every field's
 * provenance is the container itself.
 */
import type { ContainerInspect } from '../api/inspect.js';
import type { NetworkAttachment } from '../grammar/network.js';
import { normalizeCapabilities } from '../grammar/capabilities.js';
import { readSecurityOpt } from '../grammar/security-opt.js';
import { volumeMount } from '../grammar/volumes.js';
import { itemKeyOf, FIELD_RULES } from './merge-rules.js';
import { provenanceKey, type Provenance } from './provenance.js';
import {
  emptySpec,
  type MountSpec,
  type PublishedPort,
  type RunSpec,
  type SpecField,
  type Stream,
} from './run-spec.js';

export interface InspectedRun {
  spec: RunSpec;
  provenance: Provenance;
}

const list = <T>(value: readonly T[] | null | undefined): T[] => (value ? [...value] : []);
const text = (value: string | null | undefined): string => value ?? '';
const num = (value: number | null | undefined): number => value ?? 0;

export function fromInspect(inspect: ContainerInspect): InspectedRun {
  const config = inspect.Config ?? {};
  const hc = inspect.HostConfig ?? {};
  const spec = emptySpec(text(config.Image) || text(inspect.Image));

  spec.command = config.Cmd ? [...config.Cmd] : null;
  spec.entrypoint = config.Entrypoint ? [...config.Entrypoint] : null;
  spec.user = text(config.User);
  spec.workdir = text(config.WorkingDir);
  spec.env = list(config.Env);
  spec.hostname = text(config.Hostname);
  spec.domainname = text(config.Domainname);
  spec.labels = { ...(config.Labels ?? {}) };
  spec.stopSignal = text(config.StopSignal);
  spec.stopTimeout = config.StopTimeout ?? undefined;
  spec.healthcheck = config.Healthcheck ? { ...config.Healthcheck } : undefined;
  spec.name = text(inspect.Name).replace(/^\//, '');
  spec.tty = config.Tty === true;
  spec.interactive = config.OpenStdin === true;
  const attached: Stream[] = [];
  if (config.AttachStdin === true) attached.push('stdin');
  if (config.AttachStdout === true) attached.push('stdout');
  if (config.AttachStderr === true) attached.push('stderr');
  spec.detach = attached.length === 0;
  const attachesAsDefault =
    config.AttachStdout === true && config.AttachStderr === true && (config.AttachStdin === true) === spec.interactive;
  spec.attach = spec.detach || attachesAsDefault ? [] : attached;

  spec.autoRemove = hc.AutoRemove === true;
  spec.privileged = hc.Privileged === true;
  spec.capAdd = normalizeCapabilities(list(hc.CapAdd));
  spec.capDrop = normalizeCapabilities(list(hc.CapDrop));
  spec.securityOpt = list(hc.SecurityOpt).map(readSecurityOpt);
  spec.maskedPaths = hc.MaskedPaths ? [...hc.MaskedPaths] : null;
  spec.readonlyPaths = hc.ReadonlyPaths ? [...hc.ReadonlyPaths] : null;
  spec.readOnly = hc.ReadonlyRootfs === true;
  spec.runtime = text(hc.Runtime);
  spec.isolation = text(hc.Isolation);
  spec.cgroupParent = text(hc.CgroupParent);
  spec.pid = text(hc.PidMode);
  spec.ipc = text(hc.IpcMode);
  spec.uts = text(hc.UTSMode);
  spec.userns = text(hc.UsernsMode);
  spec.cgroupns = text(hc.CgroupnsMode);

  const mounts: MountSpec[] = [];
  for (const raw of list(hc.Binds)) mounts.push(volumeMount(raw, '/'));
  for (const target of Object.keys(config.Volumes ?? {})) {
    mounts.push({ via: 'volume', kind: 'anonymous', source: '', target, mode: '', raw: '' });
  }
  for (const [target, options] of Object.entries(hc.Tmpfs ?? {})) mounts.push({ via: 'tmpfs', target, options });
  for (const m of list(hc.Mounts)) mounts.push({ via: 'mount', target: m.Target, mount: { ...m } });
  spec.mounts = mounts;
  spec.volumesFrom = list(hc.VolumesFrom);
  spec.volumeDriver = text(hc.VolumeDriver);
  spec.storageOpt = { ...(hc.StorageOpt ?? {}) };

  spec.networks = networks(inspect);
  spec.links = list(hc.Links);
  const ports: PublishedPort[] = [];
  for (const [port, bindings] of Object.entries(hc.PortBindings ?? {})) {
    for (const b of bindings) ports.push({ port, hostIp: b.HostIp, hostPort: b.HostPort });
  }
  spec.ports = ports;
  spec.expose = Object.keys(config.ExposedPorts ?? {}).filter((p) => !(p in (hc.PortBindings ?? {})));
  spec.publishAll = hc.PublishAllPorts === true;
  spec.dns = list(hc.Dns);
  spec.dnsOptions = list(hc.DnsOptions);
  spec.dnsSearch = list(hc.DnsSearch);
  spec.extraHosts = list(hc.ExtraHosts);

  spec.devices = list(hc.Devices).map((d) => ({ ...d }));
  const requests = list(hc.DeviceRequests);
  spec.cdiDevices = requests.filter((r) => r.Driver === 'cdi').flatMap((r) => list(r.DeviceIDs));
  spec.gpus = requests.filter((r) => r.Driver !== 'cdi').map((r) => ({ ...r }));
  spec.deviceCgroupRules = list(hc.DeviceCgroupRules);
  spec.sysctls = { ...(hc.Sysctls ?? {}) };
  spec.ulimits = list(hc.Ulimits).map((u) => ({ ...u }));
  spec.annotations = { ...(hc.Annotations ?? {}) };
  spec.groupAdd = list(hc.GroupAdd);

  spec.memory = num(hc.Memory);
  spec.memoryReservation = num(hc.MemoryReservation);
  spec.memorySwap = num(hc.MemorySwap);
  spec.memorySwappiness = hc.MemorySwappiness ?? -1;
  spec.kernelMemory = num(hc.KernelMemory);
  spec.oomKillDisable = hc.OomKillDisable === true;
  spec.oomScoreAdj = num(hc.OomScoreAdj);
  spec.shmSize = num(hc.ShmSize);
  spec.nanoCpus = num(hc.NanoCpus);
  spec.cpuShares = num(hc.CpuShares);
  spec.cpuPeriod = num(hc.CpuPeriod);
  spec.cpuQuota = num(hc.CpuQuota);
  spec.cpuRealtimePeriod = num(hc.CpuRealtimePeriod);
  spec.cpuRealtimeRuntime = num(hc.CpuRealtimeRuntime);
  spec.cpusetCpus = text(hc.CpusetCpus);
  spec.cpusetMems = text(hc.CpusetMems);
  spec.pidsLimit = num(hc.PidsLimit);
  spec.blkioWeight = num(hc.BlkioWeight);
  spec.blkioWeightDevice = list(hc.BlkioWeightDevice);
  spec.blkioDeviceReadBps = list(hc.BlkioDeviceReadBps);
  spec.blkioDeviceWriteBps = list(hc.BlkioDeviceWriteBps);
  spec.blkioDeviceReadIOps = list(hc.BlkioDeviceReadIOps);
  spec.blkioDeviceWriteIOps = list(hc.BlkioDeviceWriteIOps);
  spec.cpuCount = num(hc.CpuCount);
  spec.cpuPercent = num(hc.CpuPercent);
  spec.ioMaximumBandwidth = num(hc.IOMaximumBandwidth);
  spec.ioMaximumIOps = num(hc.IOMaximumIOps);
  spec.logDriver = text(hc.LogConfig?.Type);
  spec.logOpts = { ...(hc.LogConfig?.Config ?? {}) };
  spec.restart = {
    Name: text(hc.RestartPolicy?.Name) || 'no',
    MaximumRetryCount: num(hc.RestartPolicy?.MaximumRetryCount),
  };
  spec.init = hc.Init ?? undefined;

  return { spec, provenance: engineProvenance(spec, inspect.Id) };
}

/** NetworkMode first (as --network would have named it), then the other networks it is on. */
function networks(inspect: ContainerInspect): NetworkAttachment[] {
  const mode = text(inspect.HostConfig?.NetworkMode);
  const endpoints = inspect.NetworkSettings?.Networks ?? {};
  const attachment = (target: string): NetworkAttachment => {
    const ep = endpoints[target];
    const ipam = ep?.IPAMConfig ?? undefined;
    return {
      target,
      aliases: list(ep?.Aliases),
      ipv4: ipam?.IPv4Address ?? '',
      ipv6: ipam?.IPv6Address ?? '',
      macAddress: '',
      linkLocalIps: list(ipam?.LinkLocalIPs),
      driverOpts: ep?.DriverOpts ?? undefined,
      gwPriority: 0,
    };
  };
  if (mode === '' || mode === 'default') return [];
  const others = Object.keys(endpoints).filter((name) => name !== mode);
  return [
    attachment(mode),
    ...(mode.startsWith('container:') || mode === 'host' || mode === 'none' ? [] : others.map(attachment)),
  ];
}

/** Every field and keyed item of the spec, from the container. */
function engineProvenance(spec: RunSpec, id: string): Provenance {
  const provenance: Provenance = new Map();
  const origin = { source: { kind: 'engine' as const }, flag: 'inspect', text: id };
  for (const field of Object.keys(FIELD_RULES) as SpecField[]) {
    provenance.set(field, origin);
    const value: unknown = spec[field];
    if (Array.isArray(value)) {
      for (const item of value) {
        const key = itemKeyOf(field, item);
        if (key !== undefined) provenance.set(provenanceKey(field, key), origin);
      }
    } else if (value !== null && typeof value === 'object' && FIELD_RULES[field].kind === 'map') {
      for (const key of Object.keys(value)) provenance.set(provenanceKey(field, key), origin);
    }
  }
  return provenance;
}
