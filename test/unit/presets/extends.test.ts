import { describe, expect, it } from 'vitest';
import { ConfigFileError } from '../../../src/presets/errors.js';
import { extendPreset, extendSetting } from '../../../src/presets/extend.js';
import { openCatalog } from '../../../src/presets/select.js';
import type { Preset } from '../../../src/presets/types.js';
import { presetYaml, scratch } from './helpers.js';

const p = (settings: Preset['settings'], extra: Partial<Preset> = {}): Preset => ({
  name: 'p',
  summary: '',
  file: 'p.yaml',
  settings,
  ...extra,
});

describe('extendSetting follows the run merge rule of each flag', () => {
  it.each([
    ['memory (replace)', 'memory', '512m', '1g', '1g'],
    ['read-only (replace)', 'read-only', true, false, false],
    ['cap-drop (union, normalized)', 'cap-drop', ['ALL'], ['all', 'net_raw'], ['ALL', 'net_raw']],
    ['cap-add (keyed)', 'cap-add', ['CHOWN', 'SETUID'], ['cap_chown', 'KILL'], ['SETUID', 'cap_chown', 'KILL']],
    ['tmpfs (keyed by path)', 'tmpfs', ['/tmp:size=64m', '/run'], ['/tmp:size=8m'], ['/run', '/tmp:size=8m']],
    ['sysctl (keyed by name)', 'sysctl', ['a.b=1', 'c.d=2'], ['a.b=3'], ['c.d=2', 'a.b=3']],
    [
      'security-opt (keyed)',
      'security-opt',
      ['no-new-privileges', 'seccomp=a.json'],
      ['seccomp=b.json'],
      ['no-new-privileges', 'seccomp=b.json'],
    ],
    ['log-opt (keyed)', 'log-opt', ['max-size=10m', 'max-file=3'], ['max-size=1m'], ['max-file=3', 'max-size=1m']],
    ['env (keyed, scalar values)', 'env', 'A=1', 'A=2', ['A=2']],
    ['dns (append)', 'dns', ['1.1.1.1'], ['9.9.9.9'], ['1.1.1.1', '9.9.9.9']],
  ] as const)('%s', (_label, flag, parent, child, expected) => {
    const merged = extendSetting(flag, { value: parent as never }, { value: child as never });
    expect(merged.value).toEqual(expected);
  });

  it('keeps the child reason for a replaced value and both for a combined list', () => {
    expect(extendSetting('memory', { value: '1g', reason: 'parent' }, { value: '2g', reason: 'child' }).reason).toBe(
      'child',
    );
    expect(
      extendSetting('tmpfs', { value: ['/tmp'], reason: 'parent' }, { value: ['/run'], reason: 'child' }).reason,
    ).toBe('parent child');
    expect(
      extendSetting('tmpfs', { value: ['/tmp'], reason: 'same' }, { value: ['/run'], reason: 'same' }).reason,
    ).toBe('same');
    expect(extendSetting('tmpfs', { value: ['/tmp'] }, { value: ['/run'] })).toEqual({ value: ['/tmp', '/run'] });
  });

  it('extendPreset keeps parent-only settings and inherits or replaces the non-root user', () => {
    const parent = p(
      { memory: { value: '1g' }, 'read-only': { value: true } },
      { image: { nonRootUser: { value: '1:1' } } },
    );
    const child = p({ memory: { value: '2g' }, init: { value: true } }, { name: 'c', file: 'c.yaml', extends: 'p' });
    const resolved = extendPreset(parent, child);
    expect(resolved).toMatchObject({ name: 'c', file: 'c.yaml', extends: 'p' });
    expect(resolved.settings).toEqual({ memory: { value: '2g' }, 'read-only': { value: true }, init: { value: true } });
    expect(resolved.image?.nonRootUser?.value).toBe('1:1');
    expect(extendPreset(parent, { ...child, image: { nonRootUser: { value: '2:2' } } }).image?.nonRootUser?.value).toBe(
      '2:2',
    );
    expect(extendPreset(p({}), child).image).toBeUndefined();
  });
});

describe('extends chains across presets', () => {
  it('resolves a chain of three, the nearest value winning, and reports the chain', async () => {
    const s = scratch();
    s.write(
      'config/safedock/presets/base.yaml',
      presetYaml('base', 'extends: strict\nsettings:\n  memory: { value: 1g }\n  tmpfs: { value: ["/run:size=1m"] }\n'),
    );
    s.write(
      'config/safedock/presets/mid.yaml',
      presetYaml('mid', 'extends: base\nsettings:\n  cpus: { value: "2" }\n  tmpfs: { value: ["/tmp:size=1m"] }\n'),
    );
    s.write(
      'config/safedock/presets/top.yaml',
      presetYaml('top', 'extends: mid\nsettings:\n  memory: { value: 3g }\n'),
    );
    const catalog = await openCatalog({ cwd: s.root, env: s.env });
    const { preset, chain } = await catalog.resolve({ name: 'top', origin: '--preset' });
    expect(chain.map((c) => c.name)).toEqual(['strict', 'base', 'mid', 'top']);
    expect(preset.settings.memory?.value).toBe('3g');
    expect(preset.settings.cpus?.value).toBe('2');
    expect(preset.settings['cap-drop']?.value).toEqual(['ALL']);
    expect(preset.settings.tmpfs?.value).toEqual(['/run:size=1m', '/tmp:size=1m']);
    expect(preset.image?.nonRootUser?.value).toBe('65534:65534');
    expect(preset).toMatchObject({ name: 'top', source: 'user', extends: 'mid' });
  });

  it('refuses a cycle, naming the chain, the file, the line and the key', async () => {
    const s = scratch();
    s.write('config/safedock/presets/a.yaml', presetYaml('a', 'extends: b\n'));
    s.write('config/safedock/presets/b.yaml', presetYaml('b', 'extends: c\n'));
    const c = s.write('config/safedock/presets/c.yaml', presetYaml('c', 'settings: {}\nextends: a\n'));
    const catalog = await openCatalog({ cwd: s.root, env: s.env });
    const err = await catalog.resolve({ name: 'a', origin: '--preset' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigFileError);
    expect((err as Error).message).toBe(`preset ${c}:4: extends: cycle: a -> b -> c -> a`);
  });

  it('refuses a preset extending itself', async () => {
    const s = scratch();
    s.write('config/safedock/presets/x.yaml', presetYaml('x', 'extends: y\n'));
    const y = s.write('config/safedock/presets/y.yaml', presetYaml('y', 'extends: y\n'));
    const catalog = await openCatalog({ cwd: s.root, env: s.env });
    // y extends its own name: the y below the user source, and there is none.
    await expect(catalog.resolve({ name: 'x', origin: '--preset' })).rejects.toThrow(
      `preset ${y}:3: extends: no preset "y" below this user preset to extend`,
    );
  });

  it('an unknown parent is an error naming the file, line and key, listing the choices', async () => {
    const s = scratch();
    const file = s.write(
      'config/safedock/presets/web.yaml',
      presetYaml('web', 'settings:\n  memory: { value: 1g }\nextends: stirct\n'),
    );
    const catalog = await openCatalog({ cwd: s.root, env: s.env });
    const err = (await catalog
      .resolve({ name: 'web', origin: '--preset' })
      .catch((e: unknown) => e)) as ConfigFileError;
    expect(err.message).toBe(`preset ${file}:5: extends: unknown preset "stirct"`);
    expect(err.hint).toMatch(/compat, none, sandbox, strict, web/);
    expect(err.exitCode).toBe(125);
  });

  it('a preset extending its own name extends the one it overrides', async () => {
    const s = scratch();
    s.write('proj/.safedock.yaml', '');
    s.write(
      'config/safedock/presets/strict.yaml',
      presetYaml('strict', 'extends: strict\nsettings:\n  memory: { value: 2g }\n'),
    );
    s.write(
      'proj/.safedock/presets/strict.yaml',
      presetYaml('strict', 'extends: strict\nsettings:\n  cpus: { value: "4" }\n'),
    );
    const catalog = await openCatalog({ cwd: `${s.root}/proj`, env: s.env });
    const { preset, chain } = await catalog.resolve({ name: 'strict', origin: 'default' });
    expect(chain.map((c) => c.source)).toEqual(['built-in', 'user', 'project']);
    expect(preset.settings.memory?.value).toBe('2g');
    expect(preset.settings.cpus?.value).toBe('4');
    expect(preset.settings['read-only']?.value).toBe(true);
  });
});
