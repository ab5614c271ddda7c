import { basename } from 'node:path';
import type { Origin, Source } from '../model/provenance.js';
import type { SpecField } from '../model/run-spec.js';
import { capabilityName } from '../grammar/capabilities.js';
import { imageRunsAsRoot as runsAsRoot } from '../run/image-tailoring.js';
import { atLeast, CONSENT_SEVERITY, type Decision } from '../policy/decide.js';
import { FINDING_ORIGIN } from '../policy/render.js';
import { SEVERITIES, type Finding } from '../policy/types.js';
import type { RunPlan } from '../run/pipeline.js';

/** One line of the preview: what a setting becomes for this run, and where that comes from. */
export interface Aspect {
  label: string;
  value: string;
  from: string;
}

const VERDICT: Record<Decision['verdict'], string> = {
  proceed: 'the run goes ahead',
  ask: 'the run asks you before it starts',
  refuse: 'the run is refused',
};

function tag(source: Source): string {
  switch (source.kind) {
    case 'user':
      return source.service === undefined ? 'your flags' : `service ${source.service.name}`;
    case 'preset':
      return `preset ${source.preset}`;
    case 'image':
      return 'image tailoring';
    case 'engine':
      return 'the container';
    case 'compose':
      return `service ${source.service}`;
  }
}

/** Where these fields come from (the items `only` accepts); `fallback` when nobody set them. */
function origin(
  provenance: ReadonlyMap<string, Origin>,
  fields: readonly SpecField[],
  fallback: string,
  only?: (key: string, origin: Origin) => boolean,
): string {
  const tags = [...provenance]
    .filter(([key, o]) => fields.includes((key.split(':')[0] ?? key) as SpecField) && (only?.(key, o) ?? true))
    .sort(([, a], [, b]) => SOURCE_ORDER.indexOf(a.source.kind) - SOURCE_ORDER.indexOf(b.source.kind))
    .map(([, o]) => tag(o.source));
  return tags.length === 0 ? fallback : [...new Set(tags)].join(', ');
}

const SOURCE_ORDER: ReadonlyArray<Source['kind']> = ['preset', 'image', 'user', 'engine'];

const isSecurityOpt =
  (key: string) =>
  (k: string): boolean =>
    k === `securityOpt:${key}`;

/**
 * The security-relevant settings of a planned run, as the engine will get them: user,
 * capabilities, privilege gain, seccomp, root filesystem, limits, network and ports.
 */
export function planAspects(plan: RunPlan): Aspect[] {
  const { spec, image, provenance } = plan;

  let user: string;
  if (spec.user !== '') user = spec.user;
  else if (image === undefined) user = "the image's own (not inspected)";
  else
    user = runsAsRoot(image.user)
      ? `root (the image's ${image.user === '' ? 'default' : `"${image.user}"`})`
      : `${image.user} (the image's own)`;

  // The engine gets CAP_CHOWN; people write CHOWN, as in --cap-add and the presets.
  const drop = spec.capDrop.map(capabilityName);
  const add = spec.capAdd.map(capabilityName);
  let caps: string;
  if (spec.privileged) caps = 'every capability and every device (--privileged)';
  else if (add.includes('ALL')) caps = 'every capability (--cap-add ALL)';
  else if (drop.includes('ALL')) caps = add.length === 0 ? 'none (all dropped)' : `only ${add.join(', ')}`;
  else if (drop.length > 0 || add.length > 0)
    caps = `docker's default set${drop.length > 0 ? ` minus ${drop.join(', ')}` : ''}${add.length > 0 ? ` plus ${add.join(', ')}` : ''}`;
  else caps = "docker's default set (incl. CHOWN, SETUID, NET_RAW)";

  const nnp = spec.securityOpt.filter((o) => o.key === 'no-new-privileges').at(-1);
  const noNewPrivileges = nnp !== undefined && /^(|true)$/i.test(nnp.value.trim());
  const seccompOption = spec.securityOpt.filter((o) => o.key === 'seccomp').at(-1);
  let seccomp = "the engine's default profile";
  if (spec.privileged) seccomp = 'off (--privileged)';
  else if (seccompOption !== undefined) {
    const from = provenance.get('securityOpt:seccomp')?.text.replace(/^seccomp[=:]/i, '') ?? seccompOption.value;
    seccomp =
      seccompOption.value === 'unconfined' ? 'off (unconfined)' : `profile ${basename(seccompOption.file ?? from)}`;
  }

  const tmpfs = spec.mounts.filter((m) => m.via === 'tmpfs').map((m) => m.target);
  const mounts = spec.mounts.filter((m) => m.via !== 'tmpfs').map((m) => m.target);
  const rootfs = [
    spec.readOnly ? 'read-only' : 'writable',
    ...(tmpfs.length > 0 ? [`tmpfs ${tmpfs.join(', ')}`] : []),
    ...(mounts.length > 0 ? [`mounts ${mounts.join(', ')}`] : []),
  ].join('; ');

  const limits = [
    ['memory', provenance.get('memory')?.text],
    ['cpus', provenance.get('nanoCpus')?.text],
    ['pids', provenance.get('pidsLimit')?.text],
  ]
    .map(([name, value]) => `${name} ${value ?? 'unbounded'}`)
    .join(', ');

  const mode = spec.networks[0]?.target ?? 'default';
  const chosen = provenance.get('networks')?.source;
  const isolated = chosen?.kind === 'preset' && chosen.key === 'network.isolated';
  const network = isolated
    ? `${mode} (containers kept apart)`
    : mode === 'none'
      ? 'none (loopback only)'
      : mode === 'host'
        ? "the host's own (no isolation)"
        : mode === '' || mode === 'default' || mode === 'bridge'
          ? 'the default bridge (reaches other hosts)'
          : mode;

  const ports = spec.ports.map(
    (b) =>
      `${b.hostIp === '' ? 'all interfaces' : b.hostIp}:${b.hostPort === '' ? '(random)' : b.hostPort} -> ${b.port}`,
  );
  if (spec.publishAll) ports.push('every exposed port, on all interfaces (-P)');

  return [
    { label: 'user', value: user, from: origin(provenance, ['user'], 'the image') },
    {
      label: 'capabilities',
      value: caps,
      from: origin(provenance, ['capDrop', 'capAdd', 'privileged'], 'docker default'),
    },
    {
      label: 'new privileges',
      value: noNewPrivileges ? 'blocked (no-new-privileges)' : 'allowed (setuid binaries work)',
      from: origin(provenance, ['securityOpt'], 'docker default', isSecurityOpt('no-new-privileges')),
    },
    {
      label: 'seccomp',
      value: seccomp,
      from: origin(
        provenance,
        ['securityOpt', 'privileged'],
        'docker default',
        (key) => key === 'privileged' || isSecurityOpt('seccomp')(key),
      ),
    },
    { label: 'root filesystem', value: rootfs, from: origin(provenance, ['readOnly', 'mounts'], 'docker default') },
    { label: 'limits', value: limits, from: origin(provenance, ['memory', 'nanoCpus', 'pidsLimit'], 'docker default') },
    { label: 'network', value: network, from: origin(provenance, ['networks'], 'docker default') },
    {
      label: 'ports',
      value: ports.length === 0 ? 'none published' : ports.join(', '),
      from: origin(provenance, ['ports', 'publishAll'], '-'),
    },
  ];
}

/**
 * The findings a run with this preset raises, what was accepted, and what the policy then does.
 * Kept short, as the preview shares the screen with the list: one line per rule (a rule that
 * fires for six capabilities is one line), cut to the width; the fix only for findings that need
 * consent (safedock explain shows every fix).
 */
export function decisionLines(decision: Decision, width = Number.POSITIVE_INFINITY): string[] {
  const accepted = new Set(decision.accepted.map((f) => f.rule));
  const open = decision.findings.filter((f) => !accepted.has(f.rule));
  const byRule = new Map<string, Finding[]>();
  for (const f of open) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  const groups = [...byRule.values()].sort((a, b) => rank(b[0]) - rank(a[0]));
  const labelWidth = Math.max(0, ...groups.map((g) => (g[0]?.severity ?? '').length));
  const lines = open.length === 0 ? ['Findings: none'] : ['Findings:'];
  for (const [first, ...more] of groups) {
    if (first === undefined) continue;
    const severity = first.severity === 'info' ? 'info' : first.severity.toUpperCase();
    const head = `  ${severity.padEnd(labelWidth)}  ${first.rule}  ${first.title}`;
    if (first.severity === 'info') {
      lines.push(fit(head, width));
      continue;
    }
    const others = more.length === 0 ? '' : `, and ${more.length} more like it`;
    lines.push(fit(`${head}: ${first.detail}${others} (from ${FINDING_ORIGIN[first.origin]})`, width));
    if (atLeast(first.severity, CONSENT_SEVERITY))
      lines.push(fit(`  ${' '.repeat(labelWidth)}  ${' '.repeat(first.rule.length)}  fix: ${first.fix}`, width));
  }
  const seen = new Set<string>();
  for (const f of decision.accepted) {
    if (seen.has(f.rule)) continue;
    seen.add(f.rule);
    const by = f.acceptance.by;
    lines.push(
      fit(
        `  accepted ${f.rule} (${f.title}) by ${by.kind === 'preset' ? `preset ${by.preset}` : by.kind === 'project' ? 'the project config' : by.kind === 'flag' ? '--accept' : 'you'}`,
        width,
      ),
    );
  }
  lines.push(`Policy ${decision.mode}: ${VERDICT[decision.verdict]}`);
  return lines;
}

/** A line cut to the width, marked when cut. */
export function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

const rank = (f: Finding | undefined): number => (f === undefined ? -1 : SEVERITIES.indexOf(f.severity));

/** The preview shown under the list for one preset: the aspects, aligned, then the findings. */
export function previewText(plan: RunPlan, decision: Decision, width = Number.POSITIVE_INFINITY): string {
  const aspects = planAspects(plan);
  const labelWidth = Math.max(...aspects.map((a) => a.label.length));
  const lines = aspects.map(
    (a) => `  ${a.label.padEnd(labelWidth)}  ${a.value}${a.from === '-' ? '' : `  [${a.from}]`}`,
  );
  return [...lines, ...decisionLines(decision, width)].join('\n');
}
