/**
 * The bridge network safedock owns for presets with `network.isolated`: inter-container traffic
 * off (com.docker.network.bridge.enable_icc=false), labelled as safedock's, created on first use.
 * Measured on Engine 20.10: containers on it cannot reach each other's ports, a port published on
 * 127.0.0.1 answers from the host, and outbound traffic works.
 *
 * Concurrent first runs must end on one network. Creating with CheckDuplicate makes the engine
 * refuse a second network of the name (409), and the loser reads the winner's; engines that still
 * let two through (the check is not atomic in every version) are settled afterwards: every racer
 * lists the networks of that name, the oldest safedock one wins, and each racer removes its own
 * if it lost.
 */
import { SafedockError } from '../errors.js';
import { EngineError, type Engine } from './engine.js';

/** The label that marks the network as safedock's, and what it holds. */
export const NETWORK_LABEL = 'io.safedock.network';
export const NETWORK_LABEL_VALUE = 'isolated';
export const ICC_OPTION = 'com.docker.network.bridge.enable_icc';

interface NetworkSummary {
  Id: string;
  Name: string;
  Created?: string;
  Driver?: string;
  Options?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
}

const LIST_CODES = { 200: true, 500: 'server error' };
const CREATE_CODES = {
  201: true,
  400: 'bad parameter',
  403: 'operation not supported',
  404: 'plugin not found',
  409: 'conflict',
  500: 'server error',
};
const REMOVE_CODES = {
  204: true,
  403: 'operation not supported',
  404: 'no such network',
  409: 'conflict',
  500: 'server error',
};

/** Networks named exactly `name` (the engine's name filter also matches parts of names). */
async function networksNamed(engine: Engine, name: string): Promise<NetworkSummary[]> {
  const all = await engine.call<NetworkSummary[]>('GET', '/networks', LIST_CODES, {
    query: { filters: JSON.stringify({ name: { [name]: true } }) },
  });
  return all.filter((n) => n.Name === name);
}

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

/**
 * Makes sure safedock's isolated network `name` exists (creating it when missing) and returns
 * its id. Refuses a network of that name that is not safedock's: joining it would not keep
 * containers apart.
 */
export async function ensureIsolatedNetwork(engine: Engine, name: string): Promise<string> {
  const existing = await networksNamed(engine, name);
  const kept = winner(existing);
  if (kept !== undefined) return kept.Id;
  const foreign = existing[0];
  if (foreign !== undefined) throw notOurs(name, foreign);
  let created: string | undefined;
  try {
    const answer = await engine.call<{ Id: string }>('POST', '/networks/create', CREATE_CODES, {
      body: {
        Name: name,
        CheckDuplicate: true,
        Driver: 'bridge',
        Options: { [ICC_OPTION]: 'false' },
        Labels: { [NETWORK_LABEL]: NETWORK_LABEL_VALUE },
      },
    });
    created = answer.Id;
  } catch (err) {
    // Another run created it first: read theirs below.
    if (!(err instanceof EngineError && err.statusCode === 409)) throw err;
  }
  const now = await networksNamed(engine, name);
  const chosen = winner(now);
  if (chosen === undefined) {
    const other = now[0];
    throw other === undefined
      ? new SafedockError(`the network ${name} could not be created or found`, { code: 'network' })
      : notOurs(name, other);
  }
  if (created !== undefined && created !== chosen.Id) {
    // Two runs created one each: ours is the spare. A container may already use it; then it stays.
    try {
      await engine.call('DELETE', `/networks/${created}`, REMOVE_CODES);
    } catch {
      // In use or already gone: either way the name now resolves to the winner for new runs.
    }
  }
  return chosen.Id;
}
