import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_IMAGE, TEST_LABEL_ARGS, listContainers, removeContainer, runCli } from '../helpers/engine.js';
import { KEY, runCliInPty } from '../helpers/pty.js';

/** What the container may do, one line each: its uid, effective capabilities, interfaces, memory limit. */
const PROBE =
  'echo uid=$(id -u); grep ^CapEff: /proc/self/status; echo net=$(ls /sys/class/net | tr "\\n" " "); echo memory=$(cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes)';

let folder: string;
let config: string;
/** A label only this test's containers carry, to tell that nothing of it was left (or created). */
let caseLabel: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'safedock-pick-'));
  config = mkdtempSync(join(tmpdir(), 'safedock-pick-xdg-'));
  caseLabel = `safedock.case=${randomUUID()}`;
});

afterEach(async () => {
  for (const c of await listContainers(caseLabel)) await removeContainer(c.Id);
  rmSync(folder, { recursive: true, force: true });
  rmSync(config, { recursive: true, force: true });
});

/** A person's terminal: no CI, no preset or policy from the environment, no user presets. */
const terminalEnv = (): Record<string, string | undefined> => ({
  CI: undefined,
  SAFEDOCK_PRESET: undefined,
  SAFEDOCK_POLICY: undefined,
  XDG_CONFIG_HOME: config,
});

const pickArgs = (): string[] => [
  'run',
  '--pick',
  '--rm',
  ...TEST_LABEL_ARGS,
  '--label',
  caseLabel,
  TEST_IMAGE,
  'sh',
  '-c',
  PROBE,
];

describe('safedock run --pick on a terminal', () => {
  it('previews each preset for this image, and the one picked runs the container', async () => {
    const pty = runCliInPty(pickArgs(), { cwd: folder, env: terminalEnv() });
    await pty.waitFor(`Preset for this run of ${TEST_IMAGE} (* strict: the built-in default)`);
    await pty.waitFor(
      /What strict \(built-in, presets\/strict\.yaml\) does to this run[\s\S]*user\s+65534:65534\s+\[image tailoring\][\s\S]*Policy ask: the run goes ahead/,
    );
    pty.write(KEY.up);
    await pty.waitFor(
      /What sandbox \(built-in, presets\/sandbox\.yaml\)[\s\S]*network\s+none \(loopback only\)\s+\[preset sandbox\][\s\S]*Policy ask/,
    );
    pty.write(KEY.enter);
    await pty.waitFor(
      `Save sandbox as the default preset for runs in ${folder} (in a new ${join(folder, '.safedock.yaml')})? (y/N)`,
    );
    pty.write('n');
    pty.write(KEY.enter);
    const result = await pty.done;
    expect(result.code, result.text).toBe(0);
    // sandbox, observed from inside: nobody, no capabilities, loopback only, 256 MiB.
    expect(result.text).toMatch(/uid=65534\n/);
    expect(result.text).toMatch(/CapEff:\s+0000000000000000\n/);
    expect(result.text).toMatch(/net=lo\n/);
    expect(result.text).toMatch(new RegExp(`memory=${256 * 1024 * 1024}\\n`));
    expect(readdirSync(folder)).toEqual([]);
  });

  it('saves the choice as the project default, which plain runs and presets list then follow', async () => {
    const pty = runCliInPty(pickArgs(), { cwd: folder, env: terminalEnv() });
    await pty.waitFor('Policy ask');
    pty.write(KEY.down);
    await pty.waitFor(
      /What compat \(built-in[\s\S]*capabilities\s+only CHOWN, DAC_OVERRIDE, FOWNER, NET_BIND_SERVICE, SETGID, SETUID\s+\[preset compat\][\s\S]*accepted SD118/,
    );
    pty.write(KEY.enter);
    await pty.waitFor('Save compat as the default preset');
    pty.write('y');
    pty.write(KEY.enter);
    const result = await pty.done;
    expect(result.code, result.text).toBe(0);
    expect(result.text).toContain(`safedock: saved "preset: compat" in ${join(folder, '.safedock.yaml')}.`);
    // compat keeps the image's root user with six capabilities: CHOWN, DAC_OVERRIDE, FOWNER, SETGID,
    // SETUID, NET_BIND_SERVICE.
    expect(result.text).toMatch(/uid=0\n/);
    expect(result.text).toMatch(/CapEff:\s+00000000000004cb\n/);
    expect(readFileSync(join(folder, '.safedock.yaml'), 'utf8')).toMatch(
      /^# safedock project config[\s\S]*\npreset: compat\n$/,
    );

    const plain = await runCli(
      ['run', '--rm', ...TEST_LABEL_ARGS, '--label', caseLabel, TEST_IMAGE, 'sh', '-c', PROBE],
      { cwd: folder, env: { XDG_CONFIG_HOME: config, SAFEDOCK_PRESET: undefined } },
    );
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/CapEff:\s+00000000000004cb\n/);
    const list = await runCli(['presets', 'list'], {
      cwd: folder,
      env: { XDG_CONFIG_HOME: config, SAFEDOCK_PRESET: undefined },
    });
    expect(list.stdout).toContain(`* default: compat, set by the project config ${join(folder, '.safedock.yaml')}`);
  });

  it('Ctrl-C at the list cancels: exit 130, no container, no file', async () => {
    const pty = runCliInPty(pickArgs(), { cwd: folder, env: terminalEnv() });
    await pty.waitFor('Policy ask');
    pty.write(KEY.ctrlC);
    const result = await pty.done;
    expect(result.code, result.text).toBe(130);
    expect(result.text).toContain('safedock: cancelled; nothing was created.');
    expect(await listContainers(caseLabel)).toEqual([]);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('Ctrl-C at the save question cancels too: nothing saved, nothing run', async () => {
    const pty = runCliInPty(pickArgs(), { cwd: folder, env: terminalEnv() });
    await pty.waitFor('Policy ask');
    pty.write(KEY.up);
    await pty.waitFor('What sandbox');
    pty.write(KEY.enter);
    await pty.waitFor('Save sandbox as the default preset');
    pty.write(KEY.ctrlC);
    const result = await pty.done;
    expect(result.code, result.text).toBe(130);
    expect(result.text).not.toMatch(/uid=/);
    expect(await listContainers(caseLabel)).toEqual([]);
    expect(existsSync(join(folder, '.safedock.yaml'))).toBe(false);
  });

  it('a hang-up of the terminal cancels cleanly', async () => {
    const pty = runCliInPty(pickArgs(), { cwd: folder, env: terminalEnv() });
    await pty.waitFor('Policy ask');
    process.kill(await pty.pid(), 'SIGHUP');
    const result = await pty.done;
    expect(result.code, result.text).toBe(130);
    expect(await listContainers(caseLabel)).toEqual([]);
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe('safedock run --pick without a terminal', () => {
  it('fails at once with exit 125, naming --preset, and creates nothing', async () => {
    const result = await runCli(pickArgs(), { cwd: folder, env: { CI: undefined, XDG_CONFIG_HOME: config } });
    expect(result.code).toBe(125);
    expect(result.stderr).toContain('safedock: --pick chooses the preset on a terminal, but stdin is not a terminal');
    expect(result.stderr).toContain('Name the preset instead: safedock run --preset NAME');
    expect(await listContainers(caseLabel)).toEqual([]);
  });

  it('with CI set, refuses even on a terminal', async () => {
    const pty = runCliInPty(pickArgs(), { cwd: folder, env: { ...terminalEnv(), CI: 'true' } });
    const result = await pty.done;
    expect(result.code, result.text).toBe(125);
    expect(result.text).toContain(
      '--pick chooses the preset on a terminal, but CI is set (CI=true), and nobody is asked in CI',
    );
    expect(await listContainers(caseLabel)).toEqual([]);
  });
});
