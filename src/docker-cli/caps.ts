/**
 * The moby client's normalizeCapabilities: upper-case, "CAP_" prefix unless "ALL", duplicates
 * removed, sorted. An empty list is sent as null.
 */
export function normalizeCapabilities(caps: readonly string[]): string[] | null {
  const seen = new Set<string>();
  for (const raw of caps) {
    const upper = raw.toUpperCase(); // docker 28 does not trim: " all" → "CAP_ ALL"
    seen.add(upper === 'ALL' || upper.startsWith('CAP_') ? upper : `CAP_${upper}`);
  }
  if (seen.size === 0) return null;
  return [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
