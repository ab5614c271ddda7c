import { originOf, type Check, type Hit } from './context.js';

/**
 * Kubernetes' safe sysctls (PSS baseline): namespaced, and unable to affect other containers or
 * the host. Everything else is reported.
 */
export const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
]);

/** The kernel accepts both separators: net/ipv4/ip_forward is net.ipv4.ip_forward. */
const sysctlName = (key: string): string => key.trim().replaceAll('/', '.');

/** SD130, one finding per unsafe sysctl. */
const sysctls: Check = (ctx) => {
  const hits: Hit[] = [];
  for (const key of Object.keys(ctx.spec.sysctls)) {
    const name = sysctlName(key);
    if (SAFE_SYSCTLS.has(name)) continue;
    hits.push({ rule: 'SD130', detail: `Sysctls sets ${name}`, origin: originOf(ctx, 'sysctls', key), item: name });
  }
  return hits;
};

export const sysctlChecks: readonly Check[] = [sysctls];
