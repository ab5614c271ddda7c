import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseRunArgv } from '../../../src/docker-cli/parse-argv.js';
import { convertUserFlags, plan, presetLayer } from '../../../src/run/pipeline.js';
import { locateConfigError } from '../../../src/presets/yaml-file.js';
import { ConfigFileError } from '../../../src/presets/errors.js';
import { planSettings } from '../../../src/run/render-plan.js';
import { builtinPresets, resolvePreset } from '../../../src/presets/builtin.js';
import { presetsList, presetsShow } from '../../../src/presets/cli.js';
import { presetArgs, shellQuote } from '../../../src/presets/render.js';
import type { Preset } from '../../../src/presets/types.js';
import { validatePreset } from '../../../src/presets/validate.js';
import { presetYaml, scratch } from './helpers.js';

/** The words a POSIX shell makes of a command line. */
function shellWords(line: string): string[] {
  if (line.trim() === '') return [];
  const out = execFileSync('sh', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

/** What a run with no flags of its own gets from the preset, as {name, value} (image not inspected). */
const sorted = <T extends { name: string; value: string }>(options: readonly T[]): T[] =>
  [...options].sort((a, b) => `${a.name}\u0000${a.value}`.localeCompare(`${b.name}\u0000${b.value}`));

/** What a run with no flags of its own gets from the preset, as {name, value}, sorted (image not inspected). */
const presetOptions = (preset: Preset) => {
  const parsed = parseRunArgv(['img']);
  const { user, secrets } = convertUserFlags(parsed, { env: {}, cwd: '/' });
  return sorted(
    planSettings(plan({ parsed, user, secrets, preset }, undefined, { env: {}, cwd: '/' })).map((o) => ({
      name: o.flag,
      value: o.text,
    })),
  );
};

describe('presets show --format args', () => {
  it.each(['strict', 'sandbox', 'compat', 'none'])(
    '%s round-trips through the run parser to the same options',
    async (name) => {
      const preset = await resolvePreset(name);
      const line = (await presetsShow(name, 'args', { cwd: '/', env: {} })).trimEnd();
      const parsed = parseRunArgv([...shellWords(line), 'img', 'true']);
      expect(sorted(parsed.options)).toEqual(presetOptions(preset));
      expect(parsed.image).toBe('img');
    },
  );

  it('quotes values a shell would split or expand', () => {
    const preset: Preset = {
      name: 'q',
      summary: '',
      file: 'q.yaml',
      settings: {
        env: { value: ["A=it's $HOME", 'B=a  b', 'C=*', 'D='] },
        label: { value: ['x=`id`;rm'] },
        'read-only': { value: false },
        init: { value: true },
        'pids-limit': { value: 7 },
      },
    };
    const line = presetArgs(preset).map(shellQuote).join(' ');
    expect(line).toContain(`--env 'A=it'\\''s $HOME'`);
    expect(line).toContain('--read-only=false --init --pids-limit 7');
    expect(sorted(parseRunArgv([...shellWords(line), 'img']).options)).toEqual(presetOptions(preset));
    expect(shellQuote('')).toBe("''");
  });
});

describe('presets show', () => {
  it('yaml prints the resolved preset as a valid preset file without extends', async () => {
    const text = await presetsShow('sandbox', 'yaml', { cwd: '/', env: {} });
    expect(text).toMatch(
      /^# The preset "sandbox" resolved: strict \(built-in, presets\/strict\.yaml\) <- sandbox \(built-in, presets\/sandbox\.yaml\)/,
    );
    const doc = parse(text) as Record<string, unknown>;
    expect(doc.extends).toBeUndefined();
    const again = validatePreset(doc, 'shown.yaml');
    const sandbox = await resolvePreset('sandbox');
    expect(again.settings).toEqual(sandbox.settings);
    expect(again.image).toEqual(sandbox.image);
  });

  it('json carries the source, the file and the chain', async () => {
    const json = JSON.parse(await presetsShow('sandbox', 'json', { cwd: '/', env: {} })) as Record<string, unknown>;
    expect(json).toMatchObject({
      name: 'sandbox',
      source: 'built-in',
      file: 'presets/sandbox.yaml',
      chain: [{ name: 'strict' }, { name: 'sandbox' }],
    });
    expect((json.settings as Record<string, unknown>).network).toEqual(
      (await resolvePreset('sandbox')).settings.network,
    );
  });

  it('without a name shows the default for the folder', async () => {
    const s = scratch();
    s.write('p/.safedock.yaml', 'preset: compat\n');
    expect(await presetsShow(undefined, 'args', { cwd: `${s.root}/p`, env: s.env })).toMatch(
      /^--cap-drop ALL --cap-add CHOWN /,
    );
  });
});

describe('presets list', () => {
  it('shows name, source, extends, file and summary, and marks the default and why', async () => {
    const s = scratch();
    s.write('p/.safedock.yaml', 'preset: mine\n');
    s.write('p/.safedock/presets/mine.yaml', presetYaml('mine', 'extends: sandbox\n'));
    s.write('config/safedock/presets/strict.yaml', presetYaml('strict', ''));
    const out = await presetsList({ cwd: `${s.root}/p`, env: s.env }, false);
    expect(out.problems).toEqual([]);
    const lines = out.stdout.split('\n');
    expect(lines[0]).toMatch(/^ {2}NAME +SOURCE +EXTENDS +FILE +SUMMARY$/);
    expect(lines).toContainEqual(
      expect.stringMatching(/^\* mine +project +sandbox +\S+\/p\/\.safedock\/presets\/mine\.yaml +test preset mine$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2}strict +built-in \(overridden by user\) +- +presets\/strict\.yaml/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}sandbox +built-in +strict +presets\/sandbox\.yaml/));
    expect(out.stdout).toContain(`* default: mine, set by the project config ${s.root}/p/.safedock.yaml`);
  });

  it('json, with SAFEDOCK_PRESET as the reason', async () => {
    const s = scratch();
    const out = await presetsList({ cwd: s.root, env: { ...s.env, SAFEDOCK_PRESET: 'compat' } }, true);
    const json = JSON.parse(out.stdout) as {
      default: { name: string; why: string };
      presets: Array<{ name: string; default: boolean }>;
    };
    expect(json.default).toEqual({ name: 'compat', why: 'set by SAFEDOCK_PRESET' });
    expect(json.presets.filter((p) => p.default).map((p) => p.name)).toEqual(['compat']);
    expect(json.presets.map((p) => p.name)).toEqual([...(await builtinPresets()).keys()]);
  });

  it('a default that names no preset is said so', async () => {
    const s = scratch();
    const out = await presetsList({ cwd: s.root, env: { ...s.env, SAFEDOCK_PRESET: 'gone' } }, false);
    expect(out.stdout).toContain('default: gone, set by SAFEDOCK_PRESET; no such preset');
  });
});

describe('presets show checks the values as a run converts them', () => {
  it('a user preset with memory "lots" is an error naming file, line and key, not a document', async () => {
    const s = scratch();
    const file = s.write(
      'config/safedock/presets/big.yaml',
      presetYaml('big', 'settings:\n  memory: { value: lots }\n'),
    );
    const context = { cwd: s.root, env: s.env };
    const check = (preset: Preset): void => void presetLayer(preset, context);
    const err = await locateConfigError(await presetsShow('big', 'yaml', context, check).catch((e: unknown) => e));
    expect(err).toBeInstanceOf(ConfigFileError);
    expect((err as ConfigFileError).message).toMatch(
      new RegExp(`^preset ${file}:4: settings\\.memory: invalid argument "lots" for "-m, --memory" flag`),
    );
    // A sound preset is shown as before.
    expect(await presetsShow('strict', 'yaml', context, check)).toContain('cap-drop');
  });
});
