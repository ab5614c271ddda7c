import type { EngineGlobals } from '../engine/global-options.js';
import type { RunIO } from '../engine/run-container.js';

/** What a run command gets from its process: the streams, the environment and the folder. */
export interface RunEnvironment {
  io: RunIO;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** docker's global options given before the command (--context, -H, --tls…). */
  globals?: EngineGlobals | undefined;
}
