/**
 * POSIX shell quoting of one word: left bare when it holds only characters no shell treats
 * specially, else in single quotes (a single quote inside is written '\'').
 */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

export function shellLine(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
