/** The args export: `docker run` with the plan's flags, as one shell line (or run.sh beside the profile). */
import type { RunSpec } from '../model/run-spec.js';
import { renderArgs } from './args.js';
import { RUN_IT_WITH_DOCKER } from './client-settings.js';
import type { ExportContext } from './export-context.js';
import { HEADER } from './compose-file.js';
import type { Rendered } from './loss.js';
import { shellLine } from './shell-quote.js';
import { hiddenPasswordNote, writeVariables, type HiddenPassword } from './volume-passwords.js';

/** Stands for the folder of run.sh in the rendered words; replaced by a shell expansion. */
const HERE = '\u0000HERE\u0000';

export function renderArgsFile(spec: RunSpec, ctx: ExportContext): Rendered {
  const ref = ctx.profile === undefined ? undefined : ctx.toFolder ? `${HERE}/${ctx.profile.name}` : ctx.profile.source;
  const hidden: HiddenPassword[] = [];
  const { words, gaps } = renderArgs(spec, { profilePath: () => ref, hideSecrets: true, hidden });
  // A volume's password is the shell's variable, expanded where the line runs: the single-quoted
  // word is closed around it ("$NAME" keeps its spaces).
  let line = writeVariables(`docker run ${shellLine(words)}`, (name) => `'"$${name}"'`);
  // run.sh names the profile beside itself, wherever the folder is moved.
  if (ctx.toFolder) line = line.replaceAll(`'--security-opt=seccomp=${HERE}/`, `"--security-opt=seccomp=$here/"'`);
  const text = ctx.toFolder
    ? `#!/bin/sh\n# ${HEADER} export (preset ${ctx.preset}).\nhere=$(cd "$(dirname "$0")" && pwd)\nexec ${line} "$@"\n`
    : `${line}\n`;
  const extra = ctx.toFolder && ctx.profile ? [{ name: ctx.profile.name, text: ctx.profile.text }] : [];
  const notes = spec.env
    .filter((e) => !e.includes('=') || words.includes(`--env=${e.split('=')[0] ?? ''}`))
    .filter((e) => e.includes('='))
    .map(
      (e) =>
        `${e.split('=')[0] ?? ''} looks like a credential: its value is not written; docker takes it from the environment docker run is started in`,
    );
  for (const h of hidden) {
    notes.push(hiddenPasswordNote(h, (variable) => `the shell takes it from ${variable} when the line runs`, true));
  }
  return {
    // run.sh is run as ./run.sh; the line alone is pasted, not run as a file.
    main: { name: 'run.sh', text, executable: ctx.toFolder },
    extra,
    losses: gaps.map((g) => ({ field: g.field, setting: g.field, why: g.why, instead: RUN_IT_WITH_DOCKER })),
    notes,
  };
}
