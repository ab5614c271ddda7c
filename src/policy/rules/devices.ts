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

/** SD123 (host devices, GPUs and CDI devices) and SD124 (device cgroup rules), one finding each. */
const devices: Check = (ctx) => {
  const { spec } = ctx;
  const hits: Hit[] = [];
  for (const d of spec.devices) {
    const host = d.PathOnHost;
    if (EVERY_CONTAINER_HAS.has(host)) continue;
    const inside = d.PathInContainer && d.PathInContainer !== host ? ` as ${d.PathInContainer}` : '';
    hits.push({
      rule: 'SD123',
      detail: `Devices has ${host}${inside} (${d.CgroupPermissions || 'rwm'})`,
      origin: originOf(ctx, 'devices', d.PathInContainer),
      item: host,
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
    hits.push({
      rule: 'SD124',
      detail: `DeviceCgroupRules has "${rule}"`,
      origin: originOf(ctx, 'deviceCgroupRules'),
      item: rule,
    });
  }
  return hits;
};

export const deviceChecks: readonly Check[] = [devices];
