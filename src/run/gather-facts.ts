/**
 * The facts a run's judgement reads, gathered at the edges in the order the run allows: the host's
 * paths first (no engine needed), then what the engine knows about the volumes and containers the
 * run names (before any pull or create), then the image's account files (once the image is there).
 * The rules themselves only read the result (src/policy/facts.ts).
 */
import type { Engine, ImageFacts } from '../engine/engine.js';
import { gatherEngineObjects, readImageAccounts } from '../engine/facts.js';
import type { Provenance } from '../model/provenance.js';
import type { RunSpec } from '../model/run-spec.js';
import { gatherHostFacts, hostPathKey } from '../policy/engine-sockets.js';
import { engineObjectsWanted, type EngineObjects, type HostFacts, type Invoker } from '../policy/facts.js';
import { exposedHostPaths } from '../policy/host-mounts.js';
import { logSockets } from '../policy/log-sockets.js';
import { needsAccounts, type ImageAccounts } from '../policy/image-accounts.js';
import type { HostView } from '../policy/types.js';

/** What this host says about every host path the run would mount (binds, volume devices, --volumes-from). */
export function hostFactsFor(
  run: { spec: RunSpec; provenance: Provenance },
  engine: EngineObjects | undefined,
  host: HostView,
  invoker: Invoker,
): HostFacts {
  const facts = engine === undefined ? undefined : { stage: 'full' as const, engine };
  const { mounts } = exposedHostPaths({ spec: run.spec, provenance: run.provenance, facts });
  const logs = logSockets(run.spec, 'user');
  return gatherHostFacts(
    [...mounts, ...logs].map((m) => hostPathKey(m.source, host)),
    host,
    invoker,
  );
}

/** The engine's facts about the volumes and containers the run names. */
export function engineObjectsFor(engine: Engine, spec: RunSpec): Promise<EngineObjects> {
  return gatherEngineObjects(engine, engineObjectsWanted(spec));
}

/**
 * Whether the run's user needs the image's account files: a user name, a uid given without a
 * group, --group-add, or an image USER that names someone (it may be root under another name).
 */
export function accountsNeeded(spec: RunSpec, image: ImageFacts | undefined): boolean {
  const effective = spec.user !== '' ? spec.user : (image?.user ?? '');
  if (needsAccounts(effective, spec.groupAdd)) return true;
  const imageUser = image?.user.split(':')[0] ?? '';
  return imageUser !== '' && !/^[+-]?\d+$/.test(imageUser);
}

/** The image's account files, or why they could not be read (the policy then refuses what needs them). */
export async function accountsFor(engine: Engine, image: ImageFacts): Promise<ImageAccounts | string> {
  try {
    return await readImageAccounts(engine, image.id);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
