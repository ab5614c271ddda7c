import type { ContainerInspect } from '../../api/inspect.js';
import type { Finding } from '../../policy/types.js';
import { sortFindings, toFinding } from '../findings.js';
import type { ProcessView } from '../host/read-process.js';
import type { AuditAcceptance, AuditFinding, AuditHit } from '../types.js';
import { acceptancesFromLabels, ownLabels, provenance } from './accepted.js';
import { containerName } from './container-name.js';
import { compareEffective, type EffectiveState } from './effective.js';
import { runtimeChecks, type RuntimeContext } from './runtime-checks.js';

/**
 * The settings rules (SD1xx) on a container's configuration: the same evaluation `safedock run`
 * makes before a container starts, fed from the inspected container through the run model.
 */
export type SettingsJudge = (inspect: ContainerInspect) => readonly Finding[];

export interface ContainerReport {
  id: string;
  name: string;
  /** The image as the container was created from it (a reference, or an id). */
  image: string;
  state: string;
  startedBy: 'safedock' | 'other';
  preset: string | undefined;
  findings: AuditFinding[];
  /** The process as the host's /proc shows it; undefined when it was not read. */
  effective: EffectiveState | undefined;
}

export interface JudgeContainerContext {
  settings: SettingsJudge;
  runtime: RuntimeContext;
  /** The container's process, when it runs and the host's /proc could be read. */
  process?: ProcessView | undefined;
  /** The container's /etc/passwd, to turn a user name into a uid. */
  passwd?: string | undefined;
  /** accept: of the project config in the folder the audit runs in, by finding key (SD118, SD111:NET_ADMIN). */
  projectAccepts: ReadonlyMap<string, AuditAcceptance>;
  /** The labels of the container's image (undefined: it could not be read); see ownLabels. */
  imageLabels: Readonly<Record<string, string>> | undefined;
}

/**
 * One container judged: the settings rules, the runtime rules, and its process against its
 * configuration; each finding marked accepted (by the run's labels, then the project config),
 * open (safedock started it) or drift (nothing ever judged it). Pure.
 */
export function judgeContainer(inspect: ContainerInspect, ctx: JudgeContainerContext): ContainerReport {
  const labels = ownLabels(inspect.Config?.Labels ?? {}, ctx.imageLabels);
  const origin = provenance(labels);
  const fromLabels = acceptancesFromLabels(labels);
  const hits: AuditHit[] = ctx.settings(inspect).map((f) => ({
    rule: f.rule,
    key: f.key,
    detail: f.detail,
    severity: f.severity,
    fix: f.fix,
  }));
  hits.push(...runtimeChecks(inspect, ctx.runtime));
  let effective: EffectiveState | undefined;
  if (ctx.process !== undefined) {
    const compared = compareEffective(inspect, ctx.process, ctx.passwd);
    hits.push(...compared.hits);
    effective = compared.state;
  }
  const findings = hits.map((hit) => {
    // An item's key first; a bare rule id (or a label from before keys) covers every item of its rule.
    const lookup = (m: ReadonlyMap<string, AuditAcceptance>): AuditAcceptance | undefined =>
      (hit.key === undefined ? undefined : m.get(hit.key)) ?? m.get(hit.rule);
    const acceptance = lookup(fromLabels) ?? lookup(ctx.projectAccepts);
    if (acceptance !== undefined) return toFinding(hit, 'accepted', acceptance);
    return toFinding(hit, origin.safedock ? 'open' : 'drift');
  });
  return {
    id: inspect.Id,
    name: containerName(inspect),
    image: inspect.Config?.Image ?? inspect.Image ?? '',
    state: inspect.State?.Status ?? 'unknown',
    startedBy: origin.safedock ? 'safedock' : 'other',
    preset: origin.preset,
    findings: sortFindings(findings),
    effective,
  };
}
