import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { migrateInitPorts } from '../../../src/init/migrate-ports.js';
import { initConfigText } from '../../../src/init/config-text.js';
import { selectForRun } from '../../../src/presets/select.js';
import { scratch } from '../presets/helpers.js';

/** A project preset as an earlier safedock init wrote it: the answered ports in its settings. */
const OLD_PRESET = `# Project preset written by safedock init. Edit freely: each setting is a docker run flag
# with the reason it is there; safedock presets show web shows it resolved over strict.
name: web
summary: "strict for this project: ports 8080:80, 9090; memory 1g (written by safedock init)."
extends: strict
settings:
  publish:
    value:
      - 127.0.0.1:8080:80
      - 127.0.0.1::9090
    reason: The workload serves on these ports (answered in safedock init); published on 127.0.0.1 only, as answered (CIS 5.9, 5.14).
  # our own note about memory
  memory:
    value: 1g
    reason: The workload's memory budget (answered in safedock init).
`;

const OLD_CONFIG = `# safedock project config (kept)
preset: web
accept:
  SD119: writes its cache
`;

describe('moving the ports an earlier init put into the preset', () => {
  it('moves them to the service of the same name, keeps comments and other fields, and says so once', async () => {
    const s = scratch();
    const config = s.write('app/.safedock.yaml', OLD_CONFIG);
    const preset = s.write('app/.safedock/presets/web.yaml', OLD_PRESET);
    const cwd = join(s.root, 'app');

    expect(await migrateInitPorts(join(cwd))).toEqual([
      'moved ports 127.0.0.1:8080:80, 127.0.0.1::9090 from preset web to service web in .safedock.yaml; runs publish them only with --service web',
    ]);
    const configText = readFileSync(config, 'utf8');
    expect(configText).toMatch(
      /^# safedock project config \(kept\)\npreset: web\naccept:\n {2}SD119: writes its cache\n/,
    );
    expect(parse(configText)).toEqual({
      preset: 'web',
      accept: { SD119: 'writes its cache' },
      services: { web: { ports: ['127.0.0.1:8080:80', '127.0.0.1::9090'] } },
    });
    const presetText = readFileSync(preset, 'utf8');
    expect(presetText).toMatch(/^# Project preset written by safedock init\./);
    expect(presetText).toContain('  # our own note about memory\n');
    expect(parse(presetText)).toEqual({
      name: 'web',
      summary: 'strict for this project: memory 1g (written by safedock init).',
      extends: 'strict',
      settings: { memory: { value: '1g', reason: "The workload's memory budget (answered in safedock init)." } },
    });

    // The folder's runs now publish nothing; the service still has the ports.
    const { preset: resolved, project } = await selectForRun(undefined, { cwd, env: s.env });
    expect(resolved.settings.publish).toBeUndefined();
    expect(project?.services?.web?.ports).toEqual(['127.0.0.1:8080:80', '127.0.0.1::9090']);

    // Once: a second look finds nothing to move.
    expect(await migrateInitPorts(cwd)).toEqual([]);
    expect(readFileSync(config, 'utf8')).toBe(configText);
  });

  it('adds to a service of that name without repeating its ports', async () => {
    const s = scratch();
    s.write(
      'app/.safedock.yaml',
      'preset: web\nservices:\n  web:\n    ports: ["127.0.0.1:8080:80"]\n  api:\n    ports: ["9000"]\n',
    );
    s.write('app/.safedock/presets/web.yaml', OLD_PRESET);
    await migrateInitPorts(join(s.root, 'app'));
    expect(parse(readFileSync(join(s.root, 'app/.safedock.yaml'), 'utf8'))).toEqual({
      preset: 'web',
      services: { web: { ports: ['127.0.0.1:8080:80', '127.0.0.1::9090'] }, api: { ports: ['9000'] } },
    });
  });

  it('leaves ports a person put into a preset, and folders without a project, alone', async () => {
    const s = scratch();
    const own = OLD_PRESET.replace('(answered in safedock init)', '(our web server)');
    s.write('app/.safedock.yaml', OLD_CONFIG);
    const preset = s.write('app/.safedock/presets/web.yaml', own);
    expect(await migrateInitPorts(join(s.root, 'app'))).toEqual([]);
    expect(readFileSync(preset, 'utf8')).toBe(own);
    expect(await migrateInitPorts(s.root)).toEqual([]);
  });

  it('a summary with only ports loses the ports part', async () => {
    const s = scratch();
    s.write('app/.safedock.yaml', 'preset: web\n');
    const only = OLD_PRESET.replace('ports 8080:80, 9090; memory 1g', 'ports 8080:80');
    const preset = s.write('app/.safedock/presets/web.yaml', only);
    await migrateInitPorts(join(s.root, 'app'));
    expect((parse(readFileSync(preset, 'utf8')) as { summary: string }).summary).toBe(
      'strict for this project (written by safedock init).',
    );
  });
});

describe("init's project config", () => {
  it('sets the preset and the service, keeping other services, fields and comments', async () => {
    const s = scratch();
    const file = s.write('app/.safedock.yaml', '# ours\npreset: none\nservices:\n  api:\n    ports: ["9000"]\n');
    const text = await initConfigText(file, 'web', { name: 'web', ports: ['127.0.0.1:8080:80'] });
    expect(text).toMatch(/^# ours\npreset: web\n/);
    expect(parse(text)).toEqual({
      preset: 'web',
      services: { api: { ports: ['9000'] }, web: { ports: ['127.0.0.1:8080:80'] } },
    });
  });
});
