/**
 * The diagnosis block of a foreground `safedock run` whose container exited non-zero: the tail of
 * its output (src/engine/output-tail.ts, fed by the run's observer) read against the plan. Loaded
 * only after such an exit; it never throws and never changes the exit code.
 */
import type { RunRequest } from '../api/create-body.js';
import type { ParsedRun } from '../docker-cli/parsed-run.js';
import type { Engine } from '../engine/engine.js';
import type { RunPlan } from '../run/pipeline.js';
import { containerUserIds } from './container-user.js';
import { diagnose, diagnosisText } from './diagnose.js';
import { planFacts } from './run-facts.js';

export interface ForegroundRun {
  engine: Engine;
  runPlan: RunPlan;
  request: RunRequest;
  parsed: ParsedRun;
  cwd: string;
  /** The container, when it still exists (not --rm): its /etc/passwd names the user's ids. */
  id: string | undefined;
  exitCode: number;
  /** The last few KB of its output. */
  output: string;
}

/** The block to print after the container's output, or undefined when the output names no hardening. */
export async function foregroundDiagnosis(run: ForegroundRun): Promise<string | undefined> {
  try {
    const { engine, runPlan, request } = run;
    const user = runPlan.spec.user !== '' ? runPlan.spec.user : (runPlan.image?.user ?? '');
    const readable = request.body.HostConfig.AutoRemove ? undefined : run.id;
    const ids = await containerUserIds(engine, readable, user).catch(() => undefined);
    const facts = planFacts(runPlan, request, run.parsed, {
      cwd: run.cwd,
      engine: { kind: engine.facts.kind, version: engine.engineVersion },
      ids,
    });
    const d = diagnose(run.exitCode, run.output, facts);
    if (d === undefined) return undefined;
    const learn = facts.hidden ? `${d.learn}   (the -e values are hidden: type them again)` : d.learn;
    return diagnosisText({ ...d, learn }, run.exitCode);
  } catch {
    return undefined;
  }
}
