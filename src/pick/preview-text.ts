import { basename } from 'node:path';
import type { MergedOption, Source } from '../merge/provenance.js';
import { runsAsRoot } from '../merge/merge.js';
import { atLeast, CONSENT_SEVERITY, type Decision } from '../policy/decide.js';
import { SEVERITIES, type Finding } from '../policy/types.js';
import type { RunPlan } from '../run/plan.js';

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
      return 'your flags';
    case 'preset':
      return `preset ${source.preset}`;
    case 'image':
      return 'image tailoring';
  }
}

/** Where the options of these flags come from; `fallback` when none is set. */
function origin(
  options: readonly MergedOption[],
  flags: readonly string[],
  fallback: string,
  only?: (o: MergedOption) => boolean,
): string {
  const tags = options.filter((o) => flags.includes(o.name) && (only?.(o) ?? true)).map((o) => tag(o.source));
  return tags.length === 0 ? fallback : [...new Set(tags)].join(', ');
}

const last = (options: readonly MergedOption[], flag: string): string | undefined =>
  options.filter((o) => o.name === flag).at(-1)?.value;
const isSeccomp = (o: MergedOption): boolean => o.name === 'security-opt' && /^seccomp[=:]/i.test(o.value);
const isNoNewPrivileges = (o: MergedOption): boolean =>
  o.name === 'security-opt' && /^no-new-privileges/i.test(o.value);

/**
 * The security-relevant settings of a planned run, as the engine will get them: user,
 * capabilities, privilege gain, seccomp, root filesystem, limits, network and ports.
 */
export function planAspects(plan: RunPlan): Aspect[] {
  const { options, image } = plan;
  const body = plan.request.body;
  const host = body.HostConfig;

  let user: string;
  if (body.User !== '') user = body.User;
  else if (image === undefined) user = "the image's own (not inspected)";
  else
    user = runsAsRoot(image.user)
      ? `root (the image's ${image.user === '' ? 'default' : `"${image.user}"`})`
      : `${image.user} (the image's own)`;

  // The engine gets CAP_CHOWN; people write CHOWN, as in --cap-add and the presets.
  const drop = (host.CapDrop ?? []).map((c) => c.replace(/^CAP_/i, ''));
  const add = (host.CapAdd ?? []).map((c) => c.replace(/^CAP_/i, ''));
  const all = (list: readonly string[]): boolean => list.some((c) => /^ALL$/i.test(c));
  let caps: string;
  if (host.Privileged) caps = 'every capability and every device (--privileged)';
  else if (all(add)) caps = 'every capability (--cap-add ALL)';
  else if (all(drop)) caps = add.length === 0 ? 'none (all dropped)' : `only ${add.join(', ')}`;
  else if (drop.length > 0 || add.length > 0)
    caps = `docker's default set${drop.length > 0 ? ` minus ${drop.join(', ')}` : ''}${add.length > 0 ? ` plus ${add.join(', ')}` : ''}`;
  else caps = "docker's default set (incl. CHOWN, SETUID, NET_RAW)";

  const securityOpts = host.SecurityOpt ?? [];
  const noNewPrivileges = securityOpts.some((o) => /^no-new-privileges([=:]true)?$/i.test(o));
  const seccompOption = options.filter(isSeccomp).at(-1);
  let seccomp = "the engine's default profile";
  if (host.Privileged) seccomp = 'off (--privileged)';
  else if (seccompOption !== undefined) {
    const profile = seccompOption.value.slice('seccomp='.length);
    seccomp = profile === 'unconfined' ? 'off (unconfined)' : `profile ${basename(profile)}`;
  }

  const tmpfs = Object.keys(host.Tmpfs ?? {});
  const mounts = [...(host.Binds ?? []).map((b) => b.split(':')[1] ?? b), ...(host.Mounts ?? []).map((m) => m.Target)];
  const rootfs = [
    host.ReadonlyRootfs ? 'read-only' : 'writable',
    ...(tmpfs.length > 0 ? [`tmpfs ${tmpfs.join(', ')}`] : []),
    ...(mounts.length > 0 ? [`mounts ${mounts.join(', ')}`] : []),
  ].join('; ');

  const limits = [
    ['memory', last(options, 'memory')],
    ['cpus', last(options, 'cpus')],
    ['pids', last(options, 'pids-limit')],
  ]
    .map(([name, value]) => `${name} ${value ?? 'unbounded'}`)
    .join(', ');

  const mode = host.NetworkMode;
  const network =
    mode === 'none'
      ? 'none (loopback only)'
      : mode === 'host'
        ? "the host's own (no isolation)"
        : mode === '' || mode === 'default' || mode === 'bridge'
          ? 'the default bridge (reaches other hosts)'
          : mode;

  const ports = Object.entries(host.PortBindings).flatMap(([port, bindings]) =>
    bindings.map(
      (b) =>
        `${b.HostIp === '' ? 'all interfaces' : b.HostIp}:${b.HostPort === '' ? '(random)' : b.HostPort} -> ${port}`,
    ),
  );
  if (host.PublishAllPorts) ports.push('every exposed port, on all interfaces (-P)');

  return [
    { label: 'user', value: user, from: origin(options, ['user'], 'the image') },
    {
      label: 'capabilities',
      value: caps,
      from: origin(options, ['cap-drop', 'cap-add', 'privileged'], 'docker default'),
    },
    {
      label: 'new privileges',
      value: noNewPrivileges ? 'blocked (no-new-privileges)' : 'allowed (setuid binaries work)',
      from: origin(options, ['security-opt'], 'docker default', isNoNewPrivileges),
    },
    {
      label: 'seccomp',
      value: seccomp,
      from: origin(
        options,
        ['security-opt', 'privileged'],
        'docker default',
        (o) => o.name === 'privileged' || isSeccomp(o),
      ),
    },
    {
      label: 'root filesystem',
      value: rootfs,
      from: origin(options, ['read-only', 'tmpfs', 'volume', 'mount'], 'docker default'),
    },
    { label: 'limits', value: limits, from: origin(options, ['memory', 'cpus', 'pids-limit'], 'docker default') },
    { label: 'network', value: network, from: origin(options, ['network'], 'docker default') },
    {
      label: 'ports',
      value: ports.length === 0 ? 'none published' : ports.join(', '),
      from: origin(options, ['publish', 'publish-all'], '-'),
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
    lines.push(fit(`${head}: ${first.detail}${others} (from ${ORIGIN[first.origin]})`, width));
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

const ORIGIN: Record<Finding['origin'], string> = {
  user: 'your flags',
  preset: 'the preset',
  image: 'the image',
  default: "docker's default",
};

/** The preview shown under the list for one preset: the aspects, aligned, then the findings. */
export function previewText(plan: RunPlan, decision: Decision, width = Number.POSITIVE_INFINITY): string {
  const aspects = planAspects(plan);
  const labelWidth = Math.max(...aspects.map((a) => a.label.length));
  const lines = aspects.map(
    (a) => `  ${a.label.padEnd(labelWidth)}  ${a.value}${a.from === '-' ? '' : `  [${a.from}]`}`,
  );
  return [...lines, ...decisionLines(decision, width)].join('\n');
}
