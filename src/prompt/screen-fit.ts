/** `text` cut to `width` characters, an ellipsis marking the cut. */
export function fitLine(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/**
 * A block of text in at most `rows` lines of at most `width` characters, so that a terminal
 * never wraps or scrolls it: each line is cut to the width; when there are too many lines, the
 * first ones and the last one are kept (a summary line, such as what the policy would do) and a
 * line between says how many were left out and where to see them.
 */
export function fitBlock(text: string, width: number, rows: number, seeAll: string): string[] {
  const lines = text.split('\n').map((l) => fitLine(l, width));
  if (lines.length <= rows) return lines;
  if (rows <= 1) return lines.slice(0, Math.max(rows, 0));
  const head = lines.slice(0, rows - 2);
  const left = lines.length - head.length - 1;
  return [...head, fitLine(`  … ${left} more line${left === 1 ? '' : 's'}; ${seeAll}`, width), lines.at(-1) ?? ''];
}
