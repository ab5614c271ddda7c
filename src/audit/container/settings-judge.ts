import { posix } from 'node:path';
import { homedir } from 'node:os';
import type { ImageFacts } from '../../engine/engine.js';
import { fromInspect } from '../../model/from-inspect.js';
import { evaluatePolicy } from '../../policy/evaluate.js';
import { nodeHostView } from '../../policy/host-paths.js';
import type { HostView } from '../../policy/types.js';
import { withoutEngineFills, type EngineDefaults } from './engine-defaults.js';
import type { SettingsJudge } from './judge-container.js';

/**
 * The settings rules (SD1xx) on inspected containers: each read back into the run model by
 * fromInspect (without the defaults the engine filled in) and judged by the same evaluation as
 * `safedock run`, with its image's facts (keyed by image id) when the engine still has the image.
 */
export function settingsJudge(
  images: ReadonlyMap<string, ImageFacts>,
  host: HostView,
  engine: EngineDefaults,
): SettingsJudge {
  return (inspect) => {
    const { spec, provenance } = fromInspect(withoutEngineFills(inspect, engine));
    // The default bridge is SD303's for an existing container: it also says whether the bridge lets
    // containers talk (the daemon's icc), which a run's SD155 cannot know.
    return evaluatePolicy({ spec, provenance, image: images.get(inspect.Image ?? ''), host }).filter(
      (f) => f.rule !== 'SD155',
    );
  };
}

/**
 * How host paths in mounts resolve: through this host's symlinks for a local engine; for an
 * engine on another host, as written (this host's links say nothing about that one's).
 */
export function auditHostView(local: boolean, env: NodeJS.ProcessEnv, cwd: string): HostView {
  if (local) return nodeHostView(env, cwd);
  return {
    env,
    cwd,
    home: env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir(),
    realpath: (p) => posix.normalize(p),
  };
}
