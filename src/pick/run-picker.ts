import type { ParsedRun } from '../argv/types.js';
import type { RunEnvironment } from '../cli/run-main.js';

/** `safedock run --pick`: the preset picker is not part of this build yet. */
export async function pickForRun(_given: ParsedRun, _environment: RunEnvironment): Promise<string> {
  throw new Error('--pick is not available yet');
}
