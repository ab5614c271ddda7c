/** compose.yaml: one service made from the plan by the compose table, and its profile beside it. */
import type { RunSpec } from '../model/run-spec.js';
import { toYaml } from '../presets/yaml-file.js';
import { COMPOSE, emptyComposeOut, type ComposeMap, type ComposeOut } from './compose.js';
import { profileReference, type ExportContext } from './export-context.js';
import type { Rendered } from './loss.js';
import { walk } from './walk.js';
import { writeVariables } from './volume-passwords.js';

export const HEADER = 'Written by safedock';

/**
 * The document for one service. Compose (and `docker stack deploy`) replaces `$NAME` and `${NAME}`
 * in every value with the deploying shell's variables, which docker run never does: a command
 * `sh -c 'echo $A'` or a value `x$USER` would change. Every dollar the run holds is written `$$`,
 * Compose's literal dollar.
 */
export function composeDocument(name: string, out: ComposeOut): ComposeMap {
  const doc: ComposeMap = { services: { [name]: out.service } };
  if (Object.keys(out.volumes).length > 0) doc.volumes = out.volumes;
  if (Object.keys(out.networks).length > 0) doc.networks = out.networks;
  if (Object.keys(out.secrets).length > 0) doc.secrets = out.secrets;
  return literalDollars(doc) as ComposeMap;
}

/** Every string value with its dollars doubled; keys and other values as they are. */
function literalDollars(value: unknown): unknown {
  // A password left to a variable (volume-passwords.ts) becomes Compose's ${NAME} after the escape.
  if (typeof value === 'string') return writeVariables(value.replaceAll('$', '$$$$'), (name) => `\${${name}}`);
  if (Array.isArray(value)) return value.map(literalDollars);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literalDollars(v)]));
  }
  return value;
}

export async function renderCompose(spec: RunSpec, ctx: ExportContext): Promise<Rendered> {
  const profileRef = profileReference(ctx, (name) => `./${name}`);
  const out = emptyComposeOut(profileRef, ctx.isolatedNetwork);
  const { losses, notes } = walk(COMPOSE, spec, out, { profilePath: () => profileRef, hideSecrets: true });
  // docker-compose 1.29 opens the profile relative to its working directory, not to the file.
  const comment = ` ${HEADER} export (preset ${ctx.preset}): docker-compose up -d${
    ctx.profile && ctx.toFolder
      ? `\n Run it from this folder: the seccomp profile ./${ctx.profile.name} is read from here.`
      : ''
  }`;
  const text = await toYaml(composeDocument(ctx.name, out), comment);
  const extra = ctx.toFolder && ctx.profile ? [{ name: ctx.profile.name, text: ctx.profile.text }] : [];
  return { main: { name: 'compose.yaml', text }, extra, losses, notes: [...notes, ...out.notes] };
}
