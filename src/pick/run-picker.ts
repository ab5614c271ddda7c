import type { ParsedRun } from '../docker-cli/parsed-run.js';
import type { RunEnvironment } from '../run/run-environment.js';
import { UsageError } from '../errors.js';
import { acceptsFromFlags } from '../policy/accept.js';
import { resolveMode } from '../policy/mode.js';
import { openTerminal } from '../prompt/terminal.js';
import type { SpecLayer } from '../docker-cli/to-spec.js';
import { lookupImage } from './image-lookup.js';
import { pickPreset } from './pick-preset.js';
import { PromptSession, whyNoPrompt } from '../prompt/session.js';

/**
 * `safedock run --pick`: shows the presets on the terminal, each previewed for this image and
 * these flags, and returns the name of the one chosen (the run then goes on as with --preset).
 * Without a terminal it fails at once, naming the form that needs none.
 */
export async function pickForRun(given: ParsedRun, user: SpecLayer, environment: RunEnvironment): Promise<string> {
  const { io, env, cwd } = environment;
  if (given.own.preset !== undefined) {
    throw new UsageError(
      `--pick and --preset ${given.own.preset} both choose the preset`,
      'Give one of them: --pick to choose on the terminal, or --preset NAME to name it.',
    );
  }
  // Mistakes in the flags were reported before any question: `user` is your flags, converted.
  const flagAccepts = acceptsFromFlags(given.own.accept, given.own.reason);
  const mode = resolveMode(given.own.policy, env, true);

  const problem = whyNoPrompt(io, env);
  const terminal = problem === undefined ? openTerminal(io.stderr) : undefined;
  if (terminal === undefined) {
    throw new UsageError(
      `--pick chooses the preset on a terminal, but ${problem ?? 'this process has no controlling terminal (/dev/tty)'}`,
      'Name the preset instead: safedock run --preset NAME … (safedock presets list shows them; safedock explain --preset NAME … shows what one does to a run).',
    );
  }
  const session = await PromptSession.open(terminal, 'nothing was created');
  try {
    return await pickPreset({ parsed: given, user }, { env, cwd, mode, flagAccepts, lookupImage }, session);
  } finally {
    session.close();
  }
}
