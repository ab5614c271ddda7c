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
    const parent: Preset = { name: 'strict', summary: '', file: 'presets/strict.yaml', settings: { 'security-opt': { value: ['no-new-privileges', 'seccomp=../seccomp/strict.json'] } } };
    const child: Preset = { name: 'web', summary: '', file: '/srv/app/.safedock/presets/web.yaml', extends: 'strict', settings: { memory: { value: '128m' } } };
    expect(extendPreset(parent, child).settings['security-opt']?.value).toEqual(['no-new-privileges', `seccomp=${join(packageRoot, 'seccomp', 'strict.json')}`]);
  });
});
