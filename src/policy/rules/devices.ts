import type { DeviceRequest } from '../../api/create-body.js';
import { originOf, type Check, type Hit } from './context.js';

function describeRequest(r: DeviceRequest): string {
  if (r.Driver === 'cdi')
    return `CDI device${(r.DeviceIDs ?? []).length === 1 ? '' : 's'} ${(r.DeviceIDs ?? []).join(', ')}`;
  const kind = (r.Capabilities ?? []).flat().join('/') || 'host';
  const ids = r.DeviceIDs ?? [];
  const driver = r.Driver ? ` (driver ${r.Driver})` : '';
  if (ids.length > 0) return `${kind} device${ids.length === 1 ? '' : 's'} ${ids.join(', ')}${driver}`;
  const count = r.Count;
  return `${count === -1 ? 'all' : String(count)} ${kind} device${count === 1 ? '' : 's'}${driver}`;
}

/**
 * The devices the runtime gives every container anyway (runc's default device list): mapping the
 * host's node of one of these adds nothing a container does not already have. Named by the host's
 * own path under /dev, which only root can change.
 */
const EVERY_CONTAINER_HAS: ReadonlySet<string> = new Set([
  '/dev/null',
  '/dev/zero',
  '/dev/full',
  '/dev/random',
  '/dev/urandom',
  '/dev/tty',
]);

/**
 * Devices that are the host itself: a disk (read or rewrite any host file, the engine's socket
 * included, as a disk volume would: SD134 is critical too) or the host's memory and I/O ports.
 * Known by what the node is on this host (a block device) or, when it cannot be read, by name.
 */
const HOST_ITSELF =
  /^\/dev\/(?:[sv]d[a-z]+\d*|xvd[a-z]+\d*|hd[a-z]+\d*|nvme\d+(?:n\d+(?:p\d+)?)?|mmcblk\d+(?:p\d+)?|dm-\d+|md\d+|loop\d+|mapper\/.+|disk\/.+|mem|kmem|port)$/;

function hostItself(ctx: Parameters<Check>[0], path: string): string | undefined {
  if (ctx.host.stat?.(path)?.kind === 'block-device')
    return 'a block device: the host disk it holds can be read and rewritten';
  if (HOST_ITSELF.test(path))
    return /\/(?:mem|kmem|port)$/.test(path)
      ? "the host's memory or I/O ports"
      : 'named as a disk: the host disk it holds can be read and rewritten';
  return undefined;
}

/** SD123 (host devices, GPUs and CDI devices) and SD124 (device cgroup rules), one finding each. */
const devices: Check = (ctx) => {
  const { spec } = ctx;
  const hits: Hit[] = [];
  for (const d of spec.devices) {
    const host = d.PathOnHost;
    if (EVERY_CONTAINER_HAS.has(host)) continue;
    const inside = d.PathInContainer && d.PathInContainer !== host ? ` as ${d.PathInContainer}` : '';
    const itself = hostItself(ctx, host);
    hits.push({
      rule: 'SD123',
      detail: `Devices has ${host}${inside} (${d.CgroupPermissions || 'rwm'})${itself === undefined ? '' : `, ${itself}`}`,
      origin: originOf(ctx, 'devices', d.PathInContainer),
      item: host,
      ...(itself === undefined ? {} : { severity: 'critical' as const }),
    });
  }
  const requests: Array<[DeviceRequest, 'gpus' | 'device']> = spec.gpus.map((g) => [g, 'gpus']);
  if (spec.cdiDevices.length > 0) {
    requests.push([
      { Driver: 'cdi', Count: 0, DeviceIDs: spec.cdiDevices, Capabilities: null, Options: null },
      'device',
    ]);
  }
  for (const [r, flag] of requests) {
    // --gpus count=0 asks for no device: the request gives the container nothing.
    if (r.Driver !== 'cdi' && r.Count === 0 && (r.DeviceIDs ?? []).length === 0) continue;
    hits.push({
      rule: 'SD123',
      detail: `DeviceRequests asks for ${describeRequest(r)} (--${flag})`,
      origin: originOf(ctx, flag === 'gpus' ? 'gpus' : 'cdiDevices'),
      item: flag === 'gpus' ? 'gpus' : 'cdi',
    });
  }
  for (const rule of spec.deviceCgroupRules) {
    // Block devices (b, or a for all) are the host's disks; char 1:1, 1:2 and 1:4 its memory and ports.
    const itself = /^\s*[ab](?:\s|$)/.test(rule) || /^\s*c\s+1:[124](?:\s|$)/.test(rule);
    hits.push({
      rule: 'SD124',
      detail: `DeviceCgroupRules has "${rule}"${itself ? ", which lets the container use the host's disks or memory" : ''}`,
      origin: originOf(ctx, 'deviceCgroupRules'),
      item: rule,
      ...(itself ? { severity: 'critical' as const } : {}),
    });
  }
  return hits;
};

export const deviceChecks: readonly Check[] = [devices];
