import { parseBool } from '../../grammar/parse-bool.js';
import type { ContainerInspect } from '../../api/inspect.js';
import { insideId } from '../host/proc-status.js';
import type { ProcessView } from '../host/read-process.js';
import type { AuditHit } from '../types.js';
import { capabilityNames, configuredCapabilities } from './capabilities.js';

/** The container's process as the host sees it, in the report. */
export interface EffectiveState {
  pid: number;
  /** The effective uid inside the container (the host's uid mapped through the container's uid_map). */
  uid: number;
  capabilities: string[];
  noNewPrivs: boolean;
  seccomp: 'off' | 'strict' | 'filter';
  /** Where the process is stricter than its configuration (not findings: worth knowing when reading them). */
  stricter: string[];
}

const SECCOMP_MODES = ['off', 'strict', 'filter'] as const;

/** The last value a key has in SecurityOpt (key=value, key:value, or bare no-new-privileges). */
function securityOpt(opts: readonly string[], key: string): string | undefined {
  let value: string | undefined;
  for (const raw of opts) {
    if (raw === key) value = 'true';
    else if (raw.startsWith(`${key}=`) || raw.startsWith(`${key}:`)) value = raw.slice(key.length + 1);
  }
  return value;
}

/**
 * The user a configuration names, as a uid when it can be told: "" and root are 0, a number is
 * itself, a name is looked up in the container's /etc/passwd when it was read.
 */
export function configuredUid(user: string, passwd: string | undefined): number | undefined {
  const name = user.split(':')[0]?.trim() ?? '';
  if (name === '' || name === 'root') return 0;
  if (/^\d+$/.test(name)) return Number(name);
  for (const line of (passwd ?? '').split('\n')) {
    const [entry, , uid] = line.split(':');
    if (entry === name && uid !== undefined && /^\d+$/.test(uid)) return Number(uid);
  }
  return undefined;
}

/**
 * Where the container's process is looser than its configuration says (SD305–SD308), and where
 * it is stricter (in `stricter`). The configuration is the inspected one, as the engine applies it.
 */
export function compareEffective(
  inspect: ContainerInspect,
  proc: ProcessView,
  passwd?: string,
): { hits: AuditHit[]; state: EffectiveState } {
  const hc = inspect.HostConfig ?? {};
  const opts = hc.SecurityOpt ?? [];
  const privileged = hc.Privileged === true;
  const hits: AuditHit[] = [];
  const stricter: string[] = [];
  const status = proc.status;
  const hostUid = status.uids[1] ?? status.uids[0] ?? 0;
  const uid = proc.uidMap.length > 0 ? (insideId(proc.uidMap, hostUid) ?? hostUid) : hostUid;

  const wanted = configuredCapabilities(privileged, hc.CapAdd, hc.CapDrop);
  const bounding = capabilityNames(status.capBnd);
  const effective = capabilityNames(status.capEff);
  if (wanted !== 'all') {
    const extra = [...new Set([...bounding, ...effective])].filter((c) => !wanted.has(c));
    if (extra.length > 0) {
      hits.push({
        rule: 'SD305',
        detail: `the process holds ${extra.map((c) => `CAP_${c}`).join(', ')}, which its CapAdd/CapDrop do not grant`,
      });
    }
  }

  const nnpOpt = securityOpt(opts, 'no-new-privileges');
  const nnpWanted = nnpOpt === undefined ? false : (parseBool(nnpOpt.trim()) ?? true);
  if (nnpWanted && !status.noNewPrivs)
    hits.push({ rule: 'SD306', detail: 'SecurityOpt has no-new-privileges, but the process has NoNewPrivs 0' });
  else if (!nnpWanted && status.noNewPrivs)
    stricter.push("NoNewPrivs is 1 without no-new-privileges (the engine's default)");

  const seccompOpt = securityOpt(opts, 'seccomp')?.trim().toLowerCase();
  const seccompWanted = !privileged && seccompOpt !== 'unconfined';
  if (seccompWanted && status.seccomp === 0)
    hits.push({ rule: 'SD307', detail: 'the configuration asks for a seccomp filter, but the process has Seccomp 0' });
  else if (!seccompWanted && status.seccomp !== 0)
    stricter.push(`Seccomp is ${status.seccomp} although the configuration turns it off`);

  const user = inspect.Config?.User ?? '';
  const wantedUid = configuredUid(user, passwd);
  if (wantedUid !== undefined && wantedUid !== 0 && uid === 0)
    hits.push({ rule: 'SD308', detail: `User is ${JSON.stringify(user)}, but the process runs as uid 0` });
  else if (wantedUid === 0 && uid !== 0) stricter.push(`runs as uid ${uid} although the configuration names root`);

  return {
    hits,
    state: {
      pid: proc.pid,
      uid,
      capabilities: effective,
      noNewPrivs: status.noNewPrivs,
      seccomp: SECCOMP_MODES[status.seccomp] ?? 'filter',
      stricter,
    },
  };
}
