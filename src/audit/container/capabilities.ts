import { ENGINE_DEFAULT_CAPABILITIES } from '../../grammar/capabilities.js';
import { CAPABILITIES } from '../../seccomp/types.js';

/** Capability names by bit number: CAPABILITIES is in the kernel's order (CAP_CHOWN is bit 0). */
const BY_BIT: readonly string[] = CAPABILITIES.map((c) => c.slice(4));

/** A capability mask (/proc's CapEff, CapBnd) as names without CAP_; unknown bits as CAP_<n>. */
export function capabilityNames(mask: bigint): string[] {
  const out: string[] = [];
  for (let bit = 0; mask >> BigInt(bit) !== 0n; bit++)
    if (((mask >> BigInt(bit)) & 1n) === 1n) out.push(BY_BIT[bit] ?? `CAP_${bit}`);
  return out;
}

const bare = (name: string): string => {
  const upper = name.trim().toUpperCase();
  return upper.startsWith('CAP_') ? upper.slice(4) : upper;
};

/**
 * The bounding set a container's settings ask for, as the engine computes it (moby's
 * TweakCapabilities): everything when privileged or when CapAdd has ALL (less CapDrop); only
 * CapAdd when CapDrop has ALL; otherwise the defaults less CapDrop plus CapAdd. 'all' means
 * every capability the engine knows.
 */
export function configuredCapabilities(
  privileged: boolean,
  capAdd: readonly string[] | null | undefined,
  capDrop: readonly string[] | null | undefined,
): Set<string> | 'all' {
  if (privileged) return 'all';
  const add = (capAdd ?? []).map(bare);
  const drop = (capDrop ?? []).map(bare);
  if (add.includes('ALL')) return drop.length === 0 ? 'all' : new Set(BY_BIT.filter((c) => !drop.includes(c)));
  if (drop.includes('ALL')) return new Set(add);
  return new Set([...ENGINE_DEFAULT_CAPABILITIES.filter((c) => !drop.includes(c)), ...add]);
}
