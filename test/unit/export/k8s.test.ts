/**
 * The Kubernetes export: valid against the Kubernetes OpenAPI schema (kubernetes-models' validators,
 * generated from it), no field name the API does not have, the Pod Security Standards' restricted
 * controls met for the hardened presets (and failed, control by control, where a run loosens them),
 * credentials as Secret references, and what Kubernetes has no place for listed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Pod } from 'kubernetes-models/v1/Pod';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { renderK8s } from '../../../src/export/k8s-file.js';
import { checkPodSecurity, podSpecOf } from '../../../src/export/pod-security.js';
import { planned } from './helpers.js';

type Obj = Record<string, unknown>;

/** Every property name the Kubernetes schemas know (read from the generated validators). */
const KNOWN = ((): Set<string> => {
  const require = createRequire(import.meta.url);
  const names = new Set<string>();
  for (const pkg of ['kubernetes-models', '@kubernetes-models/apimachinery']) {
    const dir = join(dirname(require.resolve(`${pkg}/package.json`)), '_schemas');
    for (const f of readdirSync(dir).filter(
      (n) => /^IoK8s(Api(Core|Apps)V1|Apimachinery)/.test(n) && n.endsWith('.js'),
    )) {
      for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/data\.(\w+)/g)) names.add(m[1] ?? '');
    }
  }
  return names;
})();
/** Maps whose keys are the user's (label names, resource names, selector keys). */
const FREE_FORM = new Set(['labels', 'annotations', 'matchLabels', 'nodeSelector', 'limits', 'requests']);

function unknownKeys(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownKeys(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Obj).flatMap(([k, v]) => [
    ...(KNOWN.has(k) ? [] : [`${path}.${k}`]),
    ...(FREE_FORM.has(k) ? [] : unknownKeys(v, `${path}.${k}`)),
  ]);
}

function documents(text: string): Obj[] {
  return parseAllDocuments(text).map((d) => d.toJS() as Obj);
}

const SECRET = 'sk-live-0123456789abcdefghijklmnopqrstuv';

describe('export --format k8s', () => {
  it('the field check catches a misspelt field', () => {
    expect(unknownKeys({ spec: { containers: [{ securityContext: { readOnlyRootFileSystem: true } }] } })).toEqual([
      '.spec.containers[0].securityContext.readOnlyRootFileSystem',
    ]);
  });

  it('writes a Deployment that validates and meets the restricted Pod Security level', async () => {
    const { spec, export: ex } = await planned([
      '-p',
      '8080:80',
      '-e',
      'MODE=prod',
      '-e',
      `API_KEY=${SECRET}`,
      '--name',
      'web',
      'img',
      'serve',
    ]);
    const rendered = await renderK8s(spec, ex);
    const [deployment] = documents(rendered.main.text);
    expect(deployment?.kind).toBe('Deployment');
    expect(() => new Deployment(deployment as never).validate()).not.toThrow();
    expect(unknownKeys(deployment)).toEqual([]);
    const pod = podSpecOf(deployment ?? {}) ?? {};
    expect(checkPodSecurity(pod)).toEqual([]);
    const container = (pod.containers as Obj[])[0] ?? {};
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
    });
    expect(pod.securityContext).toEqual({
      runAsUser: 65534,
      runAsGroup: 65534,
      runAsNonRoot: true,
      seccompProfile: { type: 'Localhost', localhostProfile: 'safedock/strict.json' },
    });
    expect(container.resources).toEqual({ limits: { memory: '536870912', cpu: '1000m' } });
    expect(pod.volumes).toEqual([{ name: 'v0-tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } }]);
    expect(container.args).toEqual(['serve']);
    // The credential is a Secret reference; its value is nowhere in the manifest.
    expect(container.env).toEqual([
      { name: 'MODE', value: 'prod' },
      { name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'web-env', key: 'API_KEY' } } },
    ]);
    expect(rendered.main.text).not.toContain(SECRET);
    expect(rendered.notes.join('\n')).toContain('kubectl create secret generic web-env --from-literal=API_KEY=…');
    // The profile goes to the nodes, beside the manifest.
    expect(rendered.extra.map((f) => f.name)).toEqual(['strict.json']);
    // What Kubernetes has no place for is listed, never dropped in silence.
    expect(rendered.losses.map((l) => l.field).sort()).toEqual([
      'logDriver',
      'logOpts',
      'mounts',
      // safedock's isolated network: a NetworkPolicy stands for it.
      'networks',
      'pidsLimit',
      'ports',
      // docker run does not restart a container; a Deployment always does.
      'restart',
    ]);
    expect(rendered.losses.find((l) => l.field === 'pidsLimit')?.instead).toContain('podPidsLimit');
  });

  it('writes every dollar of the command, args and env values as $$: Kubernetes would expand $(NAME) and read $$ as one', async () => {
    const withEntrypoint = await planned(['--entrypoint', 'sh', '-e', 'A=x$(USER)$$', 'img', '-c', 'echo $$ $(date)']);
    const [deployment] = documents((await renderK8s(withEntrypoint.spec, withEntrypoint.export)).main.text);
    const container = ((((deployment?.spec as Obj).template as Obj).spec as Obj).containers as Obj[])[0] ?? {};
    expect(container.command).toEqual(['sh']);
    expect(container.args).toEqual(['-c', 'echo $$$$ $$(date)']);
    expect(container.env).toEqual([{ name: 'A', value: 'x$$(USER)$$$$' }]);
    // An emptied ENTRYPOINT makes the command Kubernetes' command: escaped the same way.
    const emptied = await planned(['--entrypoint', '', 'img', 'sh', '-c', 'kill -0 $$']);
    const [pod] = documents((await renderK8s(emptied.spec, emptied.export)).main.text);
    const c2 = ((((pod?.spec as Obj).template as Obj).spec as Obj).containers as Obj[])[0] ?? {};
    expect(c2.command).toEqual(['sh', '-c', 'kill -0 $$$$']);
  });

  it('says what it cannot carry rather than writing what Kubernetes refuses or reads otherwise', async () => {
    const { spec, export: ex } = await planned([
      '--stop-timeout',
      '-1',
      '--tmpfs',
      '/a:size=10%',
      '--tmpfs',
      '/b:size=1t,exec',
      '--hostname',
      'a.b_c',
      '--health-cmd',
      'true',
      '--mount',
      'type=volume,src=share,dst=/s,volume-opt=type=nfs,volume-opt=device=:/x',
      'img',
    ]);
    const rendered = await renderK8s(spec, { ...ex, kind: 'pod' });
    const [pod] = documents(rendered.main.text);
    const podSpec = pod?.spec as Obj;
    expect(podSpec.terminationGracePeriodSeconds).toBeUndefined();
    expect(podSpec.hostname).toBeUndefined();
    const emptyDirs = (podSpec.volumes as Obj[]).map((v) => v.emptyDir).filter(Boolean) as Obj[];
    expect(emptyDirs.map((e) => e.sizeLimit)).toContain('1Ti');
    expect(emptyDirs.map((e) => e.sizeLimit)).not.toContain('10%');
    const probe = ((podSpec.containers as Obj[])[0] ?? {}).livenessProbe as Obj;
    expect(probe).toMatchObject({ periodSeconds: 30, timeoutSeconds: 30, failureThreshold: 3 });
    const why = rendered.losses.map((l) => `${l.setting}: ${l.why}`).join('\n');
    expect(why).toContain('a stop timeout of -1');
    expect(why).toContain("an emptyDir's size limit is a quantity of bytes, not 10%");
    // docker's own tmpfs options are lost too; exec given, noexec is not among them.
    expect(why).toMatch(/\/a.*without the options nosuid,nodev,noexec/);
    expect(why).toMatch(/\/b.*without the options nosuid,nodev\b/);
    expect(why).toContain("a Pod's hostname is one DNS label");
    expect(why).toContain('Kubernetes restarts a container whose liveness probe fails');
    expect(why).toContain('a PersistentVolumeClaim names no volume driver or driver options');
    expect(() => new Pod(pod as never).validate()).not.toThrow();
  });

  it('writes a Pod with --kind pod, RuntimeDefault with --seccomp runtime-default', async () => {
    const { spec, export: ex } = await planned(['img']);
    const rendered = await renderK8s(spec, { ...ex, kind: 'pod', seccomp: 'runtime-default' });
    const [pod] = documents(rendered.main.text);
    expect(pod?.kind).toBe('Pod');
    expect(() => new Pod(pod as never).validate()).not.toThrow();
    expect(unknownKeys(pod)).toEqual([]);
    expect((pod?.spec as Obj).restartPolicy).toBe('Never');
    expect(((pod?.spec as Obj).securityContext as Obj).seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(checkPodSecurity(podSpecOf(pod ?? {}) ?? {})).toEqual([]);
    expect(rendered.extra).toEqual([]);
  });

  it('writes a Security Profiles Operator SeccompProfile with --seccomp operator', async () => {
    const { spec, export: ex } = await planned(['--name', 'api', 'img']);
    const rendered = await renderK8s(spec, { ...ex, seccomp: 'operator' });
    const [profile, deployment] = documents(rendered.main.text);
    expect(profile?.kind).toBe('SeccompProfile');
    expect(profile?.apiVersion).toBe('security-profiles-operator.x-k8s.io/v1beta1');
    const source = JSON.parse(readFileSync(join(import.meta.dirname, '../../../seccomp/strict.json'), 'utf8')) as Obj;
    expect((profile?.spec as Obj).defaultAction).toBe(source.defaultAction);
    expect((profile?.spec as Obj).architectures).toEqual([
      'SCMP_ARCH_X86_64',
      'SCMP_ARCH_X86',
      'SCMP_ARCH_X32',
      'SCMP_ARCH_AARCH64',
      'SCMP_ARCH_ARM',
    ]);
    expect(((profile?.spec as Obj).syscalls as Obj[]).flatMap((s) => s.names as string[])).toEqual(
      (source.syscalls as Obj[]).flatMap((s) => s.names as string[]),
    );
    expect(() => new Deployment(deployment as never).validate()).not.toThrow();
    expect(((podSpecOf(deployment ?? {}) ?? {}).securityContext as Obj).seccompProfile).toEqual({
      type: 'Localhost',
      localhostProfile: 'operator/default/api.json',
    });
  });

  it('reports each restricted control a loosened run fails', async () => {
    const { spec, export: ex } = await planned(
      [
        '--privileged',
        '--cap-add',
        'SYS_ADMIN',
        '--network',
        'host',
        '-v',
        '/etc:/host-etc:ro',
        '--security-opt',
        'seccomp=unconfined',
        'img',
      ],
      'none',
    );
    const rendered = await renderK8s(spec, { ...ex, user: { uid: 0, gid: 0 } });
    const [deployment] = documents(rendered.main.text);
    expect(() => new Deployment(deployment as never).validate()).not.toThrow();
    const controls = [...new Set(checkPodSecurity(podSpecOf(deployment ?? {}) ?? {}).map((v) => v.control))].sort();
    expect(controls).toEqual(
      [
        'Capabilities',
        'Capabilities (baseline)',
        'Host Namespaces',
        'HostPath Volumes',
        'Privilege Escalation',
        'Privileged Containers',
        'Running as Non-root',
        'Running as Non-root user',
        'Seccomp',
        'Seccomp (baseline)',
        'Volume Types',
      ].sort(),
    );
  });
});
