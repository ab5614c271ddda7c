import { describe, expect, it } from 'vitest';
import { SafedockError } from '../../../src/errors.js';
import { ConfigFileError } from '../../../src/presets/errors.js';
import { openCatalog, selectPreset } from '../../../src/presets/select.js';
import { presetYaml, scratch } from './helpers.js';
import { parseRunArgv } from '../../../src/docker-cli/parse-argv.js';
import { plan, prepare } from '../../../src/run/pipeline.js';
import { locateConfigError } from '../../../src/presets/yaml-file.js';

async function failure(promise: Promise<unknown>): Promise<ConfigFileError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigFileError);
  return err as ConfigFileError;
}

describe('a broken user or project preset names the file, the line and the key', () => {
  it.each([
    [
      'a misspelt flag',
      'settings:\n  cpus: { value: "1" }\n  memroy:\n    value: 1g\n',
      5,
      'settings.memroy: not a docker run flag safedock knows',
    ],
    [
      'a list for a single flag',
      'settings:\n  memory:\n    reason: x\n    value: [1g, 2g]\n',
      6,
      'settings.memory.value: --memory takes one value, not a list',
    ],
    [
      'a setting without a mapping',
      'settings:\n  memory: 1g\n',
      4,
      'settings.memory: expected a mapping with "value" (and optionally "reason")',
    ],
    [
      'an unknown setting field',
      'settings:\n  memory:\n    value: 1g\n    why: x\n',
      6,
      'settings.memory.why: unknown field "why"; a setting has "value" and "reason"',
    ],
    [
      'a bad reason',
      'settings:\n  memory: { value: 1g, reason: [a] }\n',
      4,
      'settings.memory.reason: expected a line of text',
    ],
    [
      'a command-line-only flag',
      'settings:\n  detach: { value: true }\n',
      4,
      'settings.detach: --detach only makes sense on the command line, not in a preset',
    ],
    ['a misspelt top-level field', 'setings:\n  memory: { value: 1g }\n', 3, 'setings: unknown field;'],
    ['an unknown image field', 'image:\n  nonroot: { value: "1" }\n', 4, 'image.nonroot: unknown field'],
    ['a bad extends', 'extends: [strict]\n', 3, 'extends: expected the name of one preset'],
  ])('%s', async (_label, body, line, message) => {
    const s = scratch();
    const file = s.write('config/safedock/presets/web.yaml', presetYaml('web', body));
    const err = await failure(selectPreset('web', { cwd: s.root, env: s.env }));
    expect(err.message.startsWith(`preset ${file}:${line}: ${message}`), err.message).toBe(true);
    expect(err.exitCode).toBe(125);
    expect(err.hint).toContain(file);
  });

  it('a name that differs from the file name', async () => {
    const s = scratch();
    const file = s.write('config/safedock/presets/web.yaml', '# comment\nname: webapp\n');
    const err = await failure(selectPreset('web', { cwd: s.root, env: s.env }));
    expect(err.message).toBe(
      `preset ${file}:2: name: "webapp" differs from the file name; the preset in web.yaml must be named "web"`,
    );
  });

  it('a YAML syntax error reports file:line', async () => {
    const s = scratch();
    const file = s.write('proj/.safedock/presets/web.yaml', 'name: web\nsettings:\n  memory: { value: 1g\n  cpus: 1\n');
    s.write('proj/.safedock.yaml', '');
    const err = await failure(selectPreset('web', { cwd: `${s.root}/proj`, env: s.env }));
    expect(err.message).toMatch(new RegExp(`^preset ${file}:[34]: invalid YAML: `));
    expect(err.path).toBeUndefined();
  });

  it('a duplicate key is a YAML error at its line', async () => {
    const s = scratch();
    const file = s.write(
      'config/safedock/presets/web.yaml',
      'name: web\nsettings:\n  memory: { value: 1g }\n  memory: { value: 2g }\n',
    );
    const err = await failure(selectPreset('web', { cwd: s.root, env: s.env }));
    expect(err.message).toMatch(new RegExp(`^preset ${file}:4: invalid YAML: .*unique`));
  });

  it('presets list reports broken files and still lists the rest', async () => {
    const s = scratch();
    s.write('config/safedock/presets/good.yaml', presetYaml('good', 'extends: strict\n'));
    const bad = s.write('config/safedock/presets/bad.yaml', presetYaml('bad', 'settings:\n  memroy: { value: 1g }\n'));
    s.write('config/safedock/presets/Bad Name.yaml', presetYaml('x', ''));
    const { entries, problems } = await (await openCatalog({ cwd: s.root, env: s.env })).list();
    expect(entries.map((e) => e.preset.name)).toContain('good');
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/Bad Name\.yaml: the file name is not a preset name/),
      expect.stringContaining(`preset ${bad}:4: settings.memroy:`),
    ]);
  });
});

describe('a broken project config names the file, the line and the key', () => {
  it.each([
    [
      'an unknown field',
      'preset: strict\nexceptions:\n  - x\n',
      2,
      'exceptions: unknown field; known fields: preset, accept, services',
    ],
    [
      'a misspelt field',
      '# project\npresett: strict\n',
      2,
      'presett: unknown field; known fields: preset, accept, services',
    ],
    [
      'a service that is not a mapping',
      'preset: strict\nservices:\n  web: [8080]\n',
      3,
      'services.web: expected a mapping such as "ports: [127.0.0.1:8080:80]"',
    ],
    [
      'a misspelt service field',
      'preset: strict\nservices:\n  web:\n    port: [8080]\n',
      4,
      'services.web.port: unknown field; a service has ports',
    ],
    [
      'a service port docker would refuse',
      'preset: strict\nservices:\n  web:\n    ports: ["127.0.0.1:http:80"]\n',
      4,
      'services.web.ports: "127.0.0.1:http:80" is not a port as docker -p takes it: invalid hostPort: http',
    ],
    [
      'accept as a list',
      'preset: strict\naccept:\n  - SD118\n',
      2,
      'accept: expected a mapping of finding key to reason, e.g. "accept: { SD118: the image drops root itself }"',
    ],
    [
      'accept with an unknown rule',
      'accept:\n  SD9: typo\n',
      1,
      'accept: SD9: "SD9" is not a rule id; expected SD followed by three digits, e.g. SD118 (or ID:ITEM, e.g. SD111:NET_ADMIN)',
    ],
    [
      'accept without a reason',
      'accept:\n  SD118:\n',
      1,
      'accept: SD118: expected a reason: one line saying why this risk is acceptable here',
    ],
    [
      'a preset that is not a name',
      'preset: [strict]\n',
      1,
      'preset: expected the name of a preset, e.g. "preset: strict"',
    ],
    ['a list document', '- preset\n', 1, '(document): expected a mapping, e.g. "preset: strict"'],
    ['an unknown preset', '\n\npreset: strcit\n', 3, 'preset: unknown preset "strcit"'],
  ])('%s', async (_label, text, line, message) => {
    const s = scratch();
    const file = s.write('proj/.safedock.yaml', text);
    const err = await failure(selectPreset(undefined, { cwd: `${s.root}/proj/sub`, env: s.env }));
    expect(err.message).toBe(`project config ${file}:${line}: ${message}`);
    expect(err).toBeInstanceOf(SafedockError);
  });

  it('an empty config is fine', async () => {
    const s = scratch();
    s.write('proj/.safedock.yaml', '');
    expect((await selectPreset(undefined, { cwd: `${s.root}/proj`, env: s.env })).name).toBe('strict');
  });
});

describe('a value docker would refuse in a preset names the file, the line and the key', () => {
  it('found when the run converts it, located as it is reported', async () => {
    const s = scratch();
    s.write('app/.safedock.yaml', 'preset: web\n');
    const file = s.write(
      'app/.safedock/presets/web.yaml',
      'name: web\nextends: strict\nsettings:\n  cpus: { value: "1" }\n  memory: { value: lots }\n',
    );
    const cwd = `${s.root}/app`;
    const prepared = await prepare(parseRunArgv(['img']), { cwd, env: s.env, mayAsk: false });
    let caught: unknown;
    try {
      plan(prepared, undefined, { cwd, env: s.env });
    } catch (err) {
      caught = await locateConfigError(err);
    }
    expect(caught).toBeInstanceOf(ConfigFileError);
    expect((caught as ConfigFileError).message).toBe(
      `preset ${file}:5: settings.memory: invalid argument "lots" for "-m, --memory" flag: invalid size: 'lots'`,
    );
    expect((caught as ConfigFileError).code).toBe('preset-invalid');
  });
});

describe('a suggestion is said as everywhere: first on the hint line', () => {
  it.each([
    [
      'preset',
      'config/safedock/presets/web.yaml',
      'settings:\n  memroy: { value: 1g }\n',
      'Did you mean "memory"? Fix settings.memroy in ',
    ],
    ['preset', 'config/safedock/presets/web.yaml', 'setings: {}\n', 'Did you mean "settings"? Fix setings in '],
    [
      'preset',
      'config/safedock/presets/web.yaml',
      'accept: { SD1188: x }\n',
      'Did you mean SD118? safedock rules lists every rule. Fix accept.SD1188 in ',
    ],
    ['project', '.safedock.yaml', 'presett: strict\n', 'Did you mean "preset"? Fix presett in '],
    [
      'project',
      '.safedock.yaml',
      'services:\n  web:\n    port: [8080]\n',
      'Did you mean "ports"? Fix services.web.port in ',
    ],
    [
      'project',
      '.safedock.yaml',
      'accept: { SD1188: x }\n',
      'Did you mean SD118? safedock rules lists every rule. Fix accept in ',
    ],
  ])('%s %s: %j', async (kind, path, body, hint) => {
    const s = scratch();
    s.write(path, kind === 'preset' ? presetYaml('web', body) : body);
    const err = await failure(selectPreset(kind === 'preset' ? 'web' : undefined, { cwd: s.root, env: s.env }));
    expect(err.hint?.startsWith(hint), err.hint).toBe(true);
    expect(err.message).not.toMatch(/did you mean/i);
  });
});
