import { basename } from 'node:path';
import { sha256Hex } from '../hash.js';
import type { CreateBody, Mount, RunRequest } from '../api/create-body.js';
import { hangingWrap } from '../text/wrap.js';
import {
  isSecretOptionName,
  MASKED,
  maskLogOption,
  maskMountSecrets,
  maskOptionSecrets,
} from '../grammar/mount-secrets.js';
import { packageRoot } from '../package-root.js';
import { createQuery } from '../model/create-query.js';
import { findLongFlag } from '../docker-cli/run-flags.js';
import type { Origin } from '../model/provenance.js';
import type { Override } from '../model/merge.js';
import type { RunPlan } from './pipeline.js';
import type { Decision } from '../policy/decide.js';
import { acceptedToText, decisionToJson, findingsToText } from '../policy/render.js';

/** Env entries keep their names; their values never leave safedock. */
export function maskEnv(entries: readonly string[] | null): string[] | null {
  if (entries === null) return null;
  return entries.map((e) => (e.includes('=') ? `${e.slice(0, e.indexOf('='))}=${MASKED}` : e));
}

function maskOption(name: string, value: string): string {
  if (name === 'env' && value.includes('=')) return `${value.slice(0, value.indexOf('='))}=${MASKED}`;
  // A well-formed --mount value (a plan shows nothing else) is masked field by field.
  if (name === 'mount') return maskMountSecrets(value);
  return findLongFlag(name)?.secret?.(value) ?? value;
}

/** The log driver's options with their secrets masked (a splunk-token, a password in an address). */
function maskLogConfig(log: CreateBody['HostConfig']['LogConfig']): CreateBody['HostConfig']['LogConfig'] {
  const masked = Object.entries(log.Config).map(([k, v]): [string, string] => {
    const shown = maskLogOption(`${k}=${v}`);
    return [k, shown.slice(shown.indexOf('=') + 1)];
  });
  return { ...log, Config: Object.fromEntries(masked) };
}

/** A mount with the passwords among its volume driver's options masked. */
function maskMountOptions(mount: Mount): Mount {
  const options = mount.VolumeOptions?.DriverConfig?.Options;
  if (options === undefined) return mount;
  const masked = Object.fromEntries(
    Object.entries(options).map(([k, v]) => [k, isSecretOptionName(k) ? MASKED : maskOptionSecrets(v)]),
  );
  const volume = mount.VolumeOptions ?? {};
  return { ...mount, VolumeOptions: { ...volume, DriverConfig: { ...volume.DriverConfig, Options: masked } } };
}

/** The create body as --json shows it: env values and mount passwords masked. */
function maskedBody(body: CreateBody): CreateBody {
  const mounts = body.HostConfig.Mounts;
  return {
    ...body,
    Env: maskEnv(body.Env),
    HostConfig: {
      ...body.HostConfig,
      LogConfig: maskLogConfig(body.HostConfig.LogConfig),
      ...(mounts === undefined ? {} : { Mounts: mounts.map(maskMountOptions) }),
    },
  };
}

const SOURCE_RANK: Record<Origin['source']['kind'], number> = { preset: 0, image: 1, user: 2, compose: 2, engine: 3 };

/**
 * The settings a plan applies, one per option that set something (your flag, a preset key, image
 * tailoring), the preset's first: what `--dry-run` and explain list with their sources.
 */
export function planSettings(plan: Pick<RunPlan, 'provenance'>): Origin[] {
  const seen = new Set<string>();
  const settings: Origin[] = [];
  for (const origin of plan.provenance.values()) {
    const source = origin.source.kind === 'preset' ? `${origin.source.file}:${origin.source.key}` : origin.source.kind;
    const key = `${origin.flag}\u0000${origin.text}\u0000${source}`;
    if (seen.has(key)) continue;
    seen.add(key);
    settings.push(origin);
  }
  return settings.sort((a, b) => SOURCE_RANK[a.source.kind] - SOURCE_RANK[b.source.kind]);
}

function overrideFlag(o: Override): string {
  return o.replaced[0]?.flag ?? o.field;
}

/** The plan as data, for --json: settings with their sources, and the masked create request. */
export function planToJson(
  plan: RunPlan,
  request: RunRequest,
  apiVersion: string,
  decision?: Decision,
): Record<string, unknown> {
  return {
    ...(decision ? { policy: decisionToJson(decision) } : {}),
    preset: {
      name: plan.preset.name,
      file: plan.preset.file,
      ...(plan.preset.chosenBy ? { chosenBy: plan.preset.chosenBy } : {}),
    },
    image: plan.image ? { id: plan.image.id, user: plan.image.user } : null,
    settings: planSettings(plan).map((o) => ({ flag: o.flag, value: maskOption(o.flag, o.text), source: o.source })),
    overrides: plan.overrides.map((o) => ({
      flag: overrideFlag(o),
      ...(o.item === undefined ? {} : { item: o.item }),
      preset: o.replaced.map((v) => maskOption(v.flag, v.text)),
      user: o.by.map((v) => maskOption(v.flag, v.text)),
    })),
    notes: plan.notes,
    request: {
      method: 'POST',
      path: `/v${apiVersion}/containers/create`,
      query: createQuery(request),
      body: maskedBody(request.body),
    },
    client: request.client,
  };
}

function spell(name: string, value: string): string {
  const def = findLongFlag(name);
  if (def?.kind === 'bool') return value === 'true' ? `--${name}` : `--${name}=${value}`;
  return `--${name} ${maskOption(name, shortPath(name, value))}`;
}

/** A profile shipped with safedock, by its path in the package (the absolute path says nothing). */
function shortPath(name: string, value: string): string {
  const root = `${packageRoot}/`;
  return name === 'security-opt' && value.includes(root) ? value.replace(root, '') : value;
}

/** Who set a setting, short: `preset strict: settings.memory`, `your flags`, `image tailoring`. */
function sourceTag(source: Origin['source']): string {
  switch (source.kind) {
    case 'preset':
      return `preset ${source.preset}: ${source.key.includes('.') ? source.key : `settings.${source.key}`}`;
    case 'user':
      return source.service === undefined ? 'your flags' : `service ${source.service.name}`;
    case 'image':
      return 'image tailoring';
    case 'engine':
      return 'the container';
    case 'compose':
      return `${source.file}: services.${source.service}.${source.key}`;
  }
}

function reasonOf(source: Origin['source']): string | undefined {
  if (source.kind === 'preset' || source.kind === 'image') return source.reason;
  return undefined;
}

export interface PlanTextOptions {
  /** The width the text is laid out in (80 unless the terminal or COLUMNS says otherwise). */
  columns?: number;
  /** The whole create body: every field, the seccomp profile's JSON among them. */
  verbose?: boolean;
}

/** The column a settings table's sources start at: room for most flags, never more than half the width. */
const settingColumn = (spelled: readonly string[], columns: number): number =>
  Math.min(Math.max(...spelled.map((s) => s.length), 10) + 4, Math.floor(columns / 2));

/**
 * The plan for people, within `columns`: each setting with who set it (and, in explain, why: a
 * preset key's reason once under all its values), what your flags replaced, the notes, the
 * findings and what the policy would do, then (for --dry-run) the request, its seccomp profile
 * summarised as name, digest and rule count and its fields at their defaults left out, unless
 * --verbose.
 */
export function planToText(
  plan: RunPlan,
  request: RunRequest,
  apiVersion: string,
  view: 'plan' | 'explain' = 'plan',
  decision?: Decision,
  options: PlanTextOptions = {},
): string {
  const columns = options.columns ?? 80;
  const verbose = options.verbose === true;
  const wrap = (first: string, text: string): string[] => hangingWrap(first, text, columns);
  const lines: string[] = [];
  lines.push(
    ...wrap(
      '',
      view === 'plan'
        ? `Plan (dry run: nothing was created) with preset ${plan.preset.name} from ${plan.preset.file}`
        : `What safedock run would apply, with preset ${plan.preset.name} from ${plan.preset.file}`,
    ),
  );
  if (plan.preset.chosenBy) lines.push(...wrap('', `(preset chosen by ${plan.preset.chosenBy})`));
  const settings = planSettings(plan);
  if (settings.length > 0) {
    lines.push('', 'Settings:');
    const spelled = settings.map((o) => `  ${spell(o.flag, o.text)}`);
    const column = settingColumn(spelled, columns);
    const withReasons = view === 'explain' || verbose;
    settings.forEach((option, i) => {
      const head = spelled[i] ?? '';
      const tag = sourceTag(option.source);
      if (head.length + 2 <= column) lines.push(...wrap(head.padEnd(column), tag));
      else lines.push(head, ...wrap(' '.repeat(column), tag));
      // One preset key's values share one reason: it is said once, under the last of them.
      const reason = reasonOf(option.source);
      const next = settings[i + 1];
      const sameNext = next !== undefined && sourceTag(next.source) === tag && reasonOf(next.source) === reason;
      if (withReasons && reason !== undefined && !sameNext) lines.push(...wrap('      ', reason));
    });
  }
  if (plan.overrides.length > 0) {
    lines.push('', 'Your flags replaced these preset values:');
    for (const o of plan.overrides) {
      const flag = overrideFlag(o);
      const by = o.by.map((v) => `${v.flag === flag ? '' : `--${v.flag} `}${maskOption(v.flag, v.text)}`);
      const was = o.replaced.map((v) => maskOption(v.flag, shortPath(v.flag, v.text))).join(', ');
      lines.push(...wrap('  ', `--${flag}: ${was} -> ${by.join(', ') || '(dropped)'}`));
    }
  }
  if (plan.notes.length > 0) {
    lines.push('', 'Notes:');
    for (const note of plan.notes) lines.push(...wrap('  ', note));
  }
  if (decision) lines.push('', ...policyLines(decision, columns));
  if (view === 'explain') {
    if (settings.length === 0) lines.push('', 'Nothing: the run is exactly what docker run would do.');
    return `${lines.join('\n')}\n`;
  }
  const query = new URLSearchParams(createQuery(request)).toString();
  const json = planToJson(plan, request, apiVersion) as { request: { body: CreateBody } };
  const body = verbose ? json.request.body : readableBody(json.request.body, plan);
  lines.push(
    '',
    ...wrap(
      '',
      `Request: POST /v${apiVersion}/containers/create${query ? `?${query}` : ''} (env values masked${
        verbose ? '' : '; fields at their defaults left out, --verbose shows the whole body'
      })`,
    ),
    JSON.stringify(body, null, 2),
  );
  return `${lines.join('\n')}\n`;
}

/**
 * The create body as people read it: fields at their zero value (null, false, 0, "", {}, [])
 * left out, and an inline seccomp profile as its name, digest and number of syscall rules.
 */
export function readableBody(body: CreateBody, plan: Pick<RunPlan, 'provenance'>): Record<string, unknown> {
  const hostConfig = prune(body.HostConfig) as Record<string, unknown> | undefined;
  const securityOpt = body.HostConfig.SecurityOpt?.map((opt) => summariseSeccomp(opt, plan));
  return prune({
    ...body,
    HostConfig: { ...hostConfig, ...(securityOpt === undefined ? {} : { SecurityOpt: securityOpt }) },
  }) as Record<string, unknown>;
}

/** `seccomp=<profile JSON>` → `seccomp=<strict.json: sha256:0123456789ab, 35 syscall rules>`. */
export function summariseSeccomp(opt: string, plan: Pick<RunPlan, 'provenance'>): string {
  const json = /^seccomp[=:](\{[\s\S]*\})$/.exec(opt)?.[1];
  if (json === undefined) return opt;
  let rules: number;
  try {
    const profile = JSON.parse(json) as { syscalls?: unknown };
    rules = Array.isArray(profile.syscalls) ? profile.syscalls.length : 0;
  } catch {
    return opt;
  }
  const named = [...plan.provenance.values()].find((o) => o.flag === 'security-opt' && /^seccomp[=:]/i.test(o.text));
  const name = named === undefined ? 'profile' : basename(named.text.replace(/^seccomp[=:]/i, ''));
  const digest = sha256Hex(json).slice(0, 12);
  return `seccomp=<${name}: sha256:${digest}, ${rules} syscall rule${rules === 1 ? '' : 's'}>`;
}

/** A JSON value without the members that hold nothing; undefined when nothing is left. */
function prune(value: unknown): unknown {
  if (value === null || value === false || value === 0 || value === '') return undefined;
  if (Array.isArray(value)) return value.length === 0 ? undefined : value;
  if (typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  // A set written as a map of empty objects (ExposedPorts, Volumes): its keys are the content.
  const isEmptyObject = (v: unknown): boolean => typeof v === 'object' && v !== null && Object.keys(v).length === 0;
  if (entries.length > 0 && entries.every(([, v]) => isEmptyObject(v) && !Array.isArray(v))) return value;
  const kept = entries.map(([k, v]) => [k, prune(v)] as const).filter(([, v]) => v !== undefined);
  return kept.length === 0 ? undefined : Object.fromEntries(kept);
}

const VERDICT: Record<Decision['verdict'], string> = {
  proceed: 'the run would go ahead',
  ask: 'a run on a terminal would ask before it starts',
  refuse: 'the run would be refused (exit 125)',
};

/** The findings of a plan (info included), what was accepted, and what the policy would do. */
function policyLines(decision: Decision, columns: number): string[] {
  const lines: string[] = [];
  const open = decision.findings.filter((f) => !decision.accepted.some((a) => a.key === f.key));
  lines.push(open.length === 0 ? 'Findings: none' : 'Findings:', ...findingsToText(open, '  ', columns));
  if (decision.accepted.length > 0) lines.push('Accepted:', ...acceptedToText(decision.accepted, '  ', columns));
  lines.push(...hangingWrap('', `Policy: ${decision.mode}; ${VERDICT[decision.verdict]}`, columns));
  return lines;
}
