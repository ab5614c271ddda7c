import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_IMAGE, TEST_LABEL_ARGS, listContainers, removeContainer, runCli } from '../helpers/engine.js';
import { KEY, runCliInPty } from '../helpers/pty.js';

/** What the container may do: its uid, whether /data and the root take writes, its interfaces and memory limit. */
const PROBE = [
  'echo uid=$(id -u)',
  '(touch /data/x 2>/dev/null && echo data=writable) || echo data=read-only',
  '(touch /x 2>/dev/null && echo root=writable) || echo root=read-only',
  'echo net=$(ls /sys/class/net | tr "\\n" " ")',
  'echo memory=$(cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes)',
].join('; ');

let folder: string;
let config: string;
let caseLabel: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'safedock-init-'));
  config = mkdtempSync(join(tmpdir(), 'safedock-init-xdg-'));
  caseLabel = `safedock.case=${randomUUID()}`;
});

afterEach(async () => {
  for (const c of await listContainers(caseLabel)) await removeContainer(c.Id);
  rmSync(folder, { recursive: true, force: true });
  rmSync(config, { recursive: true, force: true });
});

const terminalEnv = (): Record<string, string | undefined> => ({
  CI: undefined,
  SAFEDOCK_PRESET: undefined,
  SAFEDOCK_POLICY: undefined,
  XDG_CONFIG_HOME: config,
});
const scriptEnv = (): Record<string, string | undefined> => ({ SAFEDOCK_PRESET: undefined, XDG_CONFIG_HOME: config });

/** A plain run in the folder, as a script would do it (no terminal): it must follow what init wrote. */
const probeRun = () =>
  runCli(['run', '--rm', ...TEST_LABEL_ARGS, '--label', caseLabel, TEST_IMAGE, 'sh', '-c', PROBE], {
    cwd: folder,
    env: scriptEnv(),
  });

describe('safedock init on a terminal', () => {
  it('asks, shows the docker run arguments, writes the files, and the next run obeys them', async () => {
    const pty = runCliInPty(['init'], { cwd: folder, env: terminalEnv() });
    await pty.waitFor('Does the workload need the network');
    pty.write(KEY.enter);
    await pty.waitFor('Ports its service publishes');
    pty.write(KEY.enter);
    await pty.waitFor('Does the software start as root');
    pty.write(KEY.enter);
    await pty.waitFor(/Preset to build on:[\s\S]*strict \(proposed\)/);
    pty.write(KEY.enter);
    await pty.waitFor('Paths the software writes to');
    pty.write('/data');
    pty.write(KEY.enter);
    await pty.waitFor('Where does /data keep what is written?');
    pty.write(KEY.enter);
    await pty.waitFor('Run as a fixed UID[:GID]?');
    pty.write('4242');
    pty.write(KEY.enter);
    await pty.waitFor('Memory limit');
    pty.write('128m');
    pty.write(KEY.enter);
    await pty.waitFor('CPUs');
    pty.write(KEY.enter);
    await pty.waitFor('Name of the project preset:');
    pty.write('web');
    pty.write(KEY.enter);
    await pty.waitFor(
      /Every `safedock run` here will apply, as docker run arguments:\n {2}--cap-drop ALL .*--tmpfs \/data:rw,noexec,nosuid,nodev,size=64m --memory 128m .*--user 4242:4242 --network safedock\n/,
    );
    await pty.waitFor('Write these files? (Y/n)');
    expect(readdirSync(folder)).toEqual([]);
    pty.write(KEY.enter);
    const result = await pty.done;
    expect(result.code, result.text).toBe(0);
    expect(result.text).toContain('Wrote .safedock/presets/web.yaml and .safedock.yaml.');
    expect(readFileSync(join(folder, '.safedock.yaml'), 'utf8')).toMatch(/\npreset: web\n$/);

    const run = await probeRun();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`uid=4242\ndata=writable\nroot=read-only\nnet=eth0 lo\nmemory=${128 * 1024 * 1024}\n`);
    const list = await runCli(['presets', 'list'], { cwd: folder, env: scriptEnv() });
    expect(list.stdout).toMatch(/\* web\s+project\s+strict\s+\S*\.safedock\/presets\/web\.yaml/);
    expect(list.stdout).toContain(`* default: web, set by the project config ${join(folder, '.safedock.yaml')}`);
  });

  it('Ctrl-C in the middle: exit 130, nothing written', async () => {
    const pty = runCliInPty(['init'], { cwd: folder, env: terminalEnv() });
    await pty.waitFor('Does the workload need the network');
    pty.write('n');
    pty.write(KEY.enter);
    await pty.waitFor('Does the software start as root');
    pty.write(KEY.ctrlC);
    const result = await pty.done;
    expect(result.code, result.text).toBe(130);
    expect(result.text).toContain('safedock: cancelled; nothing was written.');
    expect(readdirSync(folder)).toEqual([]);
  });

  it('Ctrl-C at the last question, with everything decided: nothing written', async () => {
    const pty = runCliInPty(['init', '--no-network', '--memory', '64m'], { cwd: folder, env: terminalEnv() });
    for (const question of [
      'need the network',
      'start as root',
      'Preset to build on',
      'Paths the software writes to',
      'fixed UID',
      'Memory limit',
      'CPUs',
      'Name of the project preset',
    ]) {
      await pty.waitFor(question);
      pty.write(KEY.enter);
    }
    await pty.waitFor('Write these files?');
    pty.write(KEY.ctrlC);
    const result = await pty.done;
    expect(result.code, result.text).toBe(130);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('a hang-up of the terminal cancels cleanly', async () => {
    const pty = runCliInPty(['init'], { cwd: folder, env: terminalEnv() });
    await pty.waitFor('Does the workload need the network');
    process.kill(await pty.pid(), 'SIGHUP');
    const result = await pty.done;
    expect(result.code, result.text).toBe(130);
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe('safedock init --preset NAME --yes (no terminal needed)', () => {
  it('writes the files from the flags alone, and the next run obeys them', async () => {
    const init = await runCli(
      ['init', '--preset', 'sandbox', '--yes', '--writable', '/data', '--memory', '64m', '--name', 'batch'],
      { cwd: folder, env: scriptEnv() },
    );
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/--tmpfs \/data:rw,noexec,nosuid,nodev,size=64m --memory 64m .*--network none /);
    expect(init.stdout).toContain('Wrote .safedock/presets/batch.yaml and .safedock.yaml.');
    const run = await probeRun();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`uid=65534\ndata=writable\nroot=read-only\nnet=lo\nmemory=${64 * 1024 * 1024}\n`);
  });

  it("refuses to replace what exists unless --force, which keeps the config's other fields", async () => {
    expect(
      (await runCli(['init', '--yes', '--memory', '1g', '--name', 'api'], { cwd: folder, env: scriptEnv() })).code,
    ).toBe(0);
    const preset = readFileSync(join(folder, '.safedock/presets/api.yaml'), 'utf8');
    const again = await runCli(['init', '--yes', '--memory', '2g', '--name', 'api'], { cwd: folder, env: scriptEnv() });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('safedock: refused: .safedock/presets/api.yaml and .safedock.yaml already exist');
    expect(readFileSync(join(folder, '.safedock/presets/api.yaml'), 'utf8')).toBe(preset);
    const forced = await runCli(['init', '--yes', '--force', '--memory', '2g', '--name', 'api'], {
      cwd: folder,
      env: scriptEnv(),
    });
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(folder, '.safedock/presets/api.yaml'), 'utf8')).toContain('value: 2g');
  });

  it('without --yes and without a terminal: a non-zero exit naming the non-interactive form, nothing written', async () => {
    const result = await runCli(['init'], { cwd: folder, env: { ...scriptEnv(), CI: undefined } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'safedock: safedock init asks its questions on a terminal, but stdin is not a terminal; nothing was written',
    );
    expect(result.stderr).toContain('Give the answers as flags instead: safedock init --preset NAME --yes');
    expect(readdirSync(folder)).toEqual([]);
  });
});
