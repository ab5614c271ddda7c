import { canonicalIp } from '../../grammar/go-ip.js';
import { originOf, type Check, type Hit } from './context.js';

/** An empty host address, 0.0.0.0 and :: (in any spelling the engine accepts) mean every interface. */
export function isEveryInterface(hostIp: string): boolean {
  const ip = hostIp.trim().replace(/^\[(.*)\]$/, '$1');
  if (ip === '') return true;
  const canonical = canonicalIp(ip);
  return canonical === '0.0.0.0' || canonical === '::';
}

/** No ports reach a container on the host's network, on none, or in another container's namespace. */
function publishes(mode: string): boolean {
  const m = mode.trim().toLowerCase();
  return !(m === 'host' || m === 'none' || m.startsWith('container:'));
}

/** SD125: one finding per port binding on every interface, and one for -P. */
const ports: Check = (ctx) => {
  const { spec, image } = ctx;
  if (!publishes(spec.networks[0]?.target ?? 'default')) return [];
  const hits: Hit[] = [];
  for (const b of spec.ports) {
    if (!isEveryInterface(b.hostIp)) continue;
    const hostPort = b.hostPort === '' ? 'a random host port' : `host port ${b.hostPort}`;
    hits.push({
      rule: 'SD125',
      detail: `${b.port} is published on ${hostPort} of every interface (HostIp ${JSON.stringify(b.hostIp)})`,
      origin: originOf(ctx, 'ports', b.port),
      item: b.port,
    });
  }
  if (spec.publishAll) {
    const exposed = [
      ...new Set([...spec.ports.map((p) => p.port), ...spec.expose, ...(image?.exposedPorts ?? [])]),
    ].sort();
    // With the image inspected and nothing exposed, -P publishes nothing.
    if (image === undefined || exposed.length > 0) {
      const which = exposed.length > 0 ? exposed.join(', ') : 'every port the image exposes (not inspected)';
      hits.push({
        rule: 'SD125',
        detail: `PublishAllPorts (-P) publishes ${which} on random ports of every interface`,
        origin: originOf(ctx, 'publishAll'),
        item: '-P',
      });
    }
  }
  return hits;
};

export const portChecks: readonly Check[] = [ports];
