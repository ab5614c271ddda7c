import type { RuleId } from '../../policy/types.js';
import type { AuditHit } from '../types.js';
import type { DaemonFacts, DaemonHost } from './daemon-facts.js';
import { settingOf } from './settings.js';

/** What a check reads: the facts, the host's view (when there is one) and the daemon's settings from it. */
export interface DaemonContext {
  facts: DaemonFacts;
  host: DaemonHost | undefined;
  /** A setting from the command line or daemon.json; only meaningful when `host` is there. */
  setting: (key: string) => unknown;
  /** Whether the daemon's settings could be read in full (its daemon.json read or absent). */
  settingsKnown: boolean;
}

/**
 * One row per daemon rule. `needs: 'host'` rows read settings that only the daemon's command line
 * and daemon.json show; without them the rule is reported as not checked, never as passed.
 */
interface ConfigCheck {
  rule: RuleId;
  needs: 'api' | 'host';
  check: (ctx: DaemonContext) => AuditHit[];
}

const hit = (rule: RuleId, detail: string, extra: Partial<AuditHit> = {}): AuditHit[] => [{ rule, detail, ...extra }];

/** SecurityOptions entries as key=value maps: "name=seccomp,profile=default" → {name, profile}. */
function securityOptions(facts: DaemonFacts): Record<string, string>[] {
  return (facts.info.SecurityOptions ?? []).map((entry) =>
    Object.fromEntries(
      entry.split(',').map((kv) => {
        const eq = kv.indexOf('=');
        return eq < 0 ? [kv, ''] : [kv.slice(0, eq), kv.slice(eq + 1)];
      }),
    ),
  );
}

const hasSecurityOption = (facts: DaemonFacts, name: string): boolean =>
  securityOptions(facts).some((o) => o['name'] === name);

const swarmActive = (facts: DaemonFacts): boolean => facts.info.Swarm?.LocalNodeState === 'active';

/** Loopback ranges the engine allows as insecure by default, which reach only this host. */
const LOOPBACK_CIDRS = new Set(['127.0.0.0/8', '::1/128']);

/** Log drivers that keep logs on this host only. */
const LOCAL_LOG_DRIVERS = new Set(['json-file', 'local', 'none', '']);

const isLoopback = (address: string): boolean =>
  /^127\./.test(address) || address === '::1' || address === 'localhost' || address.startsWith('::ffff:127.');

/** tcp://HOST:PORT entries of "hosts" (-H), with the port dockerd uses when none is given. */
function tcpHosts(hosts: unknown, tls: boolean): { spec: string; address: string; port: number }[] {
  const list = Array.isArray(hosts) ? hosts.filter((h): h is string => typeof h === 'string') : [];
  const out: { spec: string; address: string; port: number }[] = [];
  for (const spec of list) {
    const m = /^tcp:\/\/(\[[^\]]*\]|[^:/]*)(?::(\d+))?/.exec(spec.trim());
    if (m === null) continue;
    const address = (m[1] ?? '').replace(/^\[(.*)\]$/, '$1') || '0.0.0.0';
    out.push({ spec, address, port: m[2] === undefined ? (tls ? 2376 : 2375) : Number(m[2]) });
  }
  return out;
}

/** SD201: the API on TCP without verified client certificates (settings and the open sockets). */
const tcpApi: ConfigCheck = {
  rule: 'SD201',
  needs: 'api',
  check({ facts, host, setting }) {
    const hits: AuditHit[] = [];
    if (facts.connection.kind === 'tcp' && !facts.connection.tls)
      hits.push({ rule: 'SD201', detail: `safedock reached the engine at ${facts.connection.display} without TLS` });
    if (host === undefined) return hits;
    const verify = setting('tlsverify') === true;
    if (verify) return hits;
    const tls = setting('tls') === true;
    const how = tls ? 'TLS without tlsverify: any client gets in' : 'no TLS';
    const entries = tcpHosts(setting('hosts'), tls);
    const explained = new Set<number>();
    for (const e of entries) {
      explained.add(e.port);
      const open = host.listeners?.find((l) => l.port === e.port);
      const where = open === undefined ? '' : ` (listening on ${open.address}:${open.port})`;
      hits.push({
        rule: 'SD201',
        detail: `hosts has ${e.spec}: ${how}${where}`,
        ...(isLoopback(e.address) ? { severity: 'high' as const } : {}),
      });
    }
    // Sockets dockerd holds that no tcp:// entry explains: systemd socket activation (fd://), or
    // flags this audit does not read. Swarm's ports use swarm's own mutual TLS; metrics are read-only.
    const metricsAddr = setting('metrics-addr');
    const metrics = typeof metricsAddr === 'string' ? /:(\d+)$/.exec(metricsAddr)?.[1] : undefined;
    for (const l of host.listeners ?? []) {
      if (explained.has(l.port) || String(l.port) === metrics) continue;
      if (swarmActive(facts) && (l.port === 2377 || l.port === 7946)) continue;
      explained.add(l.port);
      hits.push({
        rule: 'SD201',
        detail: `dockerd listens on TCP ${l.address}:${l.port} and tlsverify is off`,
        ...(isLoopback(l.address) ? { severity: 'high' as const } : {}),
      });
    }
    return hits;
  },
};

const CONFIG_CHECKS: readonly ConfigCheck[] = [
  tcpApi,
  {
    rule: 'SD210',
    needs: 'api',
    check({ facts }) {
      const seccomp = securityOptions(facts).find((o) => o['name'] === 'seccomp');
      if (seccomp === undefined)
        return hit('SD210', 'the engine reports no seccomp support (SecurityOptions has no name=seccomp)');
      if (seccomp['profile'] === 'unconfined')
        return hit('SD210', 'SecurityOptions has name=seccomp,profile=unconfined');
      return [];
    },
  },
  {
    rule: 'SD211',
    needs: 'api',
    check({ facts }) {
      const icc = facts.bridge?.Options?.['com.docker.network.bridge.enable_icc'];
      if (facts.bridge === undefined || icc === 'false') return [];
      return hit('SD211', `the default bridge has com.docker.network.bridge.enable_icc=${icc ?? 'true'}`);
    },
  },
  {
    rule: 'SD212',
    needs: 'api',
    check({ facts }) {
      if (hasSecurityOption(facts, 'userns') || hasSecurityOption(facts, 'rootless')) return [];
      return hit('SD212', 'SecurityOptions has no name=userns: root in a container is root on the host');
    },
  },
  {
    rule: 'SD213',
    needs: 'host',
    check({ setting }) {
      const v = setting('no-new-privileges');
      return v === true
        ? []
        : hit('SD213', `no-new-privileges is ${v === false ? 'false' : 'not set (default false)'}`);
    },
  },
  {
    rule: 'SD214',
    needs: 'api',
    check({ facts }) {
      const reg = facts.info.RegistryConfig;
      const hits: AuditHit[] = [];
      for (const cidr of reg?.InsecureRegistryCIDRs ?? [])
        if (!LOOPBACK_CIDRS.has(cidr)) hits.push({ rule: 'SD214', detail: `insecure registries include ${cidr}` });
      for (const [name, index] of Object.entries(reg?.IndexConfigs ?? {}))
        if (index.Secure === false) hits.push({ rule: 'SD214', detail: `registry ${name} is insecure` });
      return hits;
    },
  },
  {
    rule: 'SD215',
    needs: 'api',
    check({ facts }) {
      if (!swarmActive(facts) || facts.info.Swarm?.ControlAvailable !== true) return [];
      if (facts.swarm?.Spec?.EncryptionConfig?.AutoLockManagers === true) return [];
      return hit('SD215', 'this node is a swarm manager and AutoLockManagers is false');
    },
  },
  {
    rule: 'SD216',
    needs: 'api',
    check({ facts }) {
      // Live restore cannot be used with swarm mode.
      if (facts.info.LiveRestoreEnabled === true || swarmActive(facts)) return [];
      return hit('SD216', 'LiveRestoreEnabled is false');
    },
  },
  {
    rule: 'SD217',
    needs: 'host',
    check({ setting }) {
      return setting('userland-proxy') === false ? [] : hit('SD217', 'userland-proxy is on (the default)');
    },
  },
  {
    rule: 'SD218',
    needs: 'host',
    check({ setting }) {
      const v = setting('default-ulimits');
      const set = Array.isArray(v) ? v.length > 0 : v !== null && typeof v === 'object' && Object.keys(v).length > 0;
      return set ? [] : hit('SD218', 'default-ulimits is not set');
    },
  },
  {
    rule: 'SD219',
    needs: 'api',
    check({ facts }) {
      const driver = facts.info.LoggingDriver ?? '';
      if (!LOCAL_LOG_DRIVERS.has(driver)) return [];
      return hit(
        'SD219',
        `the log driver is ${driver === '' ? 'not reported' : driver}${driver === 'none' ? ': no logs are kept at all' : ''}`,
      );
    },
  },
  {
    rule: 'SD220',
    needs: 'api',
    check({ facts, host, setting }) {
      if (facts.info.Debug === true) return hit('SD220', 'debug is on (log level debug)');
      if (host === undefined) return [];
      const level = setting('log-level');
      return level === undefined || level === 'info' ? [] : hit('SD220', `log-level is ${JSON.stringify(level)}`);
    },
  },
  {
    rule: 'SD221',
    needs: 'api',
    check({ facts }) {
      const plugins = facts.info.Plugins?.Authorization ?? [];
      return plugins.length > 0 ? [] : hit('SD221', 'no authorization plugin is loaded');
    },
  },
  {
    rule: 'SD222',
    needs: 'api',
    check({ facts }) {
      return facts.info.ExperimentalBuild === true ? hit('SD222', 'experimental features are on') : [];
    },
  },
  {
    rule: 'SD223',
    needs: 'api',
    check({ facts }) {
      return hasSecurityOption(facts, 'rootless') ? [] : hit('SD223', 'SecurityOptions has no name=rootless');
    },
  },
  {
    rule: 'SD224',
    needs: 'host',
    check({ setting }) {
      return setting('iptables') === false ? hit('SD224', 'iptables is false') : [];
    },
  },
  {
    rule: 'SD225',
    needs: 'api',
    check({ facts }) {
      return facts.info.Driver === 'aufs' ? hit('SD225', 'the storage driver is aufs') : [];
    },
  },
];

/** Rules whose findings come from the host's files (file-checks.ts). */
export const FILE_RULE_IDS: readonly RuleId[] = [
  'SD202',
  'SD203',
  'SD204',
  'SD205',
  'SD206',
  'SD207',
  'SD208',
  'SD209',
];

export function daemonContext(facts: DaemonFacts): DaemonContext {
  const host = 'unavailable' in facts.host ? undefined : facts.host;
  return {
    facts,
    host,
    setting: (key) => (host === undefined ? undefined : settingOf(host.flags, host.daemonJson, key)),
    settingsKnown: host !== undefined && (host.daemonJson.state === 'read' || host.daemonJson.state === 'absent'),
  };
}

export interface ConfigResult {
  hits: AuditHit[];
  /** Rules that need the daemon's settings when those could not be read. */
  unchecked: RuleId[];
}

export function checkConfig(ctx: DaemonContext): ConfigResult {
  const hits: AuditHit[] = [];
  const unchecked: RuleId[] = [];
  for (const row of CONFIG_CHECKS) {
    if (row.needs === 'host' && !ctx.settingsKnown) {
      unchecked.push(row.rule);
      continue;
    }
    hits.push(...row.check(ctx));
  }
  return { hits, unchecked };
}
