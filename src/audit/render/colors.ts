import type { Severity } from '../../policy/types.js';

/** Paints text for a terminal, or leaves it alone. */
export interface Palette {
  severity(severity: Severity, text: string): string;
  accepted(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const sgr =
  (open: string) =>
  (text: string): string =>
    `\u001b[${open}m${text}\u001b[0m`;

const SEVERITY_SGR: Readonly<Record<Severity, string>> = {
  critical: '1;31',
  high: '31',
  medium: '33',
  low: '36',
  info: '2',
};

export const PLAIN: Palette = {
  severity: (_s, text) => text,
  accepted: (text) => text,
  dim: (text) => text,
  bold: (text) => text,
};

export const COLORS: Palette = {
  severity: (s, text) => sgr(SEVERITY_SGR[s])(text),
  accepted: sgr('32'),
  dim: sgr('2'),
  bold: sgr('1'),
};

/**
 * Colour only on a terminal, never with NO_COLOR set to anything (no-color.org), nor with
 * TERM=dumb.
 */
export function useColor(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY === true && env.TERM !== 'dumb';
}
