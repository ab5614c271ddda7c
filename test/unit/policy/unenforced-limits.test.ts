import { describe, expect, it } from 'vitest';
import type { RunFacts } from '../../../src/policy/facts.js';
import { findingsFor } from './helpers.js';

const on = (engineLimits: NonNullable<RunFacts['engineLimits']>): RunFacts => ({ stage: 'full', engineLimits });
const ROOTLESS_V1 = { rootless: true, cgroupVersion: '1', cgroupDriver: 'none' };

describe('SD170: limits a rootless engine on cgroup v1 accepts and does not enforce', () => {
  it.each([
    ['strict on a rootless engine, cgroup v1', 'strict', ROOTLESS_V1, '--memory, --cpus, --pids-limit'],
    ['a memory limit of your own', 'none', ROOTLESS_V1, '--memory'],
    [
      'rootless without a cgroup driver',
      'strict',
      { rootless: true, cgroupVersion: '2', cgroupDriver: 'none' },
      '--memory, --cpus, --pids-limit',
    ],
  ])('%s → medium, naming the flags', async (_what, preset, engine, flags) => {
    const line = preset === 'none' ? '-m 64m img' : 'img';
    const f = (await findingsFor(line, { preset, facts: on(engine) })).find((x) => x.rule === 'SD170');
    expect(f?.severity).toBe('medium');
    expect(f?.detail).toMatch(new RegExp(`^${flags.replaceAll('-', '\\-')} not in effect: the engine is rootless`));
  });
  it.each([
    ['a rootful engine', { rootless: false, cgroupVersion: '1', cgroupDriver: 'cgroupfs' }],
    ['rootless on cgroup v2 with systemd', { rootless: true, cgroupVersion: '2', cgroupDriver: 'systemd' }],
  ])('%s: nothing', async (_what, engine) => {
    const rules = (await findingsFor('img', { facts: on(engine) })).map((x) => x.rule);
    expect(rules).not.toContain('SD170');
  });
  it('no limits set, nothing to report', async () => {
    const rules = (await findingsFor('img', { preset: 'none', facts: on(ROOTLESS_V1) })).map((x) => x.rule);
    expect(rules).not.toContain('SD170');
  });
});
