/**
 * The bridge network safedock owns for presets with `network.isolated`: inter-container traffic
 * off (com.docker.network.bridge.enable_icc=false), labelled as safedock's, created on first use.
 * Measured on Engine 20.10: containers on it cannot reach each other's ports, a port published on
 * 127.0.0.1 answers from the host, and outbound traffic works.
 *
 * Concurrent first runs must end on one network, and none may create its container while two
 * share the name (the engine refuses an ambiguous name, even when given the network's id).
 * Creating with CheckDuplicate makes the engine refuse a second network of the name, but the
 * check is not atomic (measured on Engine 20.10: three concurrent first runs made two networks).
 * So a run that finds the network freshly made, or makes it, settles before it returns: it lists
 * the networks of the name, keeps the oldest, removes the others, and returns once the list has
 * held exactly one network twice, a create's time apart. A network older than that returns at once.
 */
import { SafedockError } from '../errors.js';
import type { Engine, NetworkSummary } from './engine-api.js';

/** The label that marks the network as safedock's, and what it holds. */
export const NETWORK_LABEL = 'io.safedock.network';
export const NETWORK_LABEL_VALUE = 'isolated';
export const ICC_OPTION = 'com.docker.network.bridge.enable_icc';

/** Rounds racing first runs may take to settle, and the pause between two lists (longer than a create takes). */
const SETTLE_ROUNDS = 30;
const SETTLE_PAUSE_MS = 150;
/** A network older than this has no racing creates in flight: the run uses it without settling. */
const SETTLED_AGE_MS = 5_000;

export interface SettleClock {
  now(): number;
  pause(ms: number): Promise<void>;
}

const realClock: SettleClock = {
  now: () => Date.now(),
  pause: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const isOurs = (n: NetworkSummary): boolean =>
  n.Labels?.[NETWORK_LABEL] === NETWORK_LABEL_VALUE && n.Driver === 'bridge' && n.Options?.[ICC_OPTION] === 'false';

/** The oldest of safedock's networks of the name (ties broken by id), the one every racer keeps. */
function winner(networks: readonly NetworkSummary[]): NetworkSummary | undefined {
  return [...networks]
    .filter(isOurs)
    .sort((a, b) => (a.Created ?? '').localeCompare(b.Created ?? '') || a.Id.localeCompare(b.Id))[0];
}

function notOurs(name: string, found: NetworkSummary): SafedockError {
  const icc = found.Options?.[ICC_OPTION] === 'false' ? 'off' : 'on';
  return new SafedockError(
    `the network ${name} exists but is not safedock's isolated network (driver ${found.Driver ?? '?'}, inter-container traffic ${icc}, label ${NETWORK_LABEL}=${found.Labels?.[NETWORK_LABEL] ?? 'missing'})`,
    {
      code: 'network',
      hint: `Containers would not be kept apart on it. Remove or rename that network (docker network rm ${name}), or name another network with --network.`,
    },
  );
}

/** Whether the network was made long enough ago that no racing create can still land (clocks near each other). */
function settledLongAgo(n: NetworkSummary, clock: SettleClock): boolean {
  const created = Date.parse(n.Created ?? '');
  return Number.isFinite(created) && clock.now() - created > SETTLED_AGE_MS;
}

const create = (engine: Engine, name: string) =>
  engine.createNetwork({
    name,
    driver: 'bridge',
    options: { [ICC_OPTION]: 'false' },
    labels: { [NETWORK_LABEL]: NETWORK_LABEL_VALUE },
  });

/**
 * Makes sure safedock's isolated network `name` exists, alone under its name (creating it when
 * missing), and returns its id. `listed` is the engine's list of networks of that name when the
 * caller asked for it earlier. Refuses a network of that name that is not safedock's: joining it
 * would not keep containers apart.
 */
export async function ensureIsolatedNetwork(
  engine: Engine,
  name: string,
  options: { clock?: SettleClock; listed?: Promise<NetworkSummary[]> } = {},
): Promise<string> {
  const clock = options.clock ?? realClock;
  // The first list may have been asked for while the run was still being judged (a read only).
  const existing = await (options.listed ?? engine.networksNamed(name));
  const foreign = existing.find((n) => !isOurs(n));
  if (foreign !== undefined) throw notOurs(name, foreign);
  const kept = winner(existing);
  if (kept !== undefined && existing.length === 1 && settledLongAgo(kept, clock)) return kept.Id;
  if (kept === undefined) await create(engine, name);
  // Every racer keeps the oldest and removes the others (empty: no racer has returned yet).
  let alone = 0;
  for (let round = 0; round < SETTLE_ROUNDS; round++) {
    const now = await engine.networksNamed(name);
    const other = now.find((n) => !isOurs(n));
    if (other !== undefined) throw notOurs(name, other);
    const chosen = winner(now);
    if (chosen === undefined) {
      // Removed meanwhile (by hand, or a test's clean-up): make it again.
      await create(engine, name);
      alone = 0;
      continue;
    }
    const spares = now.filter((n) => n.Id !== chosen.Id);
    if (spares.length === 0 && ++alone >= 2) return chosen.Id;
    if (spares.length > 0) alone = 0;
    // Gone already, or in use: the next list says.
    for (const spare of spares) await engine.removeNetwork(spare.Id);
    await clock.pause(SETTLE_PAUSE_MS);
  }
  throw new SafedockError(`the network ${name} did not settle: several networks of that name remain`, {
    code: 'network',
    hint: `List them with docker network ls --filter name=${name}, remove the ones no container uses, and run again.`,
  });
}
