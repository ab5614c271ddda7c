import { publishKey } from '../../merge/rules.js';
import { canonicalIp } from '../../docker-cli/go-ip.js';
import type { FindingOrigin } from '../types.js';
import { originOf, type Check, type Hit, type RuleContext } from './context.js';

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

function portOrigin(ctx: RuleContext, port: string): FindingOrigin {
  const byPort = originOf(ctx.options, 'publish', (v) => publishKey(v) === port);
  if (byPort !== 'default') return byPort;
  const last = originOf(ctx.options, 'publish');
  return last === 'default' ? 'user' : last;
}

/** SD125: one finding per port binding on every interface, and one for -P. */
const ports: Check = (ctx) => {
  const { hc, body, image } = ctx;
  if (!publishes(hc.NetworkMode)) return [];
  const hits: Hit[] = [];
  for (const [port, bindings] of Object.entries(hc.PortBindings)) {
    for (const b of bindings) {
      if (!isEveryInterface(b.HostIp)) continue;
      const hostPort = b.HostPort === '' ? 'a random host port' : `host port ${b.HostPort}`;
      hits.push({
        rule: 'SD125',
        detail: `${port} is published on ${hostPort} of every interface (HostIp ${JSON.stringify(b.HostIp)})`,
        origin: portOrigin(ctx, port),
      });
    }
  }
  if (hc.PublishAllPorts) {
    const exposed = [...new Set([...Object.keys(body.ExposedPorts ?? {}), ...(image?.exposedPorts ?? [])])].sort();
    // With the image inspected and nothing exposed, -P publishes nothing.
    if (image === undefined || exposed.length > 0) {
      const which = exposed.length > 0 ? exposed.join(', ') : 'every port the image exposes (not inspected)';
      hits.push({
        rule: 'SD125',
        detail: `PublishAllPorts (-P) publishes ${which} on random ports of every interface`,
        origin: originOf(ctx.options, 'publish-all'),
      });
    }
  }
  return hits;
};

export const portChecks: readonly Check[] = [ports];
