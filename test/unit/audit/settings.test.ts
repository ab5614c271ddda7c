import { describe, expect, it } from 'vitest';
import { withoutEngineFills } from '../../../src/audit/container/engine-defaults.js';
import { auditHostView, settingsJudge } from '../../../src/audit/container/settings-judge.js';
import type { ImageFacts } from '../../../src/engine/engine.js';
import type { ContainerInspect } from '../../../src/api/inspect.js';
import { inspected } from './fixtures.js';

const host = auditHostView(false, { HOME: '/home/me' }, '/home/me');
const v1 = { cgroupVersion: '1' };
const rules = (findings: readonly { rule: string }[]) => findings.map((f) => f.rule);

describe('withoutEngineFills', () => {
  it.each([
    ['1', 'host', ''],
    ['1', 'private', 'private'],
    ['2', 'host', 'host'],
    ['2', 'private', 'private'],
    [undefined, 'host', 'host'],
  ] as const)('cgroup v%s: CgroupnsMode %s → %j', (version, mode, expected) => {
    const c = inspected('a', { hc: { CgroupnsMode: mode } });
    expect(withoutEngineFills(c, { cgroupVersion: version }).HostConfig?.CgroupnsMode).toBe(expected);
  });

  it('label=disable, which the engine adds for privileged and host PID/IPC, is dropped only there', () => {
    const opts = (hc: NonNullable<ContainerInspect['HostConfig']>) =>
      withoutEngineFills(inspected('a', { hc }), v1).HostConfig?.SecurityOpt;
    expect(opts({ Privileged: true, SecurityOpt: ['label=disable'] })).toBeNull();
    expect(opts({ PidMode: 'host', SecurityOpt: ['label=disable', 'no-new-privileges'] })).toEqual([
      'no-new-privileges',
    ]);
    expect(opts({ IpcMode: 'host', SecurityOpt: ['label=disable'] })).toBeNull();
    expect(opts({ SecurityOpt: ['label=disable'] })).toEqual(['label=disable']);
  });
});

describe('settingsJudge: the run rules on an inspected container', () => {
  const images = new Map<string, ImageFacts>([
    ['sha256:1234', { id: 'sha256:1234', user: '', volumes: [], exposedPorts: [] }],
  ]);
  const judge = settingsJudge(images, host, v1);

  it('a docker run default container: root, default capabilities, no limits, writable root', () => {
    expect(rules(judge(inspected('a', { hc: { CgroupnsMode: 'host' } })))).toEqual([
      'SD118',
      'SD117',
      'SD126',
      'SD127',
      'SD113',
      'SD119',
      'SD128',
      'SD132',
    ]);
  });

  it('reads risky settings from the inspect answer', () => {
    const c = inspected('a', {
      hc: {
        Privileged: true,
        Binds: ['/var/run/docker.sock:/var/run/docker.sock'],
        PidMode: 'host',
        SecurityOpt: ['label=disable'],
      },
    });
    const found = rules(judge(c));
    expect(found).toEqual(expect.arrayContaining(['SD101', 'SD102', 'SD104']));
    expect(found).not.toContain('SD131');
  });

  it('the image user comes from the image facts when the container names none', () => {
    const named = new Map<string, ImageFacts>([
      ['sha256:1234', { id: 'sha256:1234', user: '1000', volumes: [], exposedPorts: [] }],
    ]);
    expect(rules(settingsJudge(named, host, v1)(inspected('a')))).not.toContain('SD118');
    expect(rules(settingsJudge(new Map(), host, v1)(inspected('a')))).toContain('SD118');
  });

  it("a remote engine's paths are taken as written", () => {
    expect(host.realpath('/var/run/../run/docker.sock')).toBe('/var/run/docker.sock');
    expect(host.realpath('/a//b/../c')).toBe('/a/c');
  });
});
