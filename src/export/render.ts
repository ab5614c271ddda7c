/** The renderer of each format: the run model and the export's context → the document and its files. */
import type { RunSpec } from '../model/run-spec.js';
import { renderArgsFile } from './args-file.js';
import { renderCompose } from './compose-file.js';
import type { ExportContext, ExportFormat } from './export-context.js';
import { renderK8s } from './k8s-file.js';
import type { Rendered } from './loss.js';
import { renderSwarm } from './swarm-file.js';

const RENDERERS: Readonly<Record<ExportFormat, (spec: RunSpec, ctx: ExportContext) => Promise<Rendered> | Rendered>> = {
  compose: renderCompose,
  swarm: renderSwarm,
  k8s: renderK8s,
  args: renderArgsFile,
};

export async function renderExport(format: ExportFormat, spec: RunSpec, ctx: ExportContext): Promise<Rendered> {
  return RENDERERS[format](spec, ctx);
}
