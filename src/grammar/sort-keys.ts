/** A copy of a map with keys in Go's JSON order (sorted by bytes), as the docker CLI sends maps. */
export function sortKeys<T>(map: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  const keys = Object.keys(map).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const k of keys) out[k] = map[k] as T;
  return out;
}
