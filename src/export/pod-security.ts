/**
 * The Pod Security Standards' baseline and restricted controls, checked on a Pod spec: what the
 * admission controller at `enforce: restricted` would refuse. One row per control; each names the
 * fields it reads and returns the violations. The export reports them; the tests require none for
 * the hardened presets.
 */
import { PSS_BASELINE_CAPABILITIES } from '../grammar/capabilities.js';
import { SAFE_SYSCTLS } from '../policy/rules/sysctls.js';

export type PodMap = Record<string, unknown>;

export interface Violation {
  control: string;
  level: 'baseline' | 'restricted';
  detail: string;
}

interface Control {
  control: string;
  level: 'baseline' | 'restricted';
  check: (pod: PodMap, containers: PodMap[]) => string[];
}

const obj = (v: unknown): PodMap => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as PodMap) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const sc = (c: PodMap): PodMap => obj(c.securityContext);
const named = (c: PodMap): string => `container ${String(c.name)}`;

const BASELINE_CAPS: ReadonlySet<string> = new Set(PSS_BASELINE_CAPABILITIES);
const RESTRICTED_VOLUMES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

/** A container's effective value of a securityContext field: its own, else the Pod's. */
const effective = (pod: PodMap, c: PodMap, field: string): unknown => sc(c)[field] ?? obj(pod.securityContext)[field];

export const CONTROLS: readonly Control[] = [
  {
    control: 'Host Namespaces',
    level: 'baseline',
    check: (pod) => ['hostNetwork', 'hostPID', 'hostIPC'].filter((f) => pod[f] === true).map((f) => `${f} is true`),
  },
  {
    control: 'Privileged Containers',
    level: 'baseline',
    check: (_pod, cs) => cs.filter((c) => sc(c).privileged === true).map((c) => `${named(c)} is privileged`),
  },
  {
    control: 'Capabilities (baseline)',
    level: 'baseline',
    check: (_pod, cs) =>
      cs.flatMap((c) =>
        list(obj(sc(c).capabilities).add)
          .map(String)
          .filter((cap) => !BASELINE_CAPS.has(cap))
          .map((cap) => `${named(c)} adds ${cap}`),
      ),
  },
  {
    control: 'HostPath Volumes',
    level: 'baseline',
    check: (pod) =>
      list(pod.volumes)
        .filter((v) => obj(v).hostPath !== undefined)
        .map((v) => `volume ${String(obj(v).name)} is a hostPath`),
  },
  {
    control: 'Host Ports',
    level: 'baseline',
    check: (_pod, cs) =>
      cs.flatMap((c) =>
        list(c.ports)
          .filter((p) => Number(obj(p).hostPort ?? 0) !== 0)
          .map((p) => `${named(c)} binds hostPort ${String(obj(p).hostPort)}`),
      ),
  },
  {
    control: 'AppArmor',
    level: 'baseline',
    check: (pod, cs) =>
      cs
        .filter((c) => obj(effective(pod, c, 'appArmorProfile')).type === 'Unconfined')
        .map((c) => `${named(c)} is AppArmor unconfined`),
  },
  {
    control: 'SELinux',
    level: 'baseline',
    check: (pod, cs) =>
      cs.flatMap((c) => {
        const o = obj(effective(pod, c, 'seLinuxOptions'));
        const out: string[] = [];
        const type = typeof o.type === 'string' ? o.type : '';
        if (!SELINUX_TYPES.has(type)) out.push(`${named(c)} uses the SELinux type ${type}`);
        if (o.user !== undefined || o.role !== undefined) out.push(`${named(c)} sets an SELinux user or role`);
        return out;
      }),
  },
  {
    control: '/proc Mount Type',
    level: 'baseline',
    check: (_pod, cs) =>
      cs.filter((c) => (sc(c).procMount ?? 'Default') !== 'Default').map((c) => `${named(c)} unmasks /proc`),
  },
  {
    control: 'Seccomp (baseline)',
    level: 'baseline',
    check: (pod, cs) =>
      cs
        .filter((c) => obj(effective(pod, c, 'seccompProfile')).type === 'Unconfined')
        .map((c) => `${named(c)} is seccomp unconfined`),
  },
  {
    control: 'Sysctls',
    level: 'baseline',
    check: (pod) =>
      list(obj(pod.securityContext).sysctls)
        .map((s) => String(obj(s).name))
        .filter((n) => !SAFE_SYSCTLS.has(n))
        .map((n) => `sysctl ${n} is not in the safe set`),
  },
  {
    control: 'Volume Types',
    level: 'restricted',
    check: (pod) =>
      list(pod.volumes).flatMap((v) => {
        const kinds = Object.keys(obj(v)).filter((k) => k !== 'name');
        return kinds.filter((k) => !RESTRICTED_VOLUMES.has(k)).map((k) => `volume ${String(obj(v).name)} is a ${k}`);
      }),
  },
  {
    control: 'Privilege Escalation',
    level: 'restricted',
    check: (_pod, cs) =>
      cs
        .filter((c) => sc(c).allowPrivilegeEscalation !== false)
        .map((c) => `${named(c)} does not set allowPrivilegeEscalation: false`),
  },
  {
    control: 'Running as Non-root',
    level: 'restricted',
    check: (pod, cs) =>
      cs
        .filter((c) => effective(pod, c, 'runAsNonRoot') !== true || sc(c).runAsNonRoot === false)
        .map((c) => `${named(c)} does not set runAsNonRoot: true`),
  },
  {
    control: 'Running as Non-root user',
    level: 'restricted',
    check: (pod, cs) =>
      [obj(pod.securityContext).runAsUser, ...cs.map((c) => sc(c).runAsUser)].some((u) => u === 0)
        ? ['runAsUser is 0']
        : [],
  },
  {
    control: 'Seccomp',
    level: 'restricted',
    check: (pod, cs) =>
      cs
        .filter((c) => !['RuntimeDefault', 'Localhost'].includes(String(obj(effective(pod, c, 'seccompProfile')).type)))
        .map((c) => `${named(c)} has no RuntimeDefault or Localhost seccomp profile`),
  },
  {
    control: 'Capabilities',
    level: 'restricted',
    check: (_pod, cs) =>
      cs.flatMap((c) => {
        const caps = obj(sc(c).capabilities);
        const out: string[] = [];
        if (!list(caps.drop).map(String).includes('ALL')) out.push(`${named(c)} does not drop ALL capabilities`);
        for (const cap of list(caps.add).map(String))
          if (cap !== 'NET_BIND_SERVICE') out.push(`${named(c)} adds ${cap}`);
        return out;
      }),
  },
];

/** The Pod spec of a workload object (Pod, or anything with spec.template.spec). */
export function podSpecOf(object: PodMap): PodMap | undefined {
  if (object.kind === 'Pod') return obj(object.spec);
  const template = obj(obj(object.spec).template);
  return template.spec === undefined ? undefined : obj(template.spec);
}

export function checkPodSecurity(pod: PodMap): Violation[] {
  const containers = [...list(pod.initContainers), ...list(pod.containers)].map(obj);
  return CONTROLS.flatMap((c) =>
    c.check(pod, containers).map((detail) => ({ control: c.control, level: c.level, detail })),
  );
}
