import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { findProjectFolder } from '../../../src/presets/project-config.js';
import { choosePreset, openCatalog, selectPreset, userPresetDir } from '../../../src/presets/select.js';
import { presetYaml, scratch } from './helpers.js';

const memory = (value: string): string => `settings:\n  memory: { value: ${value} }\n`;

describe('preset sources: built-in < user < project', () => {
  it('a user preset overrides a built-in of the same name, a project preset overrides both', async () => {
    const s = scratch();
    s.write('config/safedock/presets/strict.yaml', presetYaml('strict', memory('2g')));
    s.write('config/safedock/presets/mine.yaml', presetYaml('mine', memory('3g')));
    s.write('work/.safedock.yaml', '# empty config\n');
    s.write('work/.safedock/presets/mine.yaml', presetYaml('mine', memory('4g')));
    const outside = { cwd: s.root, env: s.env };
    const inside = { cwd: join(s.root, 'work'), env: s.env };

    expect((await selectPreset('strict', outside)).settings.memory?.value).toBe('2g');
    expect((await selectPreset('strict', outside)).source).toBe('user');
    expect((await selectPreset('mine', outside)).settings.memory?.value).toBe('3g');
    expect((await selectPreset('mine', inside)).settings.memory?.value).toBe('4g');
    expect((await selectPreset('mine', inside)).file).toBe(join(s.root, 'work/.safedock/presets/mine.yaml'));
    expect((await selectPreset('sandbox', inside)).source).toBe('built-in');

    const { entries } = await (await openCatalog(inside)).list();
    const summary = entries.map((e) => `${e.preset.name}:${e.preset.source}:${e.overriddenBy ?? '-'}`);
    expect(summary).toEqual([
      'compat:built-in:-',
      'none:built-in:-',
      'sandbox:built-in:-',
      'strict:built-in:user',
      'mine:user:project',
      'strict:user:-',
      'mine:project:-',
    ]);
  });

  it('a built-in that extends an overridden name extends the override (sandbox over a user strict)', async () => {
    const s = scratch();
    s.write(
      'config/safedock/presets/strict.yaml',
      presetYaml('strict', 'settings:\n  cap-drop: { value: [ALL] }\n  ulimit: { value: [nofile=64] }\n'),
    );
    const sandbox = await selectPreset('sandbox', { cwd: s.root, env: s.env });
    expect(sandbox.settings.ulimit?.value).toEqual(['nofile=64']);
    expect(sandbox.settings['read-only']).toBeUndefined();
    expect(sandbox.settings.network?.value).toBe('none');
  });

  it('user presets default to ~/.config/safedock/presets; a relative XDG_CONFIG_HOME is ignored', () => {
    expect(userPresetDir({ XDG_CONFIG_HOME: '/x/conf', HOME: '/h' })).toBe('/x/conf/safedock/presets');
    expect(userPresetDir({ HOME: '/h' })).toBe('/h/.config/safedock/presets');
    expect(userPresetDir({ XDG_CONFIG_HOME: '', HOME: '/h' })).toBe('/h/.config/safedock/presets');
    expect(userPresetDir({ XDG_CONFIG_HOME: 'rel', HOME: '/h' })).toBe('/h/.config/safedock/presets');
  });

  it('reads HOME/.config when XDG_CONFIG_HOME is unset', async () => {
    const s = scratch();
    s.write('home/.config/safedock/presets/mine.yaml', presetYaml('mine', memory('5g')));
    expect((await selectPreset('mine', { cwd: s.root, env: { HOME: s.env.HOME } })).settings.memory?.value).toBe('5g');
  });

  it('.safedock/presets marks a project folder too: its presets are found without a .safedock.yaml', async () => {
    const s = scratch();
    s.write('work/.safedock/presets/mine.yaml', presetYaml('mine', memory('4g')));
    s.write('work/src/main.c', '');
    for (const cwd of [join(s.root, 'work'), join(s.root, 'work/src')]) {
      const mine = await selectPreset('mine', { cwd, env: s.env });
      expect([mine.source, mine.settings.memory?.value]).toEqual(['project', '4g']);
      // No config file: the default preset stays strict, and nothing is accepted.
      expect((await selectPreset(undefined, { cwd, env: s.env })).name).toBe('strict');
      expect((await openCatalog({ cwd, env: s.env })).projectConfig).toBeUndefined();
    }
    expect(findProjectFolder(join(s.root, 'work/src'))).toBe(join(s.root, 'work'));
    // A .safedock folder without presets marks nothing.
    s.write('other/.safedock/notes.txt', '');
    expect(findProjectFolder(join(s.root, 'other'))).not.toBe(join(s.root, 'other'));
    await expect(selectPreset('mine', { cwd: join(s.root, 'other'), env: s.env })).rejects.toThrow(UsageError);
  });

  it('a name that is not a preset name never reaches the file system', async () => {
    const s = scratch();
    s.write('evil.yaml', presetYaml('evil', memory('1g')));
    // Said to be a file name, and not read: presets are chosen by name from their folders.
    await expect(selectPreset('../../evil', { cwd: s.root, env: s.env })).rejects.toThrow(
      'preset "../../evil" is a file name; presets are chosen by name',
    );
  });
});

describe('the project folder and its config', () => {
  it('is the nearest of the working directory and its parents holding .safedock.yaml', async () => {
    const s = scratch();
    s.write('a/.safedock.yaml', 'preset: sandbox\n');
    s.write('a/b/.safedock.yaml', 'preset: compat\n');
    s.write('a/b/c/d/file.txt', '');
    s.write('a/.safedock/presets/only-in-a.yaml', presetYaml('only-in-a', memory('1g')));
    expect(findProjectFolder(join(s.root, 'a/b/c/d'))).toBe(join(s.root, 'a/b'));
    expect(findProjectFolder(join(s.root, 'a/x'))).toBe(join(s.root, 'a'));
    expect(findProjectFolder(join(s.root, 'a'))).toBe(join(s.root, 'a'));
    expect((await selectPreset(undefined, { cwd: join(s.root, 'a/b/c/d'), env: s.env })).name).toBe('compat');
    expect((await selectPreset(undefined, { cwd: join(s.root, 'a/x'), env: s.env })).name).toBe('sandbox');
    // Only the nearest project folder's presets are seen.
    await expect(selectPreset('only-in-a', { cwd: join(s.root, 'a/b'), env: s.env })).rejects.toThrow(UsageError);
    expect((await selectPreset('only-in-a', { cwd: join(s.root, 'a'), env: s.env })).source).toBe('project');
  });

  it('a folder named .safedock.yaml is not a config', () => {
    const s = scratch();
    s.write('p/.safedock.yaml/x', '');
    expect(findProjectFolder(join(s.root, 'p'))).not.toBe(join(s.root, 'p'));
  });

  it('default preset order: --preset, SAFEDOCK_PRESET, the project config, strict', async () => {
    const s = scratch();
    s.write('proj/.safedock.yaml', 'preset: compat\n');
    const cwd = join(s.root, 'proj');
    expect((await selectPreset('none', { cwd, env: { ...s.env, SAFEDOCK_PRESET: 'sandbox' } })).name).toBe('none');
    expect((await selectPreset(undefined, { cwd, env: { ...s.env, SAFEDOCK_PRESET: 'sandbox' } })).name).toBe(
      'sandbox',
    );
    expect((await selectPreset(undefined, { cwd, env: { ...s.env, SAFEDOCK_PRESET: '' } })).name).toBe('compat');
    expect((await selectPreset(undefined, { cwd, env: s.env })).name).toBe('compat');
    expect((await selectPreset(undefined, { cwd: s.root, env: s.env })).name).toBe('strict');
    const catalog = await openCatalog({ cwd, env: s.env });
    expect(choosePreset(undefined, s.env, catalog.projectConfig)).toEqual({ name: 'compat', origin: 'project config' });
    expect(choosePreset(undefined, s.env, undefined)).toEqual({ name: 'strict', origin: 'default' });
  });

  it('an unknown name from SAFEDOCK_PRESET says where it came from', async () => {
    const s = scratch();
    await expect(selectPreset(undefined, { cwd: s.root, env: { ...s.env, SAFEDOCK_PRESET: 'nope' } })).rejects.toThrow(
      'unknown preset "nope" (from SAFEDOCK_PRESET)',
    );
  });
});
