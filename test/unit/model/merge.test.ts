import { describe, expect, it } from 'vitest';
import type { OptionValue } from '../../../src/docker-cli/parsed-run.js';
import { parseRunArgv } from '../../../src/docker-cli/parse-argv.js';
import type { ImageFacts } from '../../../src/engine/engine.js';
import type { Source } from '../../../src/model/provenance.js';
import type { RunSpec } from '../../../src/model/run-spec.js';
import type { Preset } from '../../../src/presets/types.js';
import { imageRunsAsRoot as runsAsRoot } from '../../../src/run/image-tailoring.js';
import { convertUserFlags, plan } from '../../../src/run/pipeline.js';
import { planSettings } from '../../../src/run/render-plan.js';

/**
 * The preset under your flags, through the pipeline's plan (the model-level merge), read back as
 * the settings a plan lists: flag, value as written, and source.
 */
function mergeOptions(
  preset: Preset,
  user: OptionValue[],
  image: ImageFacts | undefined,
): {
  options: Array<OptionValue & { source: Source }>;
  overrides: Array<{ flag: string; preset: string[]; user: string[] }>;
  notes: string[];
  spec: RunSpec;
} {
  const parsed = parseRunArgv([...user.map((o) => `--${o.name}=${o.value}`), 'img']);
  const { user: layer, secrets } = convertUserFlags(parsed, { env: {}, cwd: '/' });
  const planned = plan({ parsed, user: layer, secrets, preset }, image, { env: {}, cwd: '/' });
  return {
    options: planSettings(planned).map((o) => ({ name: o.flag, value: o.text, source: o.source })),
    overrides: planned.overrides.map((o) => ({
      flag: o.replaced[0]?.flag ?? o.field,
      preset: o.replaced.map((r) => r.text),
      user: o.by.map((b) => b.text),
    })),
    notes: planned.notes,
    spec: planned.spec,
  };
}

const preset: Preset = {
  name: 'p',
  summary: '',
  file: 'presets/p.yaml',
  settings: {
    'cap-drop': { value: ['ALL'], reason: 'caps' },
    'security-opt': { value: ['no-new-privileges'] },
    'read-only': { value: true },
    tmpfs: { value: ['/tmp:rw,noexec,size=64m'] },
    memory: { value: '512m' },
    'pids-limit': { value: 256 },
  },
  image: { nonRootUser: { value: '65534:65534', reason: 'not root' } },
};

const user = (...pairs: Array<[string, string]>): OptionValue[] => pairs.map(([name, value]) => ({ name, value }));
const effective = (options: OptionValue[], name: string): string[] =>
  options.filter((o) => o.name === name).map((o) => o.value);
const rootImage = { id: 'sha256:1', user: '', volumes: [], exposedPorts: [] };

describe('mergeOptions', () => {
  it('puts every preset setting under a run without flags, with provenance', () => {
    const { options } = mergeOptions(preset, [], rootImage);
    expect(effective(options, 'cap-drop')).toEqual(['ALL']);
    expect(effective(options, 'read-only')).toEqual(['true']);
    expect(effective(options, 'pids-limit')).toEqual(['256']);
    expect(effective(options, 'user')).toEqual(['65534:65534']);
    const capDrop = options.find((o) => o.name === 'cap-drop');
    expect(capDrop?.source).toEqual({
      kind: 'preset',
      preset: 'p',
      file: 'presets/p.yaml',
      key: 'cap-drop',
      reason: 'caps',
    });
    expect(options.find((o) => o.name === 'user')?.source.kind).toBe('image');
  });

  it('lets a scalar flag of the user replace the preset value and records the override', () => {
    const { options, overrides } = mergeOptions(preset, user(['memory', '1g'], ['read-only', 'false']), rootImage);
    expect(effective(options, 'memory')).toEqual(['1g']);
    expect(effective(options, 'read-only')).toEqual(['false']);
    expect(overrides).toContainEqual({ flag: 'memory', preset: ['512m'], user: ['1g'] });
    expect(overrides).toContainEqual({ flag: 'read-only', preset: ['true'], user: ['false'] });
  });

  it('keeps ALL dropped when the user adds a capability (docker: drop ALL, add X)', () => {
    const { options, overrides } = mergeOptions(preset, user(['cap-add', 'NET_BIND_SERVICE']), rootImage);
    expect(effective(options, 'cap-drop')).toEqual(['ALL']);
    expect(effective(options, 'cap-add')).toEqual(['NET_BIND_SERVICE']);
    expect(overrides).toEqual([]);
  });

  it('unions capability drops in any spelling', () => {
    expect(effective(mergeOptions(preset, user(['cap-drop', 'chown']), rootImage).options, 'cap-drop')).toEqual([
      'ALL',
      'chown',
    ]);
    expect(effective(mergeOptions(preset, user(['cap-drop', 'all']), rootImage).options, 'cap-drop')).toEqual(['all']);
  });

  it.each([['no-new-privileges=false'], ['no-new-privileges:false'], ['no-new-privileges']])(
    'matches security options by key: %s replaces the preset entry',
    (value) => {
      const { options, overrides } = mergeOptions(preset, user(['security-opt', value]), rootImage);
      expect(effective(options, 'security-opt')).toEqual([value]);
      expect(overrides[0]?.flag).toBe('security-opt');
    },
  );

  it('keeps the preset security options whose keys the user did not give', () => {
    const { options } = mergeOptions(preset, user(['security-opt', 'seccomp=unconfined']), rootImage);
    expect(effective(options, 'security-opt')).toEqual(['no-new-privileges', 'seccomp=unconfined']);
  });

  it('matches tmpfs mounts by path', () => {
    expect(effective(mergeOptions(preset, user(['tmpfs', '/tmp:size=1g']), rootImage).options, 'tmpfs')).toEqual([
      '/tmp:size=1g',
    ]);
    expect(effective(mergeOptions(preset, user(['tmpfs', '/run']), rootImage).options, 'tmpfs')).toEqual([
      '/tmp:rw,noexec,size=64m',
      '/run',
    ]);
  });

  it.each([[''], ['root'], ['0'], ['0:0'], ['root:root'], [':1000'], ['root:1000']])(
    'runs an image whose user is "%s" as the preset user',
    (imageUser) => {
      const { options, notes } = mergeOptions(preset, [], { ...rootImage, user: imageUser });
      expect(effective(options, 'user')).toEqual(['65534:65534']);
      expect(notes.join('\n')).toContain('65534:65534');
    },
  );

  it.each([['1000'], ['1000:1000'], ['nobody'], ['app:app']])(
    'keeps an image user that is already "%s"',
    (imageUser) => {
      expect(effective(mergeOptions(preset, [], { ...rootImage, user: imageUser }).options, 'user')).toEqual([]);
    },
  );

  it.each([
    ['-u0', '0'],
    ['root', 'root'],
    ['1000', '1000'],
  ])('never replaces a user given with -u (%s)', (_spelling, value) => {
    const { options } = mergeOptions(preset, user(['user', value]), rootImage);
    expect(effective(options, 'user')).toEqual([value]);
    expect(options.find((o) => o.name === 'user')?.source).toEqual({ kind: 'user' });
  });

  it("never replaces a user the preset's own settings name", () => {
    const withUser: Preset = {
      ...preset,
      settings: { ...preset.settings, user: { value: '1000:1000', reason: 'the app uid' } },
    };
    for (const image of [rootImage, undefined]) {
      const { options, notes } = mergeOptions(withUser, [], image);
      expect(effective(options, 'user')).toEqual(['1000:1000']);
      expect(options.find((o) => o.name === 'user')?.source.kind).toBe('preset');
      expect(notes.join('\n')).not.toMatch(/running it as|not inspected/);
    }
  });

  it('assumes root when the image could not be inspected, and says so', () => {
    const { options, notes } = mergeOptions(preset, [], undefined);
    expect(effective(options, 'user')).toEqual(['65534:65534']);
    expect(notes[0]).toMatch(/not inspected/);
  });

  it('keeps the order of the user flags (security options are order-sensitive)', () => {
    const given = user(
      ['security-opt', 'no-new-privileges'],
      ['env', 'A=1'],
      ['security-opt', 'no-new-privileges=false'],
    );
    const { spec } = mergeOptions(preset, given, rootImage);
    expect(spec.securityOpt.map((o) => o.raw)).toEqual(['no-new-privileges', 'no-new-privileges=false']);
  });

  it('an empty preset applies nothing', () => {
    const none: Preset = { name: 'none', summary: '', file: 'presets/none.yaml', settings: {} };
    const given = user(['memory', '1g'], ['publish', '80:80']);
    const { options, overrides, notes } = mergeOptions(none, given, rootImage);
    const byName = (a: OptionValue, b: OptionValue): number => a.name.localeCompare(b.name);
    expect(options.map(({ name, value }) => ({ name, value })).sort(byName)).toEqual([...given].sort(byName));
    expect(overrides).toEqual([]);
    expect(notes).toEqual([]);
  });

  it.each([
    ['', true],
    ['root', true],
    ['0', true],
    ['0:0', true],
    ['root:root', true],
    ['0:1000', true],
    ['1000', false],
    ['65534:65534', false],
    ['nobody', false],
    ['rootless', false],
  ])('runsAsRoot(%j) is %s', (value, expected) => {
    expect(runsAsRoot(value)).toBe(expected);
  });
});

describe('mergeOptions: flags that replace or drop others', () => {
  const hardened: Preset = {
    name: 'h',
    summary: '',
    file: 'presets/h.yaml',
    settings: {
      network: { value: ['none'] },
      'log-driver': { value: 'json-file' },
      'log-opt': { value: ['max-size=10m', 'max-file=3'] },
    },
  };
  it.each([['bridge'], ['host'], ['mynet'], ['none']])('--network %s replaces the preset network', (net) => {
    const { options } = mergeOptions(hardened, user(['network', net]), rootImage);
    expect(effective(options, 'network')).toEqual([net]);
  });
  it('--log-driver drops the preset log options that belong to its driver', () => {
    const { options, overrides } = mergeOptions(hardened, user(['log-driver', 'syslog']), rootImage);
    expect(effective(options, 'log-driver')).toEqual(['syslog']);
    expect(effective(options, 'log-opt')).toEqual([]);
    // The override names the flag that dropped them.
    expect(overrides).toContainEqual({ flag: 'log-opt', preset: ['max-size=10m', 'max-file=3'], user: ['syslog'] });
  });
  it('--log-opt alone is merged by key under the preset driver', () => {
    const { options } = mergeOptions(hardened, user(['log-opt', 'max-size=1m']), rootImage);
    expect(effective(options, 'log-driver')).toEqual(['json-file']);
    expect(effective(options, 'log-opt')).toEqual(['max-file=3', 'max-size=1m']);
  });
});

describe('mergeOptions: image VOLUMEs under a read-only root', () => {
  const withVolumes = { ...rootImage, user: '1000', volumes: ['/data', '/var/cache/'] };
  it('reports each VOLUME path that the run does not mount itself', () => {
    const { notes } = mergeOptions(preset, [], withVolumes);
    expect(notes.filter((n) => n.includes('VOLUME'))).toEqual([
      'VOLUME /data of the image stays writable despite --read-only (an anonymous volume); --tmpfs /data keeps it in memory',
      'VOLUME /var/cache/ of the image stays writable despite --read-only (an anonymous volume); --tmpfs /var/cache/ keeps it in memory',
    ]);
  });
  it.each([
    [['tmpfs', '/data']],
    [['volume', 'vol:/data:rw']],
    [['volume', '/data']],
    [['mount', 'type=tmpfs,dst=/data']],
    [['mount', 'type=volume,source=v,target=/data/']],
  ] as Array<[[string, string]]>)('says nothing of a path the run mounts: %j', (option) => {
    const { notes } = mergeOptions(preset, user(option), withVolumes);
    expect(notes.some((n) => n.includes('VOLUME /data '))).toBe(false);
    expect(notes.some((n) => n.includes('VOLUME /var/cache/ '))).toBe(true);
  });
  it('says nothing when the root is writable', () => {
    const { notes } = mergeOptions(preset, user(['read-only', 'false']), withVolumes);
    expect(notes.some((n) => n.includes('VOLUME'))).toBe(false);
  });
});

describe('the model merges mounts by target, whichever flag made them', () => {
  it.each([
    ['mount', 'type=tmpfs,dst=/tmp,tmpfs-size=1048576'],
    ['volume', 'scratch:/tmp'],
    ['tmpfs', '/tmp:size=1m'],
  ])("your --%s %s replaces the preset's tmpfs on /tmp", (flag, value) => {
    const { spec, overrides } = mergeOptions(preset, user([flag, value]), rootImage);
    const onTmp = spec.mounts.filter((m) => m.target === '/tmp');
    expect(onTmp).toHaveLength(1);
    expect(onTmp[0]?.via).toBe(flag === 'mount' ? 'mount' : flag === 'volume' ? 'volume' : 'tmpfs');
    expect(overrides).toContainEqual({ flag: 'tmpfs', preset: ['/tmp:rw,noexec,size=64m'], user: [value] });
  });
  it('keeps the preset mount at another target', () => {
    const { spec } = mergeOptions(preset, user(['volume', 'data:/data']), rootImage);
    expect(spec.mounts.map((m) => m.target).sort()).toEqual(['/data', '/tmp']);
  });
});
