/** The narrowest help safedock lays out; below it, lines would hold a word or two. */
const MIN_COLUMNS = 40;

/**
 * The width help text is wrapped to: COLUMNS when it is set to a number, else the width of the
 * terminal stdout is, else 80 (a pipe or a file).
 */
export function helpColumns(stdout: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv): number {
  const fromEnv = Number(env.COLUMNS);
  if (env.COLUMNS !== undefined && Number.isInteger(fromEnv) && fromEnv > 0) return Math.max(fromEnv, MIN_COLUMNS);
  if (stdout.isTTY === true && stdout.columns !== undefined && stdout.columns > 0)
    return Math.max(stdout.columns, MIN_COLUMNS);
  return 80;
}

/**
 * Words of `text` in lines of at most `width` characters (a word longer than that, such as a
 * path, gets a line of its own rather than being cut).
 */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/** `text` wrapped to `width`, each line after the first indented by `indent` spaces (a hanging indent). */
export function hangingWrap(first: string, text: string, width: number): string[] {
  const indent = first.length;
  const lines = wrapWords(text, Math.max(width - indent, 10));
  return lines.map((l, i) => (i === 0 ? `${first}${l}` : `${' '.repeat(indent)}${l}`));
}

/**
 * Items that must stay whole (`--accept 'SD120:/a b:/x'`) after `first`, as many a line as fit
 * in `width`, the lines after the first indented under the first item. An item too long for that
 * gets a line of its own, indented less so that it still ends within the width when it can.
 */
export function wrapItems(first: string, items: readonly string[], width: number): string[] {
  const indent = ' '.repeat(first.length);
  const lines: string[] = [];
  // A line under the first: at the indent, or as far right as lets it end within the width.
  const under = (text: string): string =>
    `${' '.repeat(Math.max(0, Math.min(indent.length, width - text.length)))}${text}`;
  const flush = (text: string): void => {
    if (lines.length > 0) lines.push(under(text));
    else if (first.length + text.length <= width) lines.push(`${first}${text}`);
    else lines.push(first.trimEnd(), under(text));
  };
  let line = '';
  for (const item of items) {
    const room = width - (lines.length === 0 ? first.length : indent.length);
    if (line !== '' && line.length + 1 + item.length > room) {
      flush(line);
      line = item;
    } else line = line === '' ? item : `${line} ${item}`;
  }
  flush(line);
  return lines;
}

/**
 * A term and its text in lines of at most `width`: the text beside the term, continuing under
 * itself; when the term leaves it less than half the width (a long finding key), the term on a
 * line of its own and the text under `under`, so that neither runs past the edge.
 */
export function termWrap(term: string, text: string, width: number, under: string): string[] {
  if (term.length <= Math.floor(width / 2)) return hangingWrap(term, text, width);
  return [term.trimEnd(), ...hangingWrap(under, text, width)];
}

/**
 * A shell command in lines of at most `width`, each but the last ending in " \\" and the
 * continuations indented two more, so that it can still be pasted.
 */
export function wrapCommand(indent: string, command: string, width: number): string[] {
  if (indent.length + command.length <= width) return [`${indent}${command}`];
  const words = wrapWords(command, Math.max(width - indent.length - 4, 10));
  return words.map((l, i) => `${indent}${i === 0 ? '' : '  '}${l}${i < words.length - 1 ? ' \\' : ''}`);
}

/** The column a flag table's text starts at (`  --name NAME   The text`), or undefined for other lines. */
function textColumn(line: string): number | undefined {
  return /^(\s*-(?:\S| (?! ))*\s{2,})\S/.exec(line)?.[1]?.length;
}

/**
 * One line of help text in lines of at most `width`: a shell example (`$ safedock …`) as
 * wrapCommand continues it; the text of a flag table's row continues under itself (under the flag
 * when the terminal is too narrow for that); prose continues under its own indent.
 */
export function wrapHelpLine(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const indent = /^\s*/.exec(line)?.[0] ?? '';
  const body = line.slice(indent.length);
  if (body.startsWith('$ ')) return wrapCommand(indent, body, width);
  const column = textColumn(line);
  if (column !== undefined) {
    const term = line.slice(0, column).trimEnd();
    const text = line.slice(column);
    if (width - column >= 20) return hangingWrap(line.slice(0, column), text, width);
    return [term, ...hangingWrap(`${indent}    `, text, width)];
  }
  return hangingWrap(indent, body, width);
}

/**
 * A whole help text, each line as wrapHelpLine wraps it. A flag table's text already continued
 * on lines of its own (indented to its column) is joined first, so it is wrapped as one.
 */
export function wrapHelp(text: string, width: number): string {
  const logical: string[] = [];
  let column: number | undefined;
  for (const line of text.split('\n')) {
    const indent = /^\s*/.exec(line)?.[0].length ?? 0;
    const previous = logical.length - 1;
    if (column !== undefined && line.trim() !== '' && indent === column && textColumn(line) === undefined) {
      logical[previous] = `${logical[previous] ?? ''} ${line.trim()}`;
      continue;
    }
    column = textColumn(line);
    logical.push(line);
  }
  return logical.flatMap((line) => wrapHelpLine(line, width)).join('\n');
}
