import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SafedockError, UsageError } from '../../../src/errors.js';
import { builtinPresets, resolvePreset } from '../../../src/presets/builtin.js';
import { validatePreset } from '../../../src/presets/validate.js';

const root = join(import.meta.dirname, '..', '..', '..');

describe('built-in presets', () => {
  it('are all valid and named after their file', async () => {
    const presets = await builtinPresets();
    const files = readdirSync(join(root, 'presets')).filter((f) => f.endsWith('.yaml'));
    expect([...presets.keys()].sort()).toEqual(files.map((f) => f.replace(/\.yaml$/, '')).sort());
    for (const [name, preset] of presets) expect(preset.file).toBe(`presets/${name}.yaml`);
  });

  it('strict carries the hardening the README promises', async () => {
    const strict = await resolvePreset('strict');
    expect(strict.settings['cap-drop']?.value).toEqual(['ALL']);
    expect(strict.settings['security-opt']?.value).toEqual(['no-new-privileges', 'seccomp=../seccomp/strict.json']);
    expect(strict.settings['read-only']?.value).toBe(true);
    expect(strict.settings.memory?.value).toBeDefined();
    expect(strict.settings.cpus?.value).toBeDefined();
    expect(strict.settings['pids-limit']?.value).toBeDefined();
    expect(strict.image?.nonRootUser?.value).toBe('65534:65534');
  });

  it('every built-in setting has a reason: a sentence naming the CIS or PSS control behind it', async () => {
    for (const [name, preset] of await builtinPresets()) {
      const settings = [
        ...Object.entries(preset.settings),
        ['image.nonRootUser', preset.image?.nonRootUser],
        ['ports.defaultAddress', preset.ports?.defaultAddress],
      ] as const;
      for (const [key, setting] of settings) {
        if (setting === undefined) continue;
        const where = `${name}: ${key}`;
        // Several words ending in a period, not a bare tag.
        expect(setting.reason, where).toMatch(/^\S+( \S+){5,}\.$/);
        // A CIS Docker Benchmark recommendation (5.x when the reason says none covers it) or a PSS level.
        expect(setting.reason, where).toMatch(/\bCIS \d+\.(\d+|x)\b|\bPSS (baseline|restricted)\b/);
      }
    }
  });

  it('none applies nothing', async () => {
    const none = await resolvePreset('none');
    expect(none.settings).toEqual({});
    expect(none.image).toBeUndefined();
  });

  it('the compiled copy used by the run bundle is the YAML, checked', () => {
    const compiled = JSON.parse(readFileSync(join(root, 'dist', 'builtin-presets.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const files = readdirSync(join(root, 'presets')).filter((f) => f.endsWith('.yaml'));
    expect(Object.keys(compiled).sort()).toEqual(files.map((f) => f.replace(/\.yaml$/, '')).sort());
    for (const file of files) {
      const doc = parse(readFileSync(join(root, 'presets', file), 'utf8')) as { name: string };
      expect(compiled[doc.name]).toEqual(validatePreset(doc, `presets/${file}`));
    }
  });

  it('an unknown preset name is a usage error listing the choices', async () => {
    await expect(resolvePreset('stict')).rejects.toThrow(UsageError);
    await expect(resolvePreset('stict')).rejects.toHaveProperty(
      'hint',
      expect.stringMatching(/compat, none, sandbox, strict/),
    );
  });
});

describe('preset validation names the file and the key', () => {
  const file = 'presets/x.yaml';
  it.each([
    [{ name: 'x', settings: { memroy: { value: '1g' } } }, /settings\.memroy: not a docker run flag safedock knows$/],
    [{ name: 'x', settings: { memory: '1g' } }, /settings\.memory: expected a mapping/],
    [{ name: 'x', settings: { memory: { value: ['1g', '2g'] } } }, /settings\.memory\.value: --memory takes one value/],
    [{ name: 'x', settings: { 'cap-drop': { value: [{}] } } }, /settings\.cap-drop\.value: expected a list of strings/],
    [{ name: 'x', settings: { memory: { value: '1g', why: 'x' } } }, /unknown field "why"/],
    [{ name: 'x', settings: { detach: { value: true } } }, /only makes sense on the command line/],
    [{ name: 'Bad Name', settings: {} }, /name: expected a lower-case name/],
    [[], /\(document\)/],
  ])('%j', (doc, message) => {
    expect(() => validatePreset(doc, file)).toThrow(SafedockError);
    expect(() => validatePreset(doc, file)).toThrow(new RegExp(`preset ${file}: .*`));
    expect(() => validatePreset(doc, file)).toThrow(message);
  });
});
