import { originOf, type Check, type Hit } from './context.js';

interface DeviceMapping {
  PathOnHost?: string;
  PathInContainer?: string;
  CgroupPermissions?: string;
}

interface DeviceRequest {
  Driver?: string;
  Count?: number;
  DeviceIDs?: string[] | null;
  Capabilities?: string[][] | null;
}

function describeRequest(r: DeviceRequest): string {
  if (r.Driver === 'cdi')
    return `CDI device${(r.DeviceIDs ?? []).length === 1 ? '' : 's'} ${(r.DeviceIDs ?? []).join(', ')}`;
  const kind = (r.Capabilities ?? []).flat().join('/') || 'host';
  const ids = r.DeviceIDs ?? [];
  const driver = r.Driver ? ` (driver ${r.Driver})` : '';
  if (ids.length > 0) return `${kind} device${ids.length === 1 ? '' : 's'} ${ids.join(', ')}${driver}`;
  const count = r.Count ?? 0;
  return `${count === -1 ? 'all' : String(count)} ${kind} device${count === 1 ? '' : 's'}${driver}`;
}

/** SD123 (host devices, GPUs and CDI devices) and SD124 (device cgroup rules), one finding each. */
const devices: Check = ({ hc, options }) => {
  const hits: Hit[] = [];
  for (const d of (hc.Devices ?? []) as DeviceMapping[]) {
    const host = d.PathOnHost ?? '';
    const inside = d.PathInContainer && d.PathInContainer !== host ? ` as ${d.PathInContainer}` : '';
    hits.push({
      rule: 'SD123',
      detail: `Devices has ${host}${inside} (${d.CgroupPermissions || 'rwm'})`,
      origin: originOf(options, 'device', (v) => v.split(':')[0] === host),
    });
  }
  for (const r of (hc.DeviceRequests ?? []) as DeviceRequest[]) {
    const flag = r.Driver === 'cdi' ? 'device' : 'gpus';
    hits.push({
      rule: 'SD123',
      detail: `DeviceRequests asks for ${describeRequest(r)} (--${flag})`,
      origin: originOf(options, flag),
    });
  }
  for (const rule of (hc.DeviceCgroupRules ?? []) as string[]) {
    hits.push({
      rule: 'SD124',
      detail: `DeviceCgroupRules has "${rule}"`,
      origin: originOf(options, 'device-cgroup-rule', (v) => v.trim() === rule.trim()),
    });
  }
  return hits;
};

export const deviceChecks: readonly Check[] = [devices];
