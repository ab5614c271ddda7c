import { describe, expect, it } from 'vitest';
import { acceptancesFromLabels, provenance, splitAcceptedLabel } from '../../../src/audit/container/accepted.js';
import { judgeContainer, type JudgeContainerContext } from '../../../src/audit/container/judge-container.js';
import { namespaceSharing } from '../../../src/audit/container/namespace-sharing.js';
import { runtimeChecks } from '../../../src/audit/container/runtime-checks.js';
import { selectContainers } from '../../../src/audit/container/select.js';
import { UsageError } from '../../../src/errors.js';
import type { Finding } from '../../../src/policy/types.js';
import type { AuditAcceptance } from '../../../src/audit/types.js';
import { inspected, processOf } from './fixtures.js';

const runtime = (name = 'a') => ({ bridgeIcc: true, shares: [], name });

describe('runtimeChecks', () => {
  it.each([
    [{ Name: 'no', MaximumRetryCount: 0 }, undefined],
    [{ Name: '', MaximumRetryCount: 0 }, undefined],
    [{ Name: 'on-failure', MaximumRetryCount: 5 }, undefined],
    [{ Name: 'on-failure', MaximumRetryCount: 1 }, undefined],
    [{ Name: 'on-failure', MaximumRetryCount: 0 }, 'RestartPolicy is "on-failure" with no limit (at most 5)'],
    [{ Name: 'on-failure', MaximumRetryCount: 6 }, 'RestartPolicy is "on-failure" with 6 retries (at most 5)'],
    [{ Name: 'always', MaximumRetryCount: 0 }, 'RestartPolicy is "always": restarted without end'],
    [{ Name: 'unless-stopped', MaximumRetryCount: 0 }, 'RestartPolicy is "unless-stopped": restarted without end'],
  ])('SD301 %j', (policy, detail) => {
    const hits = runtimeChecks(inspected('a', { hc: { RestartPolicy: policy } }), runtime()).filter(
      (h) => h.rule === 'SD301',
    );
    expect(hits.map((h) => h.detail)).toEqual(detail === undefined ? [] : [detail]);
  });

  it('SD302: no health check, or one switched off', () => {
    const sd302 = (hc: object | null) =>
      runtimeChecks(inspected('a', { config: { Healthcheck: hc } }), runtime()).filter((h) => h.rule === 'SD302');
    expect(sd302(null)).toHaveLength(1);
    expect(sd302({ Test: ['NONE'] })[0]?.detail).toMatch(/switched off/);
    expect(sd302({ Test: ['CMD-SHELL', 'true'] })).toEqual([]);
  });

  it('SD303: on the default bridge, saying whether containers there reach each other', () => {
    const sd303 = (mode: string, networks: Record<string, Record<string, never>>, icc: boolean | undefined) =>
      runtimeChecks(inspected('a', { hc: { NetworkMode: mode }, networks }), { bridgeIcc: icc, shares: [], name: 'a' })
        .filter((h) => h.rule === 'SD303')
        .map((h) => h.detail);
    expect(sd303('default', { bridge: {} }, true)).toEqual([
      'the container is on the default bridge, where inter-container communication is on',
    ]);
    expect(sd303('bridge', {}, false)).toEqual([
      'the container is on the default bridge (inter-container communication is off there)',
    ]);
    expect(sd303('app', { app: {} }, true)).toEqual([]);
    expect(sd303('none', {}, true)).toEqual([]);
    expect(sd303('host', {}, true)).toEqual([]);
  });
});

describe('namespaceSharing', () => {
  const a = inspected('a', { id: 'a'.repeat(64) });
  const b = inspected('b', {
    id: 'b'.repeat(64),
    hc: { PidMode: `container:${'a'.repeat(64)}`, NetworkMode: `container:${'a'.repeat(64)}` },
  });
  const c = inspected('c', { id: 'c'.repeat(64), hc: { IpcMode: 'container:a' } });
  const d = inspected('d', { id: 'd'.repeat(64), hc: { PidMode: 'host' } });
  const e = inspected('e', { id: 'e'.repeat(64), hc: { PidMode: 'host' } });

  it('the joined container is told who joined it; the joiners are left to SD110', () => {
    const m = namespaceSharing([{ inspect: a }, { inspect: b }, { inspect: c }]);
    expect(m.get(a.Id)).toEqual([
      { kind: 'pid', with: ['b'], how: 'joined' },
      { kind: 'ipc', with: ['c'], how: 'joined' },
      { kind: 'net', with: ['b'], how: 'joined' },
    ]);
    expect(m.has(b.Id)).toBe(false);
    expect(m.has(c.Id)).toBe(false);
  });

  it("what /proc shows counts too, except the host's namespaces", () => {
    const m = namespaceSharing(
      [
        { inspect: a, namespaces: { uts: 'uts:[1]', pid: 'pid:[9]' } },
        { inspect: c, namespaces: { uts: 'uts:[1]' } },
        { inspect: d, namespaces: { pid: 'pid:[5]' } },
        { inspect: e, namespaces: { pid: 'pid:[5]' } },
      ],
      new Set(['uts:[0]']),
    );
    expect(m.get(a.Id)).toEqual([
      { kind: 'ipc', with: ['c'], how: 'joined' },
      { kind: 'uts', with: ['c'], how: 'observed' },
    ]);
    expect(m.get(c.Id)).toEqual([{ kind: 'uts', with: ['a'], how: 'observed' }]);
    expect(m.has(d.Id)).toBe(false);
  });
});

describe('accepted labels', () => {
  it.each([
    ['nginx drops root itself (--accept)', { reason: 'nginx drops root itself', by: '--accept' }],
    [
      'needs raw sockets (ping) (preset compat (/usr/lib/safedock/presets/compat.yaml))',
      { reason: 'needs raw sockets (ping)', by: 'preset compat (/usr/lib/safedock/presets/compat.yaml)' },
    ],
    ['no parentheses', { reason: 'no parentheses', by: 'unknown' }],
    ['(only who)', { reason: '(only who)', by: 'unknown' }],
  ])('%j', (value, expected) => {
    expect(splitAcceptedLabel(value)).toEqual(expected);
  });

  it('reads io.safedock.accepted and its per-rule labels', () => {
    const m = acceptancesFromLabels({
      'io.safedock.accepted': 'SD118, sd104,junk',
      'io.safedock.accepted.SD118': 'image drops root (a yes on the terminal)',
    });
    expect([...m.entries()]).toEqual([
      ['SD118', { reason: 'image drops root', by: 'a yes on the terminal', source: 'label' }],
      ['SD104', { reason: 'no reason recorded', by: 'unknown', source: 'label' }],
    ]);
  });

  it('reads io.safedock.accepted.keys when the run wrote it: item by item, ahead of the rule list', () => {
    const m = acceptancesFromLabels({
      'io.safedock.accepted': 'SD111',
      'io.safedock.accepted.SD111': 'vpn (--accept)',
      'io.safedock.accepted.keys': JSON.stringify({
        'SD111:NET_ADMIN': { reason: 'vpn', by: '--accept', accepted: 'SD111:NET_ADMIN', origin: 'user' },
        junk: { reason: 'x' },
      }),
    });
    expect([...m.entries()]).toEqual([['SD111:NET_ADMIN', { reason: 'vpn', by: '--accept', source: 'label' }]]);
    // Unreadable keys: the rule list stands.
    const legacy = acceptancesFromLabels({ 'io.safedock.accepted': 'SD118', 'io.safedock.accepted.keys': '{' });
    expect([...legacy.keys()]).toEqual(['SD118']);
  });

  it('provenance: any io.safedock.* label means safedock ran it', () => {
    expect(provenance({ 'io.safedock.preset': 'strict' })).toEqual({ safedock: true, preset: 'strict' });
    expect(provenance({ 'io.safedock.accepted': 'SD118' })).toEqual({ safedock: true, preset: undefined });
    expect(provenance({ 'com.example': 'x' })).toEqual({ safedock: false, preset: undefined });
  });
});

describe('judgeContainer', () => {
  const settingsHit: Finding = {
    rule: 'SD118',
    severity: 'high',
    title: 'runs as root',
    detail: 'User is ""',
    fix: 'Run as a non-root user.',
    origin: 'default',
    key: 'SD118',
  };
  const ctx = (over: Partial<JudgeContainerContext> = {}): JudgeContainerContext => ({
    settings: () => [settingsHit],
    runtime: runtime(),
    projectAccepts: new Map(),
    imageLabels: {},
    ...over,
  });

  it('findings on a container started without safedock are drift', () => {
    const r = judgeContainer(inspected('a'), ctx());
    expect(r.startedBy).toBe('other');
    expect(r.findings.map((f) => [f.rule, f.status])).toEqual([
      ['SD118', 'drift'],
      ['SD302', 'drift'],
      ['SD303', 'drift'],
    ]);
  });

  it('a finding the run accepted is accepted, with its reason and who; the rest are open', () => {
    const r = judgeContainer(
      inspected('a', {
        config: {
          Labels: {
            'io.safedock.preset': 'compat',
            'io.safedock.accepted': 'SD118',
            'io.safedock.accepted.SD118': 'nginx drops root (--accept)',
          },
        },
      }),
      ctx(),
    );
    expect(r).toMatchObject({ startedBy: 'safedock', preset: 'compat' });
    expect(r.findings.map((f) => [f.rule, f.status])).toEqual([
      ['SD302', 'open'],
      ['SD303', 'open'],
      ['SD118', 'accepted'],
    ]);
    expect(r.findings[2]?.acceptance).toEqual({ reason: 'nginx drops root', by: '--accept', source: 'label' });
  });

  it("safedock labels the container got from its image are the image's, not a run's: drift, not accepted", () => {
    const forged = {
      'io.safedock.preset': 'strict',
      'io.safedock.accepted': 'SD118',
      'io.safedock.accepted.SD118': 'planted (--accept)',
    };
    const r = judgeContainer(
      inspected('a', { config: { Labels: { ...forged, app: 'x' } } }),
      ctx({ imageLabels: forged }),
    );
    expect(r).toMatchObject({ startedBy: 'other', preset: undefined });
    expect(r.findings.find((f) => f.rule === 'SD118')?.status).toBe('drift');
    // A run's own value replaces the image's and counts; an image that cannot be read trusts none.
    const ran = {
      ...forged,
      'io.safedock.preset': 'compat',
      'io.safedock.accepted.SD118': 'nginx drops root (--accept)',
    };
    const own = judgeContainer(inspected('a', { config: { Labels: ran } }), ctx({ imageLabels: forged }));
    expect(own.preset).toBe('compat');
    expect(own.findings.find((f) => f.rule === 'SD118')?.status).toBe('open');
    const unread = judgeContainer(inspected('a', { config: { Labels: ran } }), ctx({ imageLabels: undefined }));
    expect(unread.startedBy).toBe('other');
  });

  it("the project config's accept: applies after the container's own labels", () => {
    const projectAccepts = new Map<string, AuditAcceptance>([
      ['SD302', { reason: 'batch job', by: 'the project config /p/.safedock.yaml', source: 'project' as const }],
    ]);
    const r = judgeContainer(inspected('a'), ctx({ projectAccepts }));
    expect(r.findings.find((f) => f.rule === 'SD302')).toMatchObject({
      status: 'accepted',
      acceptance: { source: 'project' },
    });
  });

  it('an acceptance of one item covers that item, not the rule: SD111:NET_ADMIN leaves SD111:ALL open', () => {
    const cap = (item: string, severity: Finding['severity']): Finding => ({
      rule: 'SD111',
      severity,
      title: 'dangerous capability added',
      detail: `CapAdd has ${item}`,
      fix: 'Remove the --cap-add.',
      origin: 'engine',
      item,
      key: `SD111:${item}`,
    });
    const labels = {
      'io.safedock.preset': 'strict',
      'io.safedock.accepted': 'SD111',
      'io.safedock.accepted.SD111': 'vpn (--accept)',
      'io.safedock.accepted.keys': JSON.stringify({
        'SD111:NET_ADMIN': { reason: 'vpn', by: '--accept', accepted: 'SD111:NET_ADMIN', origin: 'user' },
      }),
    };
    const settings = () => [cap('ALL', 'critical'), cap('NET_ADMIN', 'high')];
    const r = judgeContainer(inspected('a', { config: { Labels: labels } }), ctx({ settings }));
    expect(r.findings.filter((f) => f.rule === 'SD111').map((f) => [f.detail, f.status])).toEqual([
      ['CapAdd has ALL', 'open'],
      ['CapAdd has NET_ADMIN', 'accepted'],
    ]);
    // The same from the project config: a key covers its item; a bare id of a lower rule covers all.
    const projectAccepts = new Map<string, AuditAcceptance>([
      ['SD111:NET_ADMIN', { reason: 'vpn', by: 'the project config /p/.safedock.yaml', source: 'project' }],
    ]);
    const p = judgeContainer(inspected('a'), ctx({ settings, projectAccepts }));
    expect(p.findings.filter((f) => f.rule === 'SD111').map((f) => f.status)).toEqual(['drift', 'accepted']);
  });

  it('the process is compared with the configuration when it was read', () => {
    const r = judgeContainer(
      inspected('a', { config: { User: '1000' } }),
      ctx({ settings: () => [], process: processOf() }),
    );
    expect(r.findings.map((f) => f.rule)).toEqual(['SD308', 'SD302', 'SD303']);
    expect(r.effective?.uid).toBe(0);
  });
});

describe('selectContainers', () => {
  const listed = [
    { Id: 'abc123'.padEnd(64, '0'), Names: ['/web'] },
    { Id: 'abd456'.padEnd(64, '0'), Names: ['/db'] },
  ];
  it('by name, full id or unique prefix, each once', () => {
    expect(selectContainers(listed, ['web', '/db', 'abc1', 'web'])).toEqual([listed[0]?.Id, listed[1]?.Id]);
  });
  it('refuses a missing or ambiguous one', () => {
    expect(() => selectContainers(listed, ['nope'])).toThrow(UsageError);
    expect(() => selectContainers(listed, ['nope'])).toThrow(/^no such container: nope$/);
    expect(() => selectContainers(listed, ['ab'])).toThrow(/"ab" matches 2 containers/);
  });
});
