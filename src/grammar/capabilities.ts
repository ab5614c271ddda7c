/**
 * Capability names, the one place they are normalised. docker's client (the moby client's
 * normalizeCapabilities) upper-cases each name and adds "CAP_" unless it is "ALL"; it does not trim
 * (docker 28 sends " all" as "CAP_ ALL", which the engine then refuses). Every reader — merge keys,
 * policy, previews, export — goes through these functions so that they agree with the engine.
 */

/** One capability as the engine gets it: `net_admin` → `CAP_NET_ADMIN`, `all` → `ALL`. */
export function normalizeCapability(raw: string): string {
  const upper = raw.toUpperCase();
  return upper === 'ALL' || upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
}

/** The moby client's list: normalised, duplicates removed, sorted. */
export function normalizeCapabilities(caps: readonly string[]): string[] {
  return [...new Set(caps.map(normalizeCapability))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The name without the prefix, as people write it and as acceptance keys use it: `CAP_NET_ADMIN` → `NET_ADMIN`. */
export function capabilityName(cap: string): string {
  const normal = normalizeCapability(cap.trim());
  return normal.startsWith('CAP_') ? normal.slice(4) : normal;
}

/**
 * The capabilities Docker Engine gives a container by default (moby's oci/caps DefaultCapabilities),
 * without the prefix: what a container keeps unless --cap-drop removes it.
 */
export const ENGINE_DEFAULT_CAPABILITIES: readonly string[] = [
  'CHOWN',
  'DAC_OVERRIDE',
  'FSETID',
  'FOWNER',
  'MKNOD',
  'NET_RAW',
  'SETGID',
  'SETUID',
  'SETFCAP',
  'SETPCAP',
  'NET_BIND_SERVICE',
  'SYS_CHROOT',
  'KILL',
  'AUDIT_WRITE',
];

/** What Pod Security's baseline level lets a container add: the engine's defaults but NET_RAW. */
export const PSS_BASELINE_CAPABILITIES: readonly string[] = ENGINE_DEFAULT_CAPABILITIES.filter((c) => c !== 'NET_RAW');
