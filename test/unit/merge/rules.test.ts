import { describe, expect, it } from 'vitest';
import { normalizeCapability, publishKey, ruleFor, securityOptKey } from '../../../src/merge/rules.js';

describe('normalizeCapability', () => {
  it.each([
    ['sys_admin', 'CAP_SYS_ADMIN'],
    ['SYS_ADMIN', 'CAP_SYS_ADMIN'],
    ['CAP_SYS_ADMIN', 'CAP_SYS_ADMIN'],
    ['cap_sys_admin', 'CAP_SYS_ADMIN'],
    [' net_raw ', 'CAP_NET_RAW'],
    ['all', 'ALL'],
    ['ALL', 'ALL'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeCapability(input)).toBe(expected);
  });
});

describe('securityOptKey', () => {
  it.each([
    ['no-new-privileges', 'no-new-privileges'],
    ['no-new-privileges=false', 'no-new-privileges'],
    ['no-new-privileges:true', 'no-new-privileges'],
    ['seccomp=unconfined', 'seccomp'],
    ['seccomp:unconfined', 'seccomp'],
    ['SECCOMP=/x.json', 'seccomp'],
    ['apparmor=unconfined', 'apparmor'],
    ['label:type:svirt_t', 'label'],
    ['label=disable', 'label'],
    ['systempaths=unconfined', 'systempaths'],
  ])('%s -> %s', (input, expected) => {
    expect(securityOptKey(input)).toBe(expected);
  });
});

describe('publishKey', () => {
  it.each([
    ['80', '80/tcp'],
    ['8080:80', '80/tcp'],
    ['127.0.0.1:8080:80', '80/tcp'],
    ['127.0.0.1::80', '80/tcp'],
    ['[::1]:6000:6000', '6000/tcp'],
    ['[::]:53:53/udp', '53/udp'],
    ['53/UDP', '53/udp'],
    ['published=8081,target=81,protocol=udp', '81/udp'],
    ['target=81,published=8081', '81/tcp'],
  ])('%s -> %s', (input, expected) => {
    expect(publishKey(input)).toBe(expected);
  });
});

describe('ruleFor', () => {
  it('falls back on the flag kind for flags without their own rule', () => {
    expect(ruleFor('memory', false)).toEqual({ kind: 'replace' });
    expect(ruleFor('volume', true)).toEqual({ kind: 'append' });
    expect(ruleFor('cap-drop', true).kind).toBe('union');
    expect(ruleFor('security-opt', true).kind).toBe('keyed');
  });
});
