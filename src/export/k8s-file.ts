/**
 * The Kubernetes manifest: a Deployment (or a Pod with --kind pod) made by the k8s table, with the
 * securityContext completed from what the whole run says (the user as numbers, runAsNonRoot, the
 * engine's default seccomp profile as RuntimeDefault), and the profile as a file for the nodes or
 * as a Security Profiles Operator SeccompProfile.
 */
import type { RunSpec } from '../model/run-spec.js';
import { toYaml } from '../presets/yaml-file.js';
import { HEADER } from './compose-file.js';
import type { ExportContext } from './export-context.js';
import { K8S, LOCALHOST_DIR, OPERATOR_NAMESPACE, type K8sMap, type K8sOut } from './k8s.js';
import type { ExportFile, Rendered } from './loss.js';
import { podSpecOf } from './pod-security.js';
import type { ProfileFile } from './profile.js';
import { walk } from './walk.js';

const APP_LABEL = 'app.kubernetes.io/name';

/** The objects of the manifest, in the order kubectl applies them. */
export function k8sObjects(
  spec: RunSpec,
  ctx: ExportContext,
): { objects: K8sMap[]; out: K8sOut; walked: ReturnType<typeof walk> } {
  const out: K8sOut = {
    ctx,
    container: { name: ctx.name },
    security: {},
    pod: {},
    podSecurity: {},
    volumes: [],
    mounts: [],
    annotations: {},
    secretEnv: [],
    notes: [],
  };
  const walked = walk(K8S, spec, out, { profilePath: () => ctx.profile?.name, hideSecrets: true });
  const { container, security, pod, podSecurity } = out;

  if (ctx.user !== undefined) {
    podSecurity.runAsUser = ctx.user.uid;
    if (ctx.user.gid !== undefined) podSecurity.runAsGroup = ctx.user.gid;
    if (ctx.user.uid !== 0) podSecurity.runAsNonRoot = true;
  }
  // No seccomp option: the engine's default profile applies, which is the runtime's default.
  podSecurity.seccompProfile ??= { type: 'RuntimeDefault' };
  if (out.mounts.length > 0) container.volumeMounts = out.mounts;
  if (Object.keys(security).length > 0) container.securityContext = security;
  if (ctx.kind === 'pod') pod.restartPolicy ??= 'Never';
  // docker run's default is no restart; a field left at its default is never walked, so a
  // Deployment, which restarts always, says so here.
  if (ctx.kind === 'deployment' && ['', 'no'].includes(spec.restart.Name)) {
    walked.losses.push({
      field: 'restart',
      setting: '--restart=no (docker run does not restart a container)',
      why: 'a Deployment restarts its Pods always',
      instead: 'use --kind pod (or a Job) for a run that ends',
    });
  }

  const podSpec: K8sMap = {
    // The service account's token is not mounted: the workload does not talk to the API server.
    automountServiceAccountToken: false,
    securityContext: podSecurity,
    containers: [container],
    ...pod,
    ...(out.volumes.length > 0 ? { volumes: out.volumes } : {}),
  };
  const labels = { [APP_LABEL]: ctx.name };
  const annotations = Object.keys(out.annotations).length > 0 ? { annotations: out.annotations } : {};
  const workload: K8sMap =
    ctx.kind === 'pod'
      ? { apiVersion: 'v1', kind: 'Pod', metadata: { name: ctx.name, labels, ...annotations }, spec: podSpec }
      : {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: ctx.name, labels },
          spec: {
            replicas: 1,
            selector: { matchLabels: labels },
            template: { metadata: { labels, ...annotations }, spec: podSpec },
          },
        };
  const profile = operatorProfile(ctx);
  return { objects: profile === undefined ? [workload] : [profile, workload], out, walked };
}

/** The profile as a Security Profiles Operator SeccompProfile (its archMap becomes architectures). */
function operatorProfile(ctx: ExportContext): K8sMap | undefined {
  const profile = ctx.profile;
  const seccomp = ((): K8sMap | undefined => {
    if (profile === undefined || ctx.seccomp !== 'operator') return undefined;
    const json = JSON.parse(profile.text) as {
      defaultAction?: string;
      archMap?: Array<{ architecture: string; subArchitectures?: string[] }>;
      architectures?: string[];
      syscalls?: Array<{ names: string[]; action: string; errnoRet?: number; args?: unknown[] }>;
    };
    const architectures =
      json.architectures ?? (json.archMap ?? []).flatMap((a) => [a.architecture, ...(a.subArchitectures ?? [])]);
    return {
      defaultAction: json.defaultAction,
      architectures,
      syscalls: (json.syscalls ?? []).map((s) => ({
        names: s.names,
        action: s.action,
        ...(s.errnoRet === undefined ? {} : { errnoRet: s.errnoRet }),
        ...(s.args === undefined || s.args.length === 0 ? {} : { args: s.args }),
      })),
    };
  })();
  if (seccomp === undefined) return undefined;
  return {
    apiVersion: 'security-profiles-operator.x-k8s.io/v1beta1',
    kind: 'SeccompProfile',
    metadata: { name: ctx.name, namespace: OPERATOR_NAMESPACE },
    spec: seccomp,
  };
}

export async function renderK8s(spec: RunSpec, ctx: ExportContext): Promise<Rendered> {
  const { objects, out, walked } = k8sObjects(spec, ctx);
  const notes = [...walked.notes, ...out.notes];
  if (out.secretEnv.length > 0) {
    notes.push(
      `the credentials ${out.secretEnv.join(', ')} are read from the Secret ${ctx.name}-env, which is not written: kubectl create secret generic ${ctx.name}-env ${out.secretEnv.map((n) => `--from-literal=${n}=…`).join(' ')}`,
    );
  }
  const extra: ExportFile[] = [];
  const usesLocalhost = ctx.profile !== undefined && ctx.seccomp === 'localhost';
  if (usesLocalhost) extra.push(localhostFile(ctx.profile as ProfileFile));
  if (usesLocalhost) {
    notes.push(
      `the Pod's seccomp profile is Localhost ${LOCALHOST_DIR}/${ctx.profile?.name ?? ''}: copy ${ctx.toFolder ? ctx.profile?.name : (ctx.profile?.source ?? '')} to /var/lib/kubelet/seccomp/${LOCALHOST_DIR}/ on every node (or pass --seccomp operator, or --seccomp runtime-default)`,
    );
  }
  if (ctx.seccomp === 'operator' && ctx.profile !== undefined) {
    notes.push(
      `the SeccompProfile is in the namespace ${OPERATOR_NAMESPACE}; deploying elsewhere, change its namespace and the Pod's localhostProfile`,
    );
  }
  const docs = await Promise.all(
    objects.map((o, i) =>
      toYaml(o, i === 0 ? ` ${HEADER} export (preset ${ctx.preset}): kubectl apply -f ${ctx.kind}.yaml` : undefined),
    ),
  );
  return {
    main: { name: `${ctx.kind}.yaml`, text: docs.join('---\n') },
    extra: ctx.toFolder ? extra : [],
    losses: walked.losses,
    notes,
    podSpec: podSpecOf(objects.at(-1) ?? {}),
  };
}

function localhostFile(profile: ProfileFile): ExportFile {
  return { name: profile.name, text: profile.text };
}
