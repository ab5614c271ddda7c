/**
 * What safedock learn proposes: the fixes as docker run flags and as a project preset that extends
 * the base preset, each added setting with the reason that cites its evidence. Pure.
 */
import { shellQuote } from '../presets/render.js';
import type { PresetSetting } from '../presets/types.js';
import { fixesArgs, presetAdditions, WIDE, type Fix } from './fixes.js';
import type { LearnResult } from './learn-loop.js';

export interface PresetDocument {
  name: string;
  summary: string;
  extends: string;
  settings: Record<string, PresetSetting>;
  image?: { nonRootUser: PresetSetting };
  accept?: Record<string, string>;
}

export interface Proposal {
  args: string[];
  document: PresetDocument;
}

export function propose(
  fixes: readonly Fix[],
  { name, base, image, imageRunsAsRoot }: { name: string; base: string; image: string; imageRunsAsRoot: boolean },
): Proposal {
  const added = presetAdditions(fixes, imageRunsAsRoot);
  const settings = { ...added.settings };
  const document: PresetDocument = {
    name,
    summary: `${base}, plus what ${image} was seen to need (written by safedock learn).`,
    extends: base,
    settings,
  };
  if (added.user !== undefined) {
    if (added.user.forRootImage) document.image = { nonRootUser: added.user.setting };
    else settings.user = added.user.setting;
  }
  if (Object.keys(added.accept).length > 0) document.accept = added.accept;
  return { args: fixesArgs(fixes), document };
}

export const argsText = (args: readonly string[]): string => args.map(shellQuote).join(' ');

/** The comment at the top of the preset file. */
export function presetComment(image: string, base: string): string {
  return ` Project preset written by safedock learn for ${image}: ${base}, plus the smallest changes under\n which it was seen to work. Each setting says what was seen; edit freely, or learn again.`;
}

/** The terminal report of what was tried, and the result. */
export function resultText(result: LearnResult, image: string, base: string): string {
  switch (result.status) {
    case 'works-as-is':
      return `${image} works under ${base} as it is: nothing to learn, nothing written.\n`;
    case 'learnt':
      return `${image} works under ${base} with ${String(result.fixes.length)} change${result.fixes.length === 1 ? '' : 's'}, proved by the last run above.\n`;
    case 'needs-wide': {
      const wide = result.wide === undefined ? undefined : WIDE[result.wide];
      return `Nothing narrower made ${image} work. It works only when it gives up ${wide?.gives ?? 'part of the hardening'} (${wide?.args.join(' ') ?? ''}; policy rule ${wide?.rule ?? ''}).\n`;
    }
    case 'stuck': {
      const lines = [`safedock learn found no change under which ${image} works.`];
      if (result.evidence.length > 0) {
        lines.push('What the last run printed that points at the hardening:');
        for (const e of result.evidence.slice(0, 5)) lines.push(`  ${e.line.trim()}`);
      } else {
        lines.push('The last run printed nothing safedock recognises as the hardening (its output ends with):');
        for (const l of result.lastOutput.trimEnd().split('\n').slice(-8)) lines.push(`  ${l}`);
      }
      lines.push(...result.notes.map((n) => `note: ${n}`));
      return `${lines.join('\n')}\n`;
    }
  }
}
