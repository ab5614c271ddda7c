/**
 * The run model → the Engine API create request, exactly as the docker CLI 28 sends it for the same
 * settings (the oracle test compares the two). The one place that knows the body's shape: which
 * list is sent as null when empty, which maps are sorted, which fields exist only in some API
 * versions.
 */
import type { CreateBody, DeviceRequest, PortBinding, RunRequest } from '../api/create-body.js';
import { normalizeCapabilities } from '../grammar/capabilities.js';
import { versionLess } from '../grammar/network.js';
import { sortKeys } from '../grammar/sort-keys.js';
import { baselineBody } from './baseline-body.js';
import { buildNetworks, checkEndpointMacGate } from './networks.js';
import type { RunSpec } from './run-spec.js';

export interface BodyContext {
  /** The negotiated engine API version, e.g. "1.41": some fields exist only in some versions. */
  apiVersion: string;
  /** Rows and columns of the client's terminal when its stdout is one (docker sends them at create). */
  consoleSize?: readonly [number, number] | undefined;
}

const orNull = <T>(list: readonly T[]): T[] | null => (list.length > 0 ? [...list] : null);

export function toCreateBody(spec: RunSpec, ctx: BodyContext): CreateBody {
  const body = baselineBody(spec.image, spec.command === null ? null : [...spec.command]);
  const hc = body.HostConfig;

  // Attach and stdin; -d attaches nothing.
  const attach = spec.attach;
  body.AttachStdin = !spec.detach && (attach.includes('stdin') || spec.interactive);
  body.AttachStdout = !spec.detach && (attach.length === 0 || attach.includes('stdout'));
  body.AttachStderr = !spec.detach && (attach.length === 0 || attach.includes('stderr'));
  body.OpenStdin = spec.interactive;
  body.Tty = spec.tty;
  body.StdinOnce = body.OpenStdin && body.AttachStdin;

  // Mounts, in the three fields the engine reads them from.
  const binds: string[] = [];
  const volumes: Record<string, Record<string, never>> = {};
  const tmpfs: Record<string, string> = {};
  const mounts = [];
  for (const m of spec.mounts) {
    if (m.via === 'volume') {
      if (m.kind === 'anonymous') volumes[m.target] = {};
      else binds.push(m.raw);
    } else if (m.via === 'tmpfs') {
      tmpfs[m.target] = m.options;
    } else {
      mounts.push(m.mount);
    }
  }
  hc.Binds = orNull(binds);
  body.Volumes = sortKeys(volumes);
  if (Object.keys(tmpfs).length > 0) hc.Tmpfs = sortKeys(tmpfs);
  if (mounts.length > 0) hc.Mounts = mounts;

  if (spec.entrypoint !== null) body.Entrypoint = [...spec.entrypoint];

  // Ports: every published port is exposed too; bindings of one port accumulate in order.
  const exposed: Record<string, Record<string, never>> = {};
  const bindings: Record<string, PortBinding[]> = {};
  for (const p of spec.ports) {
    exposed[p.port] = {};
    (bindings[p.port] ??= []).push({ HostIp: p.hostIp, HostPort: p.hostPort });
  }
  for (const e of spec.expose) exposed[e] = {};
  if (Object.keys(exposed).length > 0) body.ExposedPorts = sortKeys(exposed);
  hc.PortBindings = sortKeys(bindings);

  body.Env = orNull(spec.env);
  body.Labels = sortKeys(spec.labels);
  hc.LogConfig = { Type: spec.logDriver, Config: sortKeys(spec.logOpts) };

  // An empty SecurityOpt (not null) when the only option given was systempaths=unconfined.
  hc.SecurityOpt =
    spec.securityOpt.length > 0 ? spec.securityOpt.map((o) => o.raw) : spec.maskedPaths === null ? null : [];
  hc.MaskedPaths = spec.maskedPaths === null ? null : [...spec.maskedPaths];
  hc.ReadonlyPaths = spec.readonlyPaths === null ? null : [...spec.readonlyPaths];
  if (Object.keys(spec.storageOpt).length > 0) hc.StorageOpt = sortKeys(spec.storageOpt);
  if (spec.healthcheck !== undefined) body.Healthcheck = { ...spec.healthcheck };

  const deviceRequests: DeviceRequest[] = [...spec.gpus];
  if (spec.cdiDevices.length > 0) {
    deviceRequests.push({
      Driver: 'cdi',
      Count: 0,
      DeviceIDs: [...spec.cdiDevices],
      Capabilities: null,
      Options: null,
    });
  }

  body.Hostname = spec.hostname;
  body.Domainname = spec.domainname;
  body.User = spec.user;
  body.WorkingDir = spec.workdir;
  if (spec.stopSignal !== '') body.StopSignal = spec.stopSignal;
  if (spec.stopTimeout !== undefined) body.StopTimeout = spec.stopTimeout;
  hc.ContainerIDFile = spec.cidfile;
  hc.AutoRemove = spec.autoRemove;
  hc.Privileged = spec.privileged;
  hc.PublishAllPorts = spec.publishAll;
  hc.ReadonlyRootfs = spec.readOnly;
  hc.RestartPolicy = { ...spec.restart };
  hc.PidMode = spec.pid;
  hc.IpcMode = spec.ipc;
  hc.UTSMode = spec.uts;
  hc.UsernsMode = spec.userns;
  hc.CgroupnsMode = spec.cgroupns;
  hc.GroupAdd = orNull(spec.groupAdd);
  hc.DnsOptions = [...spec.dnsOptions];
  hc.CapAdd = orNull(normalizeCapabilities(spec.capAdd));
  hc.CapDrop = orNull(normalizeCapabilities(spec.capDrop));
  hc.Memory = spec.memory;
  hc.MemoryReservation = spec.memoryReservation;
  hc.MemorySwap = spec.memorySwap;
  hc.ShmSize = spec.shmSize;
  hc.NanoCpus = spec.nanoCpus;
  hc.PidsLimit = spec.pidsLimit;
  hc.CgroupParent = spec.cgroupParent;
  hc.MemorySwappiness = spec.memorySwappiness;
  // KernelMemory exists in API 1.40 and 1.41 only; the moby client zeroes it otherwise (omitempty).
  if (spec.kernelMemory !== 0 && !versionLess(ctx.apiVersion, '1.40') && versionLess(ctx.apiVersion, '1.42')) {
    hc.KernelMemory = spec.kernelMemory;
  }
  hc.OomKillDisable = spec.oomKillDisable;
  hc.OomScoreAdj = spec.oomScoreAdj;
  hc.CpuShares = spec.cpuShares;
  hc.CpuPeriod = spec.cpuPeriod;
  hc.CpuQuota = spec.cpuQuota;
  hc.CpuRealtimePeriod = spec.cpuRealtimePeriod;
  hc.CpuRealtimeRuntime = spec.cpuRealtimeRuntime;
  hc.CpusetCpus = spec.cpusetCpus;
  hc.CpusetMems = spec.cpusetMems;
  hc.BlkioWeight = spec.blkioWeight;
  hc.BlkioWeightDevice = spec.blkioWeightDevice.map((d) => ({ ...d }));
  hc.BlkioDeviceReadBps = spec.blkioDeviceReadBps.map((d) => ({ ...d }));
  hc.BlkioDeviceWriteBps = spec.blkioDeviceWriteBps.map((d) => ({ ...d }));
  hc.BlkioDeviceReadIOps = spec.blkioDeviceReadIOps.map((d) => ({ ...d }));
  hc.BlkioDeviceWriteIOps = spec.blkioDeviceWriteIOps.map((d) => ({ ...d }));
  hc.CpuCount = spec.cpuCount;
  hc.CpuPercent = spec.cpuPercent;
  hc.IOMaximumBandwidth = spec.ioMaximumBandwidth;
  hc.IOMaximumIOps = spec.ioMaximumIOps;
  hc.DeviceCgroupRules = orNull(spec.deviceCgroupRules);
  hc.Devices = spec.devices.map((d) => ({ ...d }));
  hc.DeviceRequests = orNull(deviceRequests);
  hc.Links = orNull(spec.links);
  hc.Dns = [...spec.dns];
  hc.DnsSearch = [...spec.dnsSearch];
  hc.ExtraHosts = orNull(spec.extraHosts);
  hc.VolumesFrom = orNull(spec.volumesFrom);
  hc.VolumeDriver = spec.volumeDriver;
  hc.Isolation = spec.isolation;
  if (spec.runtime !== '') hc.Runtime = spec.runtime;
  if (Object.keys(spec.sysctls).length > 0) hc.Sysctls = sortKeys(spec.sysctls);
  if (Object.keys(spec.annotations).length > 0) hc.Annotations = sortKeys(spec.annotations);
  hc.Ulimits = [...spec.ulimits].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  if (spec.init !== undefined) hc.Init = spec.init;

  const net = buildNetworks(spec.networks, {
    aliases: spec.networkAliases,
    links: spec.links,
    ipv4: spec.ip,
    ipv6: spec.ip6,
    macAddress: spec.macAddress,
    linkLocalIps: spec.linkLocalIps,
  });
  hc.NetworkMode = net.networkMode;
  body.NetworkingConfig = { EndpointsConfig: sortKeys(net.endpoints) };
  // The moby client: endpoint MAC addresses need API 1.44.
  checkEndpointMacGate(net.endpoints, ctx.apiVersion);

  if (ctx.consoleSize !== undefined) hc.ConsoleSize = [ctx.consoleSize[0], ctx.consoleSize[1]];
  return body;
}

/** The whole create request: the body, its query parameters and what the client does around it. */
export function toRunRequest(spec: RunSpec, ctx: BodyContext): RunRequest {
  const request: RunRequest = {
    body: toCreateBody(spec, ctx),
    client: {
      detach: spec.detach,
      pull: spec.pull,
      // run.go turns signal proxying off for a TTY.
      sigProxy: spec.sigProxy && !spec.tty,
      quiet: spec.quiet,
      ...(spec.detachKeys === undefined ? {} : { detachKeys: spec.detachKeys }),
      ...(spec.cidfile === '' ? {} : { cidfile: spec.cidfile }),
    },
  };
  if (spec.name !== '') request.name = spec.name;
  if (spec.platform !== '') request.platform = spec.platform;
  return request;
}
