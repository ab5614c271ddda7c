import { parseBool } from '../../grammar/parse-bool.js';
import { capabilityName, ENGINE_DEFAULT_CAPABILITIES } from '../../grammar/capabilities.js';
import type { SecurityOpt } from '../../model/run-spec.js';
import { engineSeccomp } from '../../seccomp/engine-read.js';
import { allowedEscapeCalls } from '../../seccomp/escape-calls.js';
import type { SeccompProfile } from '../../seccomp/types.js';
import { boundingCapabilities } from '../write-access.js';
import type { Severity } from '../types.js';
import { lastSecurityOpt, originOf, q, type Check, type Hit, type RuleContext } from './context.js';

/**
 * Capabilities that open a path out of the container (SD111), with the severity of adding each.
 * Critical: each is a known escape or host-wide read on its own.
 *   ALL (everything below), SYS_ADMIN (mount, unshare, cgroup release_agent, bpf on old kernels),
 *   SYS_MODULE (load kernel code), SYS_PTRACE (inject into processes, with a shared pid namespace
 *   the host's), DAC_READ_SEARCH (open_by_handle_at reads any host file: the "shocker" escape),
 *   SYS_RAWIO (raw I/O ports and /dev/mem), BPF (load programs into the kernel).
 * High: host-wide effects or a large kernel attack surface, but no escape by themselves.
 *   NET_ADMIN (interfaces, routes, firewall of the namespace; with host network, the host's),
 *   PERFMON (perf events: kernel addresses, side channels), SYS_BOOT (reboot, kexec), SYS_TIME
 *   (the host's clock), MAC_ADMIN / MAC_OVERRIDE (change or bypass AppArmor/SELinux), SYSLOG
 *   (kernel log: addresses that defeat KASLR), LINUX_IMMUTABLE (immutable flags on mounted host
 *   files), SYS_RESOURCE (exceed limits and quotas), CHECKPOINT_RESTORE (pick PIDs, read other
 *   processes' state), AUDIT_CONTROL (switch off host auditing), AUDIT_READ (read the host's audit
 *   stream).
 * Not listed (SD112, low): the engine's default set (CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL,
 * MKNOD, NET_RAW, SETGID, SETUID, SETFCAP, SETPCAP, SYS_CHROOT, AUDIT_WRITE; PSS baseline allows
 * all but NET_RAW, and DAC_OVERRIDE matters through host mounts, which SD120 reports) and the
 * narrow ones (IPC_LOCK, IPC_OWNER, LEASE, NET_BROADCAST, SYS_NICE, SYS_PACCT, SYS_TTY_CONFIG,
 * WAKE_ALARM, BLOCK_SUSPEND).
 */
export const DANGEROUS_CAPABILITIES: Readonly<Record<string, Severity>> = {
  ALL: 'critical',
  SYS_ADMIN: 'critical',
  SYS_MODULE: 'critical',
  SYS_PTRACE: 'critical',
  DAC_READ_SEARCH: 'critical',
  SYS_RAWIO: 'critical',
  BPF: 'critical',
  NET_ADMIN: 'high',
  PERFMON: 'high',
  SYS_BOOT: 'high',
  SYS_TIME: 'high',
  MAC_ADMIN: 'high',
  MAC_OVERRIDE: 'high',
  SYSLOG: 'high',
  LINUX_IMMUTABLE: 'high',
  SYS_RESOURCE: 'high',
  CHECKPOINT_RESTORE: 'high',
  AUDIT_CONTROL: 'high',
  AUDIT_READ: 'high',
};

/** The one capability Kubernetes' restricted profile lets a pod add. */
const RESTRICTED_ALLOWED = 'NET_BIND_SERVICE';

const optionOrigin = (ctx: RuleContext, key: string) => originOf(ctx, 'securityOpt', key);

/** The last entry for a key wins, as in the engine's loop over SecurityOpt. */
const lastOpt = (ctx: RuleContext, key: string) => lastSecurityOpt(ctx.spec, key);

const privileged: Check = (ctx) =>
  ctx.spec.privileged
    ? [{ rule: 'SD101', detail: 'Privileged is true (--privileged)', origin: originOf(ctx, 'privileged') }]
    : [];

const capabilities: Check = (ctx) => {
  const { spec } = ctx;
  const hits: Hit[] = [];
  const seen = new Set<string>();
  for (const raw of spec.capAdd) {
    const cap = capabilityName(raw);
    if (seen.has(cap) || cap === RESTRICTED_ALLOWED) continue;
    seen.add(cap);
    const origin = originOf(ctx, 'capAdd', cap);
    const shown = cap === 'ALL' ? 'ALL' : `CAP_${cap}`;
    const severity = DANGEROUS_CAPABILITIES[cap];
    if (severity !== undefined) {
      const all = cap === 'ALL' ? ': every capability, whatever --cap-drop says' : '';
      hits.push({ rule: 'SD111', detail: `CapAdd has ${shown}${all}`, origin, severity, item: cap });
    } else {
      hits.push({ rule: 'SD112', detail: `CapAdd has ${shown}`, origin, item: cap });
    }
  }
  const drop = spec.capDrop.map(capabilityName);
  if (!spec.privileged && !seen.has('ALL') && !drop.includes('ALL')) {
    const detail =
      drop.length === 0
        ? "CapDrop is empty: the engine's default capabilities stay"
        : `CapDrop is ${drop.map((c) => `CAP_${c}`).join(', ')}: the rest of the engine's default capabilities stay`;
    hits.push({ rule: 'SD113', detail, origin: originOf(ctx, 'capDrop') });
  }
  return hits;
};

/**
 * SD114 (or SD135 when the engine's decoder would refuse the text) for the seccomp option the
 * engine keeps, read as the engine reads it (src/seccomp/engine-read.ts).
 */
function seccompHit(ctx: RuleContext, opt: SecurityOpt, origin: Hit['origin']): Hit | undefined {
  const seen = engineSeccomp(opt.value);
  const from = opt.file === undefined ? '' : ` (${opt.file})`;
  switch (seen.state) {
    case 'off':
      return {
        rule: 'SD114',
        detail: seen.why.startsWith('seccomp') ? `SecurityOpt has ${opt.raw}` : `${seen.why}${from}`,
        origin,
      };
    case 'open':
      return { rule: 'SD114', detail: `${seen.why}${from}`, origin };
    case 'unreadable':
      return {
        rule: 'SD135',
        detail: `the seccomp profile cannot be read as the engine reads it: ${seen.why}${from}`,
        origin,
        item: 'seccomp',
      };
    case 'filter':
      return openCallsHit(ctx, seen.profile, from, origin);
    case 'default':
      return undefined;
  }
}

/**
 * A profile that refuses by default can still allow, by name, the calls escapes start from. They
 * are judged for the capabilities of the engine's default set the container keeps: a call the
 * profile allows only with an added capability is that capability's finding (SD111), as the
 * engine's own default profile allows mount to CAP_SYS_ADMIN.
 */
function openCallsHit(ctx: RuleContext, profile: SeccompProfile, from: string, origin: Hit['origin']): Hit | undefined {
  const held = boundingCapabilities(ctx.spec);
  const caps = ENGINE_DEFAULT_CAPABILITIES.filter((c) => held.has(c)).map((c) => `CAP_${c}`);
  const open = allowedEscapeCalls(profile, caps);
  if (open.length === 0) return undefined;
  const calls = open.map((o) => (o.rule === undefined ? o.shown : `${o.shown} (syscalls[${o.rule}])`));
  const reasons = [...new Set(open.map((o) => o.why))].join('; ');
  return {
    rule: 'SD114',
    detail: `the profile${from} refuses by default but allows ${calls.join(', ')}, which the engine's default profile refuses: ${reasons}`,
    origin,
  };
}

const confinement: Check = (ctx) => {
  const hits: Hit[] = [];
  const seccomp = lastOpt(ctx, 'seccomp');
  const seccompFinding = seccomp === undefined ? undefined : seccompHit(ctx, seccomp, optionOrigin(ctx, 'seccomp'));
  if (seccompFinding !== undefined) hits.push(seccompFinding);

  const apparmor = lastOpt(ctx, 'apparmor');
  if (apparmor !== undefined && apparmor.value.trim().toLowerCase() === 'unconfined') {
    hits.push({ rule: 'SD115', detail: `SecurityOpt has ${apparmor.raw}`, origin: optionOrigin(ctx, 'apparmor') });
  }

  const { maskedPaths, readonlyPaths } = ctx.spec;
  // The CLI turns systempaths=unconfined into empty path lists; any other spelling reaches the
  // engine as a security option, which newer engines read the same way.
  const systempaths = lastOpt(ctx, 'systempaths');
  if ((maskedPaths !== null && maskedPaths.length === 0) || (readonlyPaths !== null && readonlyPaths.length === 0)) {
    hits.push({
      rule: 'SD116',
      detail: 'MaskedPaths and ReadonlyPaths are empty (systempaths=unconfined)',
      origin: originOf(ctx, 'maskedPaths'),
    });
  } else if (systempaths !== undefined) {
    // Newer engines read systempaths=unconfined themselves; any other value is not theirs to read.
    hits.push(
      systempaths.value === 'unconfined'
        ? { rule: 'SD116', detail: `SecurityOpt has ${systempaths.raw}`, origin: optionOrigin(ctx, 'systempaths') }
        : unreadOpt(ctx, systempaths, 'newer engines take only systempaths=unconfined'),
    );
  }

  // writable-cgroups (newer engines): ParseBool's true mounts the cgroup file system read-write.
  const cgroups = lastOpt(ctx, 'writable-cgroups');
  if (cgroups !== undefined) {
    const on = parseBool(cgroups.value);
    if (on === true) {
      hits.push({
        rule: 'SD154',
        detail: `SecurityOpt has ${cgroups.raw}`,
        origin: optionOrigin(ctx, 'writable-cgroups'),
      });
    } else if (on === undefined) {
      hits.push(unreadOpt(ctx, cgroups, "the engine reads writable-cgroups with Go's ParseBool"));
    }
  }

  // The engine reads the value with strconv.ParseBool, untrimmed; a bare entry means true.
  const nnp = lastOpt(ctx, 'no-new-privileges');
  const nnpValue = nnp === undefined ? false : nnp.raw === 'no-new-privileges' ? true : parseBool(nnp.value);
  if (nnp === undefined) {
    hits.push({ rule: 'SD117', detail: 'SecurityOpt has no no-new-privileges', origin: 'default', severity: 'medium' });
  } else if (nnpValue === false) {
    // Turned off on purpose: a loosening of what the preset set, which PSS baseline forbids.
    hits.push({ rule: 'SD117', detail: `SecurityOpt has ${nnp.raw}`, origin: optionOrigin(ctx, 'no-new-privileges') });
  } else if (nnpValue === undefined) {
    hits.push({
      rule: 'SD135',
      detail: `SecurityOpt has ${nnp.raw}: the engine reads no-new-privileges with Go's ParseBool, which takes only 1, t, true, 0, f, false and their upper-case forms`,
      origin: optionOrigin(ctx, 'no-new-privileges'),
      item: 'no-new-privileges',
    });
  }

  // Keys the engine acts on that no rule here reads (writable-cgroups on newer engines, say), or
  // that the engine refuses: never passed over as harmless.
  for (const opt of ctx.spec.securityOpt.filter((o) => !JUDGED_KEYS.has(o.key))) {
    hits.push({
      rule: 'SD135',
      detail: `SecurityOpt has ${opt.raw}: safedock does not judge the key ${q(opt.key)}`,
      origin: optionOrigin(ctx, opt.key),
      item: opt.key,
    });
  }

  for (const label of ctx.spec.securityOpt.filter((o) => o.key === 'label')) {
    const why = labelProblem(label.value);
    if (why !== undefined)
      hits.push({ rule: 'SD131', detail: `SecurityOpt has ${label.raw}${why}`, origin: optionOrigin(ctx, 'label') });
  }
  return hits;
};

/** The security option keys the rules above judge. */
const JUDGED_KEYS = new Set(['seccomp', 'apparmor', 'no-new-privileges', 'label', 'systempaths', 'writable-cgroups']);

/** SELinux types a container may run as (Kubernetes' baseline list); any other type is a way out. */
const CONTAINER_TYPES = new Set(['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

function labelProblem(value: string): string | undefined {
  const v = value.trim();
  if (v.toLowerCase() === 'disable') return '';
  const sep = v.indexOf(':');
  const key = (sep < 0 ? v : v.slice(0, sep)).toLowerCase();
  const arg = sep < 0 ? '' : v.slice(sep + 1);
  if (key === 'type' && !CONTAINER_TYPES.has(arg)) return `: ${arg} is not a confined container type`;
  if (key === 'user' || key === 'role') return `: an SELinux ${key} other than the engine's`;
  return undefined;
}

/** SD135 for a security option whose value the engine would read another way, or refuse. */
function unreadOpt(ctx: RuleContext, opt: SecurityOpt, why: string): Hit {
  return {
    rule: 'SD135',
    detail: `SecurityOpt has ${opt.raw}: ${why}`,
    origin: optionOrigin(ctx, opt.key),
    item: opt.key,
  };
}

/** SD101, SD111–SD117, SD131, SD154; SD135 for a profile or value the engine's reading cannot be matched to. */
export const privilegeChecks: readonly Check[] = [privileged, capabilities, confinement];
