import type { RunRequest } from '../api/create-body.js';
import { createQuery } from '../model/create-query.js';
import { findLongFlag } from '../docker-cli/run-flags.js';
import { describeSource, type Origin } from '../model/provenance.js';
import type { Override } from '../model/merge.js';
import type { RunPlan } from './pipeline.js';
import type { Decision } from '../policy/decide.js';
import { decisionToJson, findingsToText } from '../policy/render.js';
import { describeAcceptedBy } from '../policy/accept.js';

const MASK = '********';

/** Env entries keep their names; their values never leave safedock. */
export function maskEnv(entries: readonly string[] | null): string[] | null {
  if (entries === null) return null;
  return entries.map((e) => (e.includes('=') ? `${e.slice(0, e.indexOf('='))}=${MASK}` : e));
}

function maskOption(name: string, value: string): string {
  if (name === 'env' && value.includes('=')) return `${value.slice(0, value.indexOf('='))}=${MASK}`;
  return value;
}

const SOURCE_RANK: Record<Origin['source']['kind'], number> = { preset: 0, image: 1, user: 2, engine: 3 };

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
      body: { ...request.body, Env: maskEnv(request.body.Env) },
    },
    client: request.client,
  };
}

function spell(name: string, value: string): string {
  const def = findLongFlag(name);
  if (def?.kind === 'bool') return value === 'true' ? `--${name}` : `--${name}=${value}`;
  return `--${name} ${maskOption(name, value)}`;
}

/** The plan for people: each setting and why it is there, then the request that would be sent. */
export function planToText(
  plan: RunPlan,
  request: RunRequest,
  apiVersion: string,
  view: 'plan' | 'explain' = 'plan',
  decision?: Decision,
): string {
  const lines: string[] = [];
  lines.push(
    view === 'plan'
      ? `Plan (dry run: nothing was created) with preset ${plan.preset.name} from ${plan.preset.file}`
      : `What safedock run would apply, with preset ${plan.preset.name} from ${plan.preset.file}`,
  );
  if (plan.preset.chosenBy) lines.push(`(preset chosen by ${plan.preset.chosenBy})`);
  const settings = planSettings(plan);
  if (settings.length > 0) {
    lines.push('', 'Settings:');
    const width = Math.min(40, Math.max(...settings.map((o) => spell(o.flag, o.text).length)));
    for (const option of settings) {
      const reason =
        option.source.kind === 'preset' && option.source.reason
          ? ` - ${option.source.reason}`
          : option.source.kind === 'image'
            ? ` - ${option.source.reason}`
            : '';
      lines.push(`  ${spell(option.flag, option.text).padEnd(width)}  ${describeSource(option.source)}${reason}`);
    }
  }
  if (plan.overrides.length > 0) {
    lines.push('', 'Your flags replaced these preset values:');
    for (const o of plan.overrides) {
      const flag = overrideFlag(o);
      const by = o.by.map((v) => `${v.flag === flag ? '' : `--${v.flag} `}${maskOption(v.flag, v.text)}`);
      lines.push(
        `  --${flag}: ${o.replaced.map((v) => maskOption(v.flag, v.text)).join(', ')} -> ${by.join(', ') || '(dropped)'}`,
      );
    }
  }
  if (plan.notes.length > 0) {
    lines.push('', 'Notes:');
    for (const note of plan.notes) lines.push(`  ${note}`);
  }
  if (decision) lines.push('', ...policyLines(decision));
  if (view === 'explain') {
    if (settings.length === 0) lines.push('', 'Nothing: the run is exactly what docker run would do.');
    return `${lines.join('\n')}\n`;
  }
  const query = new URLSearchParams(createQuery(request)).toString();
  const json = planToJson(plan, request, apiVersion) as { request: { body: unknown } };
  lines.push(
    '',
    `Request: POST /v${apiVersion}/containers/create${query ? `?${query}` : ''} (env values masked)`,
    JSON.stringify(json.request.body, null, 2),
  );
  return `${lines.join('\n')}\n`;
}

const VERDICT: Record<Decision['verdict'], string> = {
  proceed: 'the run would go ahead',
  ask: 'a run on a terminal would ask before it starts',
  refuse: 'the run would be refused (exit 125)',
};

/** The findings of a plan (info included), what was accepted, and what the policy would do. */
function policyLines(decision: Decision): string[] {
  const lines: string[] = [];
  const open = decision.findings.filter((f) => !decision.accepted.some((a) => a.rule === f.rule));
  lines.push(open.length === 0 ? 'Findings: none' : 'Findings:', ...findingsToText(open, '  '));
  if (decision.accepted.length > 0) {
    lines.push('Accepted:');
    const seen = new Set<string>();
    for (const f of decision.accepted) {
      if (seen.has(f.rule)) continue;
      seen.add(f.rule);
      lines.push(`  ${f.rule}  ${f.title}: ${f.acceptance.reason} (by ${describeAcceptedBy(f.acceptance.by)})`);
    }
  }
  lines.push(`Policy: ${decision.mode}; ${VERDICT[decision.verdict]}`);
  return lines;
}
