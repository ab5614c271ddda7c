import type { ParsedRun } from '../docker-cli/parsed-run.js';
import { EXIT } from '../errors.js';
import { acceptOnTerminal, type Decision } from '../policy/decide.js';
import { isCi } from '../policy/mode.js';
import { decisionToJson, decisionToText, refusalText, RUN_REFUSAL } from '../policy/render.js';
import { askOnTerminal } from '../prompt/confirm.js';
import { mayAsk, openTerminal } from '../prompt/terminal.js';
import type { RunEnvironment } from '../run/run-environment.js';
import { writeJsonFile, type RunNotes } from './run-output.js';
import { helpColumns } from '../text/wrap.js';

/** How the question and its outcomes are worded for one command (run, export). */
export interface SettleWords {
  question: string;
  declined: string;
  nothing: string;
}

export const RUN_WORDS: SettleWords = {
  question: 'Run anyway',
  declined: 'not run (answered no)',
  nothing: 'nothing was created',
};

/**
 * Reports the findings and settles the decision: proceed (the decision, with any yes on the
 * terminal recorded as an acceptance), or an exit code (refused: 125; cancelled: 130).
 */
export async function settle(
  decision: Decision,
  parsed: ParsedRun,
  { io, env }: Pick<RunEnvironment, 'io' | 'env'>,
  notes: RunNotes,
  words: SettleWords = RUN_WORDS,
): Promise<Decision | number> {
  const { question, declined, nothing } = words;
  // The report for scripts: the final verdict, written before anything is created.
  const jsonFile = parsed.own.jsonFile;
  const report = (d: Decision): void => {
    if (jsonFile !== undefined) writeJsonFile(jsonFile, { policy: decisionToJson(d), notes: notes.all });
  };
  // Laid out for stderr's width, as the plan is for stdout's: a long finding key stays within it.
  const columns = helpColumns(io.stderr, env);
  io.stderr.write(decisionToText(decision, { quiet: notes.quiet, columns }));
  if (decision.verdict === 'proceed') {
    report(decision);
    return decision;
  }
  const refuse = (why: string): number => {
    const refused = { ...decision, verdict: 'refuse' as const };
    report(refused);
    io.stderr.write(refusalText(refused, why, { ...RUN_REFUSAL, nothing }, columns));
    return EXIT.failure;
  };
  if (decision.verdict === 'refuse') {
    const why =
      decision.mode === 'warn'
        ? 'CI is set: warn lets no critical finding through unattended; name it with --accept'
        : isCi(env)
          ? 'CI is set, so nobody is asked'
          : parsed.own.policy !== undefined || env.SAFEDOCK_POLICY
            ? 'the policy is enforce'
            : 'no terminal to ask on';
    return refuse(parsed.own.yes ? `${why}; --yes only answers the question on a terminal` : why);
  }
  // verdict 'ask': a person at the terminal decides; --yes stands for that person only there.
  if (!mayAsk(io.stderr, env)) {
    const why = isCi(env) ? 'CI is set, so nobody is asked' : 'no terminal to ask on';
    return refuse(parsed.own.yes ? `${why}; --yes only answers the question on a terminal` : why);
  }
  if (parsed.own.yes) {
    const confirmed = acceptOnTerminal(decision, 'confirmed with --yes on a terminal');
    report(confirmed);
    return confirmed;
  }
  const terminal = openTerminal(io.stderr);
  if (terminal === undefined) return refuse('no terminal to ask on');
  // --json-file: the findings (verdict ask) come before the question, so a reader has them to decide on.
  report(decision);
  const ids = [...new Set(decision.blocking.map((f) => f.key))].join(', ');
  const answer = await askOnTerminal(terminal, `${question} with ${ids}?`);
  if (answer === 'cancelled') {
    io.stderr.write(`safedock: cancelled; ${nothing}.\n`);
    return EXIT.cancelled;
  }
  if (answer === 'no') {
    report({ ...decision, verdict: 'refuse' });
    io.stderr.write(`safedock: ${declined}; ${nothing}.\n`);
    return EXIT.failure;
  }
  const confirmed = acceptOnTerminal(decision, 'confirmed on the terminal');
  report(confirmed);
  return confirmed;
}
