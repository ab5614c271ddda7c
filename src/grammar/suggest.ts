/**
 * The one way a suggestion is said: first on the hint line, before what else to do
 * (`Did you mean strict? Choose one of: …`); '' when there is none. `shown` is how it is written.
 */
export function didYouMean(near: string | undefined, shown: (near: string) => string = (n) => n): string {
  return near === undefined ? '' : `Did you mean ${shown(near)}? `;
}

/**
 * Edit distance between two short strings, counting a swap of two neighbouring letters as one
 * edit ("rnu" is one edit from "run"), as people mistype.
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const prev = rows[i - 1] ?? [];
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      cur[j] = d;
    }
    rows.push(cur);
  }
  return rows[a.length]?.[b.length] ?? 0;
}

/**
 * The closest candidate to `input`, letter case aside: within edit distance 2 (1 for names of 3
 * letters or less, or `maxDistance`), or one that starts with `input`. Ties go to the earlier candidate.
 */
export function suggest(
  input: string,
  candidates: readonly string[],
  maxDistance: number = input.length <= 3 ? 1 : 2,
): string | undefined {
  if (input.length === 0) return undefined;
  const limit = maxDistance;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(input.toLowerCase(), c.toLowerCase());
    if (d <= limit && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best !== undefined) return best;
  if (input.length >= 3) return candidates.find((c) => c.toLowerCase().startsWith(input.toLowerCase()));
  return undefined;
}
