import type { CommandTree } from './unknown-command.js';

/** The part of oclif's command list that tells what a user can type. */
export interface ListedCommand {
  id: string;
  hidden?: boolean | undefined;
}

/** Command ids as typed (`presets list`) and the topics they form (`presets`), visible ones only. */
export function commandTree(commands: readonly ListedCommand[]): CommandTree {
  const visible = commands.filter((c) => c.hidden !== true).map((c) => c.id.split(':'));
  const topics = new Set<string>();
  for (const words of visible) for (let n = 1; n < words.length; n++) topics.add(words.slice(0, n).join(' '));
  return { commands: visible.map((w) => w.join(' ')).sort(), topics: [...topics].sort() };
}
