import type { ContainerInspect } from '../../api/inspect.js';
import type { AuditHit } from '../types.js';
import type { NamespaceShare } from './namespace-sharing.js';

/** What the runtime checks read besides the container: the default bridge's ICC, the sharing map. */
export interface RuntimeContext {
  /** Whether containers on the default bridge may reach each other (undefined: not known). */
  bridgeIcc: boolean | undefined;
  shares: readonly NamespaceShare[];
  /** The container's name, as the others name it to join. */
  name: string;
}

/** Restart attempts CIS 5.15 allows for on-failure. */
const MAX_RETRIES = 5;

const NAMESPACE_FLAG = { pid: '--pid', ipc: '--ipc', uts: '--uts', net: '--network' } as const;
const NAMESPACE_NAME = { pid: 'process', ipc: 'IPC', uts: 'UTS', net: 'network' } as const;

/** SD301–SD304: what only an existing container shows. Pure. */
export function runtimeChecks(inspect: ContainerInspect, ctx: RuntimeContext): AuditHit[] {
  const hits: AuditHit[] = [];
  const hc = inspect.HostConfig ?? {};

  const name = hc.RestartPolicy?.Name ?? '';
  const retries = hc.RestartPolicy?.MaximumRetryCount ?? 0;
  if (name === 'always' || name === 'unless-stopped')
    hits.push({ rule: 'SD301', detail: `RestartPolicy is "${name}": restarted without end` });
  else if (name === 'on-failure' && (retries === 0 || retries > MAX_RETRIES))
    hits.push({
      rule: 'SD301',
      detail: `RestartPolicy is "on-failure" with ${retries === 0 ? 'no limit' : `${retries} retries`} (at most ${MAX_RETRIES})`,
    });

  const test = inspect.Config?.Healthcheck?.Test ?? [];
  if (test.length === 0) hits.push({ rule: 'SD302', detail: 'neither the image nor the run defines a health check' });
  else if (test[0] === 'NONE')
    hits.push({ rule: 'SD302', detail: "the image's health check is switched off (--no-healthcheck)" });

  const mode = hc.NetworkMode ?? '';
  const networks = Object.keys(inspect.NetworkSettings?.Networks ?? {});
  if (mode === 'default' || mode === 'bridge' || networks.includes('bridge')) {
    const icc =
      ctx.bridgeIcc === true
        ? ', where inter-container communication is on'
        : ctx.bridgeIcc === false
          ? ' (inter-container communication is off there)'
          : '';
    hits.push({ rule: 'SD303', detail: `the container is on the default bridge${icc}` });
  }

  for (const share of ctx.shares) {
    const how =
      share.how === 'joined'
        ? `${share.with.length === 1 ? 'it' : 'they'} joined with ${NAMESPACE_FLAG[share.kind]} container:${ctx.name}`
        : "the host's /proc shows one namespace";
    hits.push({
      rule: 'SD304',
      detail: `its ${NAMESPACE_NAME[share.kind]} namespace is shared with ${share.with.join(', ')} (${how})`,
    });
  }
  return hits;
}
