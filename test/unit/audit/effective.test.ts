import { describe, expect, it } from 'vitest';
import { capabilityNames, configuredCapabilities } from '../../../src/audit/container/capabilities.js';
import { ENGINE_DEFAULT_CAPABILITIES } from '../../../src/grammar/capabilities.js';
import { compareEffective, configuredUid } from '../../../src/audit/container/effective.js';
import { inspected, processOf } from './fixtures.js';

describe('capabilities', () => {
  it("docker's default mask is its 14 default capabilities", () => {
    expect(capabilityNames(0xa80425fbn).sort()).toEqual([...ENGINE_DEFAULT_CAPABILITIES].sort());
    expect(capabilityNames(0n)).toEqual([]);
    expect(capabilityNames(1n << 21n)).toEqual(['SYS_ADMIN']);
    expect(capabilityNames(1n << 40n)).toEqual(['CHECKPOINT_RESTORE']);
    expect(capabilityNames(1n << 45n)).toEqual(['CAP_45']);
  });

  it.each([
    [false, null, null, [...ENGINE_DEFAULT_CAPABILITIES]],
    [true, null, null, 'all'],
    [false, ['ALL'], null, 'all'],
    [false, ['all'], ['NET_RAW'], 'all-but:NET_RAW'],
    [false, ['NET_BIND_SERVICE'], ['ALL'], ['NET_BIND_SERVICE']],
    [false, ['cap_net_bind_service'], ['all'], ['NET_BIND_SERVICE']],
    [false, null, ['ALL'], []],
    [
      false,
      ['SYS_ADMIN'],
      ['NET_RAW', 'CAP_MKNOD'],
      [...ENGINE_DEFAULT_CAPABILITIES.filter((c) => c !== 'NET_RAW' && c !== 'MKNOD'), 'SYS_ADMIN'],
    ],
  ] as const)('privileged %s, add %j, drop %j', (privileged, add, drop, expected) => {
    const got = configuredCapabilities(privileged, add, drop);
    if (expected === 'all') expect(got).toBe('all');
    else if (typeof expected === 'string') {
      expect(got).not.toBe('all');
      const set = got as Set<string>;
      expect(set.has('NET_RAW')).toBe(false);
      expect(set.has('SYS_ADMIN')).toBe(true);
    } else expect([...(got as Set<string>)].sort()).toEqual([...expected].sort());
  });
});

describe('configuredUid', () => {
  it.each([
    ['', 0],
    ['root', 0],
    ['0', 0],
    ['0:0', 0],
    ['root:root', 0],
    ['1000', 1000],
    ['1000:1000', 1000],
    ['nobody', undefined],
  ] as const)('%j → %s', (user, uid) => {
    expect(configuredUid(user, undefined)).toBe(uid);
  });
  it('looks a name up in the container passwd', () => {
    const passwd = 'root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33::/var/www:/bin/false\ntoor:x:0:0::/:/bin/sh\n';
    expect(configuredUid('www-data', passwd)).toBe(33);
    expect(configuredUid('toor:wheel', passwd)).toBe(0);
    expect(configuredUid('ghost', passwd)).toBeUndefined();
  });
});

const ids = (r: ReturnType<typeof compareEffective>) => r.hits.map((h) => h.rule);

describe('compareEffective', () => {
  it('a default container matches its configuration', () => {
    const r = compareEffective(inspected('a'), processOf());
    expect(r.hits).toEqual([]);
    expect(r.state).toMatchObject({ uid: 0, noNewPrivs: false, seccomp: 'filter', stricter: [] });
    expect(r.state.capabilities).toHaveLength(14);
  });

  it('a hardened container matches too', () => {
    const c = inspected('a', {
      hc: { CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges'] },
      config: { User: '1000:1000' },
    });
    const r = compareEffective(
      c,
      processOf({ uids: [1000, 1000, 1000, 1000], capEff: 0n, capBnd: 0n, noNewPrivs: true }),
    );
    expect(r.hits).toEqual([]);
    expect(r.state).toMatchObject({ uid: 1000, capabilities: [], noNewPrivs: true });
  });

  it('SD305: capabilities the configuration does not grant', () => {
    const c = inspected('a', { hc: { CapDrop: ['ALL'] } });
    expect(compareEffective(c, processOf({ capEff: 0n, capBnd: 1n << 21n })).hits).toEqual([
      { rule: 'SD305', detail: 'the process holds CAP_SYS_ADMIN, which its CapAdd/CapDrop do not grant' },
    ]);
    // Within the bounding set is fine, effective or not; privileged grants everything.
    expect(ids(compareEffective(inspected('a'), processOf({ capEff: 0n })))).toEqual([]);
    expect(
      ids(compareEffective(inspected('a', { hc: { Privileged: true } }), processOf({ capBnd: (1n << 41n) - 1n }))),
    ).toEqual([]);
  });

  it.each(['no-new-privileges', 'no-new-privileges:true', 'no-new-privileges=true', 'no-new-privileges=1'])(
    'SD306: %s configured, NoNewPrivs 0 in effect',
    (opt) => {
      const c = inspected('a', { hc: { SecurityOpt: [opt] } });
      expect(ids(compareEffective(c, processOf({ noNewPrivs: false })))).toEqual(['SD306']);
      expect(ids(compareEffective(c, processOf({ noNewPrivs: true })))).toEqual([]);
    },
  );

  it('no-new-privileges=false configured with NoNewPrivs 1 in effect is stricter, not a finding', () => {
    const c = inspected('a', { hc: { SecurityOpt: ['no-new-privileges=false'] } });
    const r = compareEffective(c, processOf({ noNewPrivs: true }));
    expect(r.hits).toEqual([]);
    expect(r.state.stricter).toEqual(["NoNewPrivs is 1 without no-new-privileges (the engine's default)"]);
  });

  it('SD307: the default profile configured but no filter in effect', () => {
    expect(ids(compareEffective(inspected('a'), processOf({ seccomp: 0 })))).toEqual(['SD307']);
    for (const opt of ['seccomp=unconfined', 'seccomp:unconfined', 'seccomp=Unconfined'])
      expect(ids(compareEffective(inspected('a', { hc: { SecurityOpt: [opt] } }), processOf({ seccomp: 0 })))).toEqual(
        [],
      );
    expect(
      ids(compareEffective(inspected('a', { hc: { Privileged: true } }), processOf({ seccomp: 0, capBnd: 0n }))),
    ).toEqual([]);
  });

  it('SD308: a non-root user configured, uid 0 in effect; through a user namespace map too', () => {
    const c = inspected('a', { config: { User: '1000' } });
    expect(ids(compareEffective(c, processOf({ uids: [1000, 0, 0, 0] })))).toEqual(['SD308']);
    expect(ids(compareEffective(c, processOf({ uids: [1000, 1000, 1000, 1000] })))).toEqual([]);
    const remap = [{ inside: 0, outside: 165536, count: 65536 }];
    expect(ids(compareEffective(c, processOf({ uids: [165536, 165536, 165536, 165536] }, remap)))).toEqual(['SD308']);
    const r = compareEffective(c, processOf({ uids: [166536, 166536, 166536, 166536] }, remap));
    expect(r.hits).toEqual([]);
    expect(r.state.uid).toBe(1000);
  });

  it('a name is resolved through the container passwd', () => {
    const c = inspected('a', { config: { User: 'www-data' } });
    const passwd = 'www-data:x:33:33::/var/www:/bin/false\n';
    expect(ids(compareEffective(c, processOf(), passwd))).toEqual(['SD308']);
    expect(ids(compareEffective(c, processOf(), undefined))).toEqual([]);
  });

  it('configured root, running as another uid: stricter', () => {
    const r = compareEffective(inspected('a'), processOf({ uids: [33, 33, 33, 33], capEff: 0n }));
    expect(r.hits).toEqual([]);
    expect(r.state.stricter).toEqual(['runs as uid 33 although the configuration names root']);
  });
});
