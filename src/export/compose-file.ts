/** compose.yaml: one service made from the plan by the compose table, and its profile beside it. */
import type { RunSpec } from '../model/run-spec.js';
import { toYaml } from '../presets/yaml-file.js';
import { COMPOSE, emptyComposeOut, type ComposeMap, type ComposeOut } from './compose.js';
import { profileReference, type ExportContext } from './export-context.js';
import type { Rendered } from './loss.js';
import { walk } from './walk.js';

export const HEADER = 'Written by safedock';

export function composeDocument(name: string, out: ComposeOut): ComposeMap {
  const doc: ComposeMap = { services: { [name]: out.service } };
  if (Object.keys(out.volumes).length > 0) doc.volumes = out.volumes;
  if (Object.keys(out.networks).length > 0) doc.networks = out.networks;
  if (Object.keys(out.secrets).length > 0) doc.secrets = out.secrets;
  return doc;
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
