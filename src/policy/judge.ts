import type { ImageFacts } from '../engine/engine.js';
import type { Provenance } from '../model/provenance.js';
import type { RunSpec } from '../model/run-spec.js';
import { acceptsFromMap, type Acceptance } from './accept.js';
import { decide, type Decision } from './decide.js';
import { evaluatePolicy } from './evaluate.js';
import { nodeHostView } from './host-paths.js';
import type { RunFacts } from './facts.js';
import { PASS_THROUGH } from './labels.js';
import { isCi, type ModeSource, type PolicyMode } from './mode.js';
import type { Finding, HostView } from './types.js';

export interface JudgeContext {
  mode: PolicyMode;
  /** Where the mode came from, for the warned-through label (default: the default). */
  modeFrom?: ModeSource;
  /** --accept/--reason from the command line. */
  flagAccepts: readonly Acceptance[];
  /** The project config's acceptances (.safedock.yaml `accept:`), when a project config applies. */
  project: { file: string; accept?: Record<string, string> | undefined } | undefined;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The host as the rules see it; by default this machine's (nodeHostView). */
  host?: HostView | undefined;
  /**
   * A finding in the words of what is judged, where the catalog's speak of run and its flags
   * (compose harden judges a Compose file: its fix is a key of that file, its network the project's).
   */
  reword?: ((finding: Finding) => Finding) | undefined;
}

/** What the policy judges: a planned run (or an existing container read back by fromInspect). */
export interface JudgedRun {
  spec: RunSpec;
  provenance: Provenance;
  image: ImageFacts | undefined;
  /** The preset's name, file and `accept:` map. */
  preset: { name: string; file: string; accept?: Record<string, string> | undefined };
  /** Facts gathered from the engine, the image and the host; an early judgement has only some. */
  facts?: RunFacts | undefined;
}

/** The policy's verdict on a plan: its findings, weighed against what was accepted and by whom. */
export function judgePlan(plan: JudgedRun, ctx: JudgeContext): Decision {
  const findings = evaluatePolicy({
    spec: plan.spec,
    provenance: plan.provenance,
    image: plan.image,
    host: ctx.host ?? nodeHostView(ctx.env, ctx.cwd),
    facts: plan.facts,
  }).map((f) => ctx.reword?.(f) ?? f);
  const acceptances = [
    ...ctx.flagAccepts,
    ...(ctx.project ? acceptsFromMap(ctx.project.accept, { kind: 'project', file: ctx.project.file }) : []),
    ...acceptsFromMap(plan.preset.accept, { kind: 'preset', preset: plan.preset.name, file: plan.preset.file }),
  ];
  return decide(findings, acceptances, ctx.mode, {
    modeFrom: ctx.modeFrom ?? 'default',
    ci: isCi(ctx.env),
    traceWarn: plan.preset.name !== PASS_THROUGH,
  });
}
