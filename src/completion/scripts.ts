import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';

/**
 * The shell side of completion, one short adapter per shell (completion/ in the package): each
 * passes the words typed so far to `safedock __complete` and offers what it prints, one
 * `value<TAB>description` line per candidate and, last, `:files`, `:dirs` or `:none` (whether the
 * shell adds names of files or folders). Everything else, commands, flags and their values, is
 * decided in one place (src/completion/complete.ts), so the three shells complete alike.
 */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

const FILES: Readonly<Record<Shell, string>> = {
  bash: 'safedock.bash',
  zsh: '_safedock',
  fish: 'safedock.fish',
};

export function completionScript(shell: Shell): string {
  return readFileSync(join(packageRoot, 'completion', FILES[shell]), 'utf8');
}
