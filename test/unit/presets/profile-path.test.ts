import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/package-root.js';
import { extendPreset } from '../../../src/presets/extend.js';
import { anchorProfilePath } from '../../../src/presets/profile-path.js';
import type { Preset } from '../../../src/presets/types.js';

const builtin = { file: 'presets/strict.yaml' };
const user = { file: '/home/me/.config/safedock/presets/web.yaml' };

describe('anchorProfilePath', () => {
  it.each([
    ['seccomp=../seccomp/strict.json', builtin, `seccomp=${join(packageRoot, 'seccomp', 'strict.json')}`],
    ['seccomp:../seccomp/strict.json', builtin, `seccomp:${join(packageRoot, 'seccomp', 'strict.json')}`],
    ['seccomp=profiles/web.json', user, 'seccomp=/home/me/.config/safedock/presets/profiles/web.json'],
    ['seccomp=/etc/x.json', user, 'seccomp=/etc/x.json'],
    ['seccomp=unconfined', user, 'seccomp=unconfined'],
    ['seccomp=builtin', user, 'seccomp=builtin'],
    ['seccomp={"defaultAction":"SCMP_ACT_ERRNO"}', user, 'seccomp={"defaultAction":"SCMP_ACT_ERRNO"}'],
    ['no-new-privileges', user, 'no-new-privileges'],
    ['apparmor=docker-default', user, 'apparmor=docker-default'],
  ])('%s from %j', (option, preset, expected) => {
    expect(anchorProfilePath(option, preset)).toBe(expected);
  });

  it('a path inherited through extends stays relative to the file that wrote it', () => {
    const parent: Preset = {
      name: 'strict',
      summary: '',
      file: 'presets/strict.yaml',
      settings: { 'security-opt': { value: ['no-new-privileges', 'seccomp=../seccomp/strict.json'] } },
    };
    const child: Preset = {
      name: 'web',
      summary: '',
      file: '/srv/app/.safedock/presets/web.yaml',
      extends: 'strict',
      settings: { memory: { value: '128m' } },
    };
    expect(extendPreset(parent, child).settings['security-opt']?.value).toEqual([
      'no-new-privileges',
      `seccomp=${join(packageRoot, 'seccomp', 'strict.json')}`,
    ]);
  });
});

describe('extendPreset sections', () => {
  const parent: Preset = {
    name: 'p',
    summary: '',
    file: '/x/p.yaml',
    settings: {},
    image: { nonRootUser: { value: '65534:65534', reason: 'parent reason' } },
    ports: { defaultAddress: { value: '127.0.0.1', reason: 'loopback' } },
  };
  it('takes the child setting whole, never the parent reason with the child value', () => {
    const child: Preset = {
      name: 'c',
      summary: '',
      file: '/x/c.yaml',
      settings: {},
      image: { nonRootUser: { value: '4242:4242' } },
    };
    const resolved = extendPreset(parent, child);
    expect(resolved.image).toEqual({ nonRootUser: { value: '4242:4242' } });
    expect(resolved.ports).toEqual(parent.ports);
  });
  it('inherits sections the child does not have, and has none when neither does', () => {
    const child: Preset = { name: 'c', summary: '', file: '/x/c.yaml', settings: {} };
    expect(extendPreset(parent, child).image).toEqual(parent.image);
    const bare: Preset = { name: 'b', summary: '', file: '/x/b.yaml', settings: {} };
    const resolved = extendPreset(bare, child);
    expect('image' in resolved).toBe(false);
    expect('ports' in resolved).toBe(false);
  });
});
