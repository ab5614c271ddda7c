import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  TEST_IMAGE,
  TEST_LABEL_ARGS,
  inspectContainer,
  listContainers,
  removeContainer,
  runCli,
} from '../helpers/engine.js';

/**
 * Ports answered in safedock init belong to a service, not to the folder: every run in the folder
 * may start side by side, and only a run naming the service publishes them. On the real engine.
 */
let folder: string;
let config: string;
let caseLabel: string;
/** A host port nobody else on this engine is likely to use at the same moment. */
let hostPort: number;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'safedock-init-ports-'));
  config = mkdtempSync(join(tmpdir(), 'safedock-init-ports-xdg-'));
  caseLabel = `safedock.case=${randomUUID()}`;
  hostPort = 20_000 + Math.floor(Math.random() * 20_000);
});

afterEach(async () => {
  for (const c of await listContainers(caseLabel)) await removeContainer(c.Id);
  rmSync(folder, { recursive: true, force: true });
  rmSync(config, { recursive: true, force: true });
});

const env = (): Record<string, string | undefined> => ({ SAFEDOCK_PRESET: undefined, XDG_CONFIG_HOME: config });

/** A detached container in the folder that stays up, so a second one would meet its port. */
const start = (...flags: string[]) =>
  runCli(['run', '-d', ...TEST_LABEL_ARGS, '--label', caseLabel, ...flags, TEST_IMAGE, 'sleep', '60'], {
    cwd: folder,
    env: env(),
  });

interface Inspected {
  HostConfig: { PortBindings: Record<string, { HostIp: string; HostPort: string }[] | null> | null };
}

async function bindings(id: string): Promise<Record<string, { HostIp: string; HostPort: string }[] | null>> {
  const c = await inspectContainer<Inspected>(id);
  return c?.HostConfig.PortBindings ?? {};
}

describe('init records ports in a service', () => {
  it('runs in the folder start side by side; --service publishes the ports on 127.0.0.1', async () => {
    const init = await runCli(['init', '--yes', '--preset', 'strict', '--port', `${hostPort}:80`, '--name', 'web'], {
      cwd: folder,
      env: env(),
    });
    expect(init.code, init.stderr).toBe(0);
    expect(parse(readFileSync(join(folder, '.safedock.yaml'), 'utf8'))).toEqual({
      preset: 'strict',
      services: { web: { ports: [`127.0.0.1:${hostPort}:80`] } },
    });

    const first = await start();
    const second = await start();
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    expect(await bindings(first.stdout.trim())).toEqual({});

    const served = await start('--service', 'web');
    expect(served.code, served.stderr).toBe(0);
    expect(await bindings(served.stdout.trim())).toEqual({
      '80/tcp': [{ HostIp: '127.0.0.1', HostPort: `${hostPort}` }],
    });
  });

  it('moves the ports an earlier init put into the preset, telling once', async () => {
    writeFileSync(join(folder, '.safedock.yaml'), '# ours\npreset: web\n');
    mkdirSync(join(folder, '.safedock', 'presets'), { recursive: true });
    writeFileSync(
      join(folder, '.safedock', 'presets', 'web.yaml'),
      [
        '# Project preset written by safedock init.',
        'name: web',
        `summary: "strict for this project: ports ${hostPort}:80 (written by safedock init)."`,
        'extends: strict',
        'settings:',
        '  publish:',
        `    value: ["127.0.0.1:${hostPort}:80"]`,
        '    reason: The workload serves on these ports (answered in safedock init); published on 127.0.0.1 only.',
        '',
      ].join('\n'),
    );
    const first = await start();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(
      `safedock: moved ports 127.0.0.1:${hostPort}:80 from preset web to service web in .safedock.yaml; runs publish them only with --service web\n`,
    );
    expect(await bindings(first.stdout.trim())).toEqual({});
    const second = await start('--service', 'web');
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).not.toContain('moved ports');
    expect(await bindings(second.stdout.trim())).toEqual({
      '80/tcp': [{ HostIp: '127.0.0.1', HostPort: `${hostPort}` }],
    });
    expect(readFileSync(join(folder, '.safedock.yaml'), 'utf8')).toMatch(/^# ours\npreset: web\nservices:\n/);
  });
});
