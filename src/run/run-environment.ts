import type { RunIO } from '../engine/run-container.js';

/** What a run command gets from its process: the streams, the environment and the folder. */
export interface RunEnvironment {
  io: RunIO;
  env: NodeJS.ProcessEnv;
  cwd: string;
}
