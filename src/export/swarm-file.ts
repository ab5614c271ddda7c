/** stack.yaml: one service for `docker stack deploy`, made by the swarm table. */
import type { RunSpec } from '../model/run-spec.js';
import { toYaml } from '../presets/yaml-file.js';
import { emptyComposeOut } from './compose.js';
import { composeDocument, HEADER } from './compose-file.js';
import type { ExportContext } from './export-context.js';
import type { Rendered } from './loss.js';
import { SWARM } from './swarm.js';
import { walk } from './walk.js';

/** The stack file format with deploy.resources.limits.pids (docker CLI 28 reads up to 3.x). */
export const STACK_VERSION = '3.9';

export async function renderSwarm(spec: RunSpec, ctx: ExportContext): Promise<Rendered> {
  const out = emptyComposeOut(undefined, ctx.isolatedNetwork);
  const { losses, notes } = walk(SWARM, spec, out, { profilePath: () => ctx.profile?.name, hideSecrets: true });
  // docker run's default is no restart; swarm's is to restart always. A field left at its default
  // is never walked: the default is written here.
  if (['', 'no'].includes(spec.restart.Name)) {
    ((out.service.deploy ??= {}) as Record<string, unknown>).restart_policy = { condition: 'none' };
  }
  const text = await toYaml(
    { version: STACK_VERSION, ...composeDocument(ctx.name, out) },
    ` ${HEADER} export (preset ${ctx.preset}): docker stack deploy -c stack.yaml STACK`,
  );
  return { main: { name: 'stack.yaml', text }, extra: [], losses, notes: [...notes, ...out.notes] };
}
