import { describe, expect, it } from 'vitest';
import type { InitAnswers } from '../../../src/init/answers.js';
import { closestBuiltin, projectPresetDoc, servicePorts, volumeName } from '../../../src/init/propose.js';
import type { Preset } from '../../../src/presets/types.js';

const answers = (more: Partial<InitAnswers> = {}): InitAnswers => ({
  network: true,
  ports: [],
  address: '127.0.0.1',
  startsAsRoot: false,
  writable: [],
  user: undefined,
  memory: undefined,
  cpus: undefined,
  base: undefined,
  name: 'web',
  ...more,
});

const strict: Preset = {
  name: 'strict',
  summary: 'strict',
  file: 'presets/strict.yaml',
  source: 'built-in',
  settings: { 'read-only': { value: true }, memory: { value: '512m' }, cpus: { value: '1' } },
  image: { nonRootUser: { value: '65534:65534' } },
};
const sandbox: Preset = { ...strict, name: 'sandbox', settings: { ...strict.settings, network: { value: 'none' } } };
const compat: Preset = {
  name: 'compat',
  summary: 'compat',
  file: 'presets/compat.yaml',
  source: 'built-in',
  settings: { memory: { value: '1g' } },
};

describe('the closest built-in preset', () => {
  it.each([
    [{ network: true, startsAsRoot: false }, 'strict'],
    [{ network: false, startsAsRoot: false }, 'sandbox'],
    [{ network: true, startsAsRoot: true }, 'compat'],
    [{ network: false, startsAsRoot: true }, 'compat'],
    [{ network: undefined, startsAsRoot: false }, 'strict'],
  ])('%j: %s', (given, name) => {
    expect(closestBuiltin(given).name).toBe(name);
  });
});

describe('the project preset the answers need', () => {
  it('is none when the base gives everything', () => {
    expect(projectPresetDoc(answers(), strict)).toBeUndefined();
    expect(projectPresetDoc(answers({ network: false }), sandbox)).toBeUndefined();
    expect(projectPresetDoc(answers({ memory: '512m', cpus: '1' }), strict)).toBeUndefined();
  });

  it('holds only what differs from the base, each setting with its reason', () => {
    const doc = projectPresetDoc(
      answers({
        ports: ['8080:80', '9090', '10.0.0.2:53:53/udp'],
        writable: [
          { path: '/var/cache/app', kind: 'tmpfs' },
          { path: '/data', kind: 'volume' },
        ],
        user: '1000:1000',
        memory: '1g',
      }),
      strict,
    );
    expect(doc).toBeDefined();
    expect(doc?.name).toBe('web');
    expect(doc?.extends).toBe('strict');
    expect(doc?.summary).toBe(
      'strict for this project: writable /var/cache/app; volumes /data; user 1000:1000; memory 1g (written by safedock init).',
    );
    const values = Object.fromEntries(Object.entries(doc?.settings ?? {}).map(([flag, s]) => [flag, s.value]));
    expect(values).toEqual({
      tmpfs: ['/var/cache/app:rw,noexec,nosuid,nodev,size=64m'],
      volume: ['web-data:/data'],
      user: '1000:1000',
      memory: '1g',
    });
    for (const setting of Object.values(doc?.settings ?? {}))
      expect(setting.reason).toMatch(/answered in safedock init/);
    // A user in the settings wins over strict's root-image tailoring (the merge skips it).
    expect(doc).not.toHaveProperty('image');
  });

  it('leaves the network to the base when it was not asked about', () => {
    expect(projectPresetDoc(answers({ network: undefined, memory: '1g' }), sandbox)?.settings.network).toBeUndefined();
  });

  it('turns the network off over strict, and on over sandbox', () => {
    expect(projectPresetDoc(answers({ network: false }), strict)?.settings.network?.value).toBe('none');
    expect(projectPresetDoc(answers({ network: true }), sandbox)?.settings.network?.value).toBe('bridge');
  });

  it("binds the service's ports to the answered address unless they name one", () => {
    expect(servicePorts(answers({ ports: ['8080:80', '9090', '10.0.0.2:53:53/udp'] }))).toEqual([
      '127.0.0.1:8080:80',
      '127.0.0.1::9090',
      '10.0.0.2:53:53/udp',
    ]);
    expect(servicePorts(answers({ ports: ['80:80'], address: '0.0.0.0' }))).toEqual(['0.0.0.0:80:80']);
    expect(servicePorts(answers({ ports: ['80:80'], address: '::1' }))).toEqual(['[::1]:80:80']);
    expect(servicePorts(answers({ ports: ['80:80'], network: false }))).toEqual([]);
  });

  it('never puts ports into the preset', () => {
    expect(projectPresetDoc(answers({ ports: ['80:80'] }), strict)).toBeUndefined();
    expect(projectPresetDoc(answers({ ports: ['80:80'], memory: '1g' }), strict)?.settings).not.toHaveProperty(
      'publish',
    );
  });

  it('over a base without root-image tailoring, a fixed user is a plain setting', () => {
    const doc = projectPresetDoc(answers({ user: '33' }), compat);
    expect(doc?.settings.user?.value).toBe('33');
    expect(doc).not.toHaveProperty('image');
  });

  it('names volumes after the preset and the path', () => {
    expect(volumeName('web', '/var/lib/data/')).toBe('web-var-lib-data');
  });
});
