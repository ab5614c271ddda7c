/** ensureIsolatedNetwork decides on a fake engine (on the real one: test/integration/isolated-network.test.ts). */
import { describe, expect, it } from 'vitest';
import type { NetworkSummary } from '../../../src/engine/engine-api.js';
import { ensureIsolatedNetwork, type SettleClock } from '../../../src/engine/isolated-network.js';
import { FakeEngine } from './fakes.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
/** Time stands still and pauses take none: the settling loop runs at once. */
const clock: SettleClock = { now: () => NOW, pause: () => Promise.resolve() };
const ago = (seconds: number): string => new Date(NOW - seconds * 1000).toISOString();

const ours = (id: string, created: string): NetworkSummary => ({
  Id: id,
  Name: 'safedock',
  Created: created,
  Driver: 'bridge',
  Options: { 'com.docker.network.bridge.enable_icc': 'false' },
  Labels: { 'io.safedock.network': 'isolated' },
});

describe('ensureIsolatedNetwork', () => {
  it('creates the network when missing: a bridge, inter-container traffic off, labelled', async () => {
    const engine = new FakeEngine();
    const id = await ensureIsolatedNetwork(engine, 'safedock', { clock });
    expect(engine.networks).toHaveLength(1);
    expect(engine.networks[0]).toMatchObject({
      Id: id,
      Driver: 'bridge',
      Options: { 'com.docker.network.bridge.enable_icc': 'false' },
      Labels: { 'io.safedock.network': 'isolated' },
    });
    // It settles before returning: listed until alone twice.
    expect(engine.calls.filter((c) => c.startsWith('networksNamed')).length).toBeGreaterThanOrEqual(3);
  });

  it('uses a network made long ago at once, without creating or settling', async () => {
    const engine = new FakeEngine();
    engine.networks.push(ours('a1', ago(60)));
    expect(await ensureIsolatedNetwork(engine, 'safedock', { clock })).toBe('a1');
    expect(engine.calls).toEqual(['networksNamed safedock']);
  });

  it('takes a list asked for earlier in place of its first list, and judges it the same way', async () => {
    const engine = new FakeEngine();
    engine.networks.push(ours('a1', ago(60)));
    expect(
      await ensureIsolatedNetwork(engine, 'safedock', { clock, listed: Promise.resolve([ours('a1', ago(60))]) }),
    ).toBe('a1');
    expect(engine.calls).toEqual([]);
    const foreign = { ...ours('f1', ago(60)), Labels: {} };
    await expect(
      ensureIsolatedNetwork(engine, 'safedock', { clock, listed: Promise.resolve([foreign]) }),
    ).rejects.toThrow(/is not safedock's isolated network/);
    // An early list that found nothing: created, then settled by fresh lists.
    const empty = new FakeEngine();
    const id = await ensureIsolatedNetwork(empty, 'safedock', { clock, listed: Promise.resolve([]) });
    expect(empty.networks.map((n) => n.Id)).toEqual([id]);
    expect(empty.calls[0]).toBe('createNetwork safedock');
  });

  it('two made by racing first runs: the oldest is kept, the spare removed', async () => {
    const engine = new FakeEngine();
    engine.networks.push(ours('b2', ago(1)), ours('a1', ago(2)));
    expect(await ensureIsolatedNetwork(engine, 'safedock', { clock })).toBe('a1');
    expect(engine.networks.map((n) => n.Id)).toEqual(['a1']);
    expect(engine.calls).toContain('removeNetwork b2');
  });

  it("refuses a network of that name that is not safedock's, and creates nothing", async () => {
    for (const foreign of [
      { ...ours('f1', ago(60)), Labels: {} },
      { ...ours('f1', ago(60)), Options: {} },
      { ...ours('f1', ago(60)), Driver: 'overlay' },
    ]) {
      const engine = new FakeEngine();
      engine.networks.push(foreign);
      await expect(ensureIsolatedNetwork(engine, 'safedock', { clock })).rejects.toThrow(
        /the network safedock exists but is not safedock's isolated network/,
      );
      expect(engine.calls.some((c) => c.startsWith('createNetwork'))).toBe(false);
    }
  });

  it('a spare that cannot be removed (a container on it) ends in a clear error, not a loop', async () => {
    const engine = new FakeEngine();
    engine.networks.push(ours('a1', ago(2)), ours('b2', ago(1)));
    engine.removeNetwork = (id: string) => {
      engine.calls.push(`removeNetwork ${id}`);
      return Promise.resolve(false);
    };
    await expect(ensureIsolatedNetwork(engine, 'safedock', { clock })).rejects.toThrow(
      'the network safedock did not settle: several networks of that name remain',
    );
  });

  it('made again when removed while settling', async () => {
    const engine = new FakeEngine();
    engine.networks.push(ours('a1', ago(1)));
    const list = engine.networksNamed.bind(engine);
    let lists = 0;
    engine.networksNamed = (name: string) => {
      // The second list finds it gone (someone removed it by hand).
      if (++lists === 2) engine.networks.splice(0);
      return list(name);
    };
    const id = await ensureIsolatedNetwork(engine, 'safedock', { clock });
    expect(engine.networks.map((n) => n.Id)).toEqual([id]);
    expect(engine.calls).toContain('createNetwork safedock');
  });
});
