import { describe, expect, it } from 'vitest';
import { normalizeCapability, capabilityName } from '../../../src/grammar/capabilities.js';
import { readSecurityOpt } from '../../../src/grammar/security-opt.js';
import { findLongFlag } from '../../../src/docker-cli/run-flags.js';
import { settingKey } from '../../../src/docker-cli/setting-keys.js';

describe('capabilities: one normaliser for every reader', () => {
  it.each([
    ['sys_admin', 'CAP_SYS_ADMIN', 'SYS_ADMIN'],
    ['SYS_ADMIN', 'CAP_SYS_ADMIN', 'SYS_ADMIN'],
    ['CAP_SYS_ADMIN', 'CAP_SYS_ADMIN', 'SYS_ADMIN'],
    ['cap_sys_admin', 'CAP_SYS_ADMIN', 'SYS_ADMIN'],
    ['all', 'ALL', 'ALL'],
    ['ALL', 'ALL', 'ALL'],
  ])('%s -> %s (name %s)', (input, engine, name) => {
    expect(normalizeCapability(input)).toBe(engine);
    expect(capabilityName(input)).toBe(name);
    expect(settingKey('cap-add', input)).toBe(name);
    expect(settingKey('cap-drop', input)).toBe(name);
  });
  it('docker does not trim: " all" reaches the engine as "CAP_ ALL"; the name for keys is trimmed', () => {
    expect(normalizeCapability(' all')).toBe('CAP_ ALL');
    expect(capabilityName(' net_raw ')).toBe('NET_RAW');
  });
});

describe('security options: the engine reading, and the merge key', () => {
  it.each([
    ['no-new-privileges', 'no-new-privileges', ''],
    ['no-new-privileges=false', 'no-new-privileges', 'false'],
    ['no-new-privileges:true', 'no-new-privileges', 'true'],
    ['seccomp=unconfined', 'seccomp', 'unconfined'],
    ['seccomp:unconfined', 'seccomp', 'unconfined'],
    ['SECCOMP=/x.json', 'seccomp', '/x.json'],
    ['apparmor=unconfined', 'apparmor', 'unconfined'],
    ['label:type:svirt_t', 'label', 'type:svirt_t'],
    ['label=disable', 'label', 'disable'],
    ['systempaths=unconfined', 'systempaths', 'unconfined'],
  ])('%s -> key %s, value %j', (input, key, value) => {
    expect(readSecurityOpt(input)).toEqual({ key, value, raw: input });
    expect(settingKey('security-opt', input)).toBe(key);
  });
});

describe('ports, mounts and keyed lists: the key of a value as written', () => {
  it.each([
    ['publish', '80', '80/tcp'],
    ['publish', '8080:80', '80/tcp'],
    ['publish', '127.0.0.1:8080:80', '80/tcp'],
    ['publish', '127.0.0.1::80', '80/tcp'],
    ['publish', '[::1]:6000:6000', '6000/tcp'],
    ['publish', '[::]:53:53/udp', '53/udp'],
    ['publish', '53/UDP', '53/udp'],
    ['publish', 'published=8081,target=81,protocol=udp', '81/udp'],
    ['publish', 'target=81,published=8081', '81/tcp'],
    ['tmpfs', '/tmp:rw,size=64m', '/tmp'],
    ['tmpfs', '/run/', '/run'],
    ['volume', 'data:/var/lib/x:ro', '/var/lib/x'],
    ['volume', '/cache', '/cache'],
    ['mount', 'type=tmpfs,dst=/tmp', '/tmp'],
    ['mount', 'type=volume,source=v,target=/data/', '/data'],
    ['env', 'A=1', 'A'],
    ['env', 'B', 'B'],
    ['label', 'com.example=1', 'com.example'],
    ['sysctl', 'net.ipv4.ip_forward=1', 'net.ipv4.ip_forward'],
    ['ulimit', 'nofile=1024:2048', 'nofile'],
    ['log-opt', 'max-size=10m', 'max-size'],
  ])('--%s %s -> %s', (flag, value, key) => {
    expect(settingKey(flag, value)).toBe(key);
  });
  it('fields without items have no key', () => {
    expect(settingKey('memory', '512m')).toBeUndefined();
    expect(settingKey('dns', '1.1.1.1')).toBeUndefined();
  });
});

describe("the rows' merge rules", () => {
  it.each([
    ['memory', 'replace'],
    ['network', 'replace'],
    ['volume', 'keyed'],
    ['tmpfs', 'keyed'],
    ['mount', 'keyed'],
    ['cap-add', 'keyed'],
    ['cap-drop', 'union'],
    ['security-opt', 'keyed'],
    ['label', 'map'],
    ['log-opt', 'map'],
    ['dns', 'append'],
    ['add-host', 'append'],
  ])('--%s merges as %s', (flag, kind) => {
    expect(findLongFlag(flag)?.merge?.kind).toBe(kind);
  });
});
