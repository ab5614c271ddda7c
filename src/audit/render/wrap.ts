/**
 * Wraps text at spaces to lines of at most `width` characters: the first line starts with
 * `first`, the others with `rest` (a hanging indent). A word longer than a line is cut.
 */
export function wrap(text: string, width: number, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  const room = (prefix: string) => Math.max(10, width - prefix.length);
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    let w = word;
    for (;;) {
      const sep = empty ? '' : ' ';
      if (line.length + sep.length + w.length <= width) {
        line += sep + w;
        empty = false;
        break;
      }
      if (!empty) {
        lines.push(line);
        line = rest;
        empty = true;
        continue;
      }
      // A word longer than the whole line: cut it.
      const fit = room(line);
      line += w.slice(0, fit);
      lines.push(line);
      line = rest;
      w = w.slice(fit);
      if (w === '') break;
    }
  }
  if (!empty || lines.length === 0) lines.push(line);
  return lines;
}
