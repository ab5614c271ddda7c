import { relative } from 'node:path';
import { findingsToText } from '../policy/render.js';
import { shellQuote } from '../presets/render.js';
import type { InitPlan } from './plan-init.js';

const state = (exists: boolean): string => (exists ? 'exists: will be replaced' : 'new');

/** What init is about to write, and what every run in the folder will then apply. */
export function initSummary(plan: InitPlan): string {
  const rel = (file: string): string => relative(plan.folder, file);
  const lines = [`safedock init in ${plan.folder}`, ''];
  const because = plan.proposedBecause === undefined ? '' : ` (proposed: ${plan.proposedBecause})`;
  lines.push(`  base preset     ${plan.base.name}, ${plan.base.source ?? 'built-in'}${because}`);
  if (plan.preset !== undefined) {
    lines.push(
      `  project preset  ${rel(plan.preset.file)} (${state(plan.preset.exists)}): ${plan.preset.name}, extends ${plan.base.name}, adding`,
    );
    const settings = Object.entries(plan.preset.doc.settings);
    const width = Math.max(...settings.map(([flag]) => flag.length));
    for (const [flag, setting] of settings) {
      const values = Array.isArray(setting.value) ? setting.value : [setting.value];
      lines.push(`                    ${flag.padEnd(width)}  ${values.join(', ')}`);
    }
  }
  lines.push(
    `  project config  ${rel(plan.config.file)} (${plan.config.exists ? 'exists: its preset: is set, other fields kept' : 'new'}): preset: ${plan.effective.name}`,
  );
  if (plan.service !== undefined) {
    lines.push(
      `  service         ${plan.service.name} in ${rel(plan.config.file)}: ports ${plan.service.ports.join(', ')}`,
      `                  published only by \`safedock run --service ${plan.service.name} …\`, never by every run here`,
    );
  }
  const rootOnly =
    plan.effective.image?.nonRootUser !== undefined && plan.effective.settings.user === undefined
      ? ' (the last --user only for images that would run as root)'
      : '';
  lines.push('', `Every \`safedock run\` here will apply, as docker run arguments${rootOnly}:`);
  lines.push(`  ${plan.args.map(shellQuote).join(' ') || '(nothing: runs are plain docker runs)'}`);
  lines.push(
    '',
    `Policy findings of these settings (for an image that runs as root${plan.service === undefined ? '' : `, with the service's ports`}):${plan.findings.length === 0 ? ' none' : ''}`,
  );
  lines.push(...findingsToText(plan.findings, '  '));
  for (const note of plan.notes) lines.push('', `Note: ${note}`);
  return `${lines.join('\n')}\n`;
}

/** What was written, and how to see it in use. */
export function initDone(plan: InitPlan): string {
  const rel = (file: string): string => relative(plan.folder, file);
  const files = [...(plan.preset === undefined ? [] : [rel(plan.preset.file)]), rel(plan.config.file)];
  const service =
    plan.service === undefined
      ? []
      : [`\`safedock run --service ${plan.service.name} IMAGE\` also publishes ${plan.service.ports.join(', ')}.`];
  return [
    `Wrote ${files.join(' and ')}.`,
    `\`safedock run IMAGE\` in ${plan.folder} and below now uses preset ${plan.effective.name}; \`safedock presets list\` shows where it comes from, \`safedock explain IMAGE\` what it applies.`,
    ...service,
    '',
  ].join('\n');
}
