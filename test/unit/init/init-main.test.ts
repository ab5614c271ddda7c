import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { screen } from '@inquirer/testing/vitest';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { InitOptions } from '../../../src/init/answers-from-flags.js';
import { initMain, type InitEnvironment } from '../../../src/init/init-main.js';
import { selectForRun } from '../../../src/presets/select.js';
import { presetsList } from '../../../src/presets/cli.js';
import { presetArgs } from '../../../src/presets/render.js';
import { scratch } from '../presets/helpers.js';

function capture(tty: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const stream = { isTTY: tty, write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => text };
}

function environment(cwd: string, env: NodeJS.ProcessEnv, tty: boolean) {
  const stdout = capture(tty);
  const stderr = capture(tty);
  const e: InitEnvironment = {
    io: { stdin: { isTTY: tty }, stdout: stdout.stream, stderr: stderr.stream },
    env,
    cwd,
    // @inquirer/testing draws the prompts on its own screen; the session only needs streams to own.
    openTerminal: () => ({ input: new PassThrough(), output: new PassThrough(), close: () => undefined }),
  };
  return { e, stdout: stdout.text, stderr: stderr.text };
}

const flags = (more: Partial<InitOptions> = {}): InitOptions => ({
  yes: false,
  force: false,
  port: [],
  writable: [],
  ...more,
});

function project(): { cwd: string; env: NodeJS.ProcessEnv } {
  const s = scratch();
  const cwd = join(s.root, 'shop');
  mkdirSync(cwd);
  return { cwd, env: s.env };
}

describe('safedock init --yes (every answer a flag)', () => {
  it('writes the project preset and the config; a run in the folder then uses them', async () => {
    const p = project();
    const { e, stdout } = environment(p.cwd, p.env, false);
    const code = await initMain(
      flags({ yes: true, preset: 'strict', port: ['8080:80'], user: '4242:4242', memory: '128m' }),
      e,
    );
    expect(code).toBe(0);
    expect(stdout()).toContain('Every `safedock run` here will apply, as docker run arguments');
    expect(stdout()).toContain('--memory 128m');
    expect(stdout()).toContain('Wrote .safedock/presets/shop.yaml and .safedock.yaml.');
    expect(readdirSync(p.cwd).sort()).toEqual(['.safedock', '.safedock.yaml']);
    expect(readdirSync(join(p.cwd, '.safedock/presets'))).toEqual(['shop.yaml']);

    const { preset } = await selectForRun(undefined, { cwd: join(p.cwd), env: p.env });
    expect(preset).toMatchObject({
      name: 'shop',
      source: 'project',
      chosenBy: `the project config ${join(p.cwd, '.safedock.yaml')}`,
    });
    expect(preset.settings.memory?.value).toBe('128m');
    expect(preset.settings.user?.value).toBe('4242:4242');
    // Inherited from strict, but the user in the settings wins (presetArgs and the merge skip it).
    expect(presetArgs(preset).filter((a) => a === '--user')).toHaveLength(1);
    expect(preset.settings['cap-drop']?.value).toEqual(['ALL']);
    const list = await presetsList({ cwd: p.cwd, env: p.env }, false);
    expect(list.stdout).toMatch(/\* shop\s+project\s+strict\s+.*shop\.yaml/);
    expect(list.stdout).toContain(`* default: shop, set by the project config ${join(p.cwd, '.safedock.yaml')}`);
  });

  it('with nothing to add, writes only the config naming the built-in', async () => {
    const p = project();
    const { e } = environment(p.cwd, p.env, false);
    expect(await initMain(flags({ yes: true, network: false }), e)).toBe(0);
    expect(readdirSync(p.cwd)).toEqual(['.safedock.yaml']);
    expect(parse(readFileSync(join(p.cwd, '.safedock.yaml'), 'utf8'))).toEqual({ preset: 'sandbox' });
  });

  it('refuses to replace existing files without --force, and changes nothing', async () => {
    const p = project();
    writeFileSync(join(p.cwd, '.safedock.yaml'), '# ours\npreset: none\naccept:\n  SD119: writes its cache\n');
    const { e, stderr } = environment(p.cwd, p.env, false);
    expect(await initMain(flags({ yes: true, memory: '1g' }), e)).toBe(1);
    expect(stderr()).toContain(
      `safedock: refused: .safedock.yaml already exists in ${p.cwd}, and safedock init replaces files only when told to; nothing was written`,
    );
    expect(stderr()).toContain('Add --force to replace them');
    expect(readdirSync(p.cwd)).toEqual(['.safedock.yaml']);
    expect(readFileSync(join(p.cwd, '.safedock.yaml'), 'utf8')).toBe(
      '# ours\npreset: none\naccept:\n  SD119: writes its cache\n',
    );
  });

  it("with --force sets preset: and keeps the config's other fields and comments", async () => {
    const p = project();
    writeFileSync(join(p.cwd, '.safedock.yaml'), '# ours\npreset: none\naccept:\n  SD119: writes its cache\n');
    const { e } = environment(p.cwd, p.env, false);
    expect(await initMain(flags({ yes: true, force: true, memory: '1g', name: 'api' }), e)).toBe(0);
    expect(readFileSync(join(p.cwd, '.safedock.yaml'), 'utf8')).toBe(
      '# ours\npreset: api\naccept:\n  SD119: writes its cache\n',
    );
  });

  it('reports a bad flag, naming it, and writes nothing', async () => {
    const p = project();
    const { e, stderr } = environment(p.cwd, p.env, false);
    expect(await initMain(flags({ yes: true, user: 'root' }), e)).toBe(1);
    expect(stderr()).toMatch(/^safedock: invalid argument "root" for --user: /);
    expect(await initMain(flags({ yes: true, preset: 'nope' }), e)).toBe(1);
    expect(stderr()).toContain('unknown preset "nope"');
    expect(readdirSync(p.cwd)).toEqual([]);
  });
});

describe('safedock init without --yes', () => {
  it('without a terminal: refused, naming the non-interactive form', async () => {
    const p = project();
    const { e, stderr } = environment(p.cwd, p.env, false);
    expect(await initMain(flags(), e)).toBe(1);
    expect(stderr()).toContain(
      'safedock: safedock init asks its questions on a terminal, but stdin is not a terminal; nothing was written',
    );
    expect(stderr()).toContain(
      'Give the answers as flags instead: safedock init --preset NAME --yes [--network | --no-network] [--port HOST:CONTAINER]...',
    );
    const ci = environment(p.cwd, { ...p.env, CI: '1' }, true);
    expect(await initMain(flags(), ci.e)).toBe(1);
    expect(ci.stderr()).toContain('but CI is set (CI=1), and nobody is asked in CI');
    expect(readdirSync(p.cwd)).toEqual([]);
  });

  it('the wizard: answers become files, the summary shows the docker run arguments first', async () => {
    const p = project();
    const { e, stdout } = environment(p.cwd, p.env, true);
    const done = initMain(flags(), e);
    await screen.next();
    expect(screen.getScreen()).toContain('Does the workload need the network');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain(
      'Ports its service publishes (only runs with --service use them), as HOST:CONTAINER',
    );
    screen.type('8080:80');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain('Publish them on which address?');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain('Does the software start as root');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toMatch(/Preset to build on:[\s\S]*strict \(proposed\)/);
    expect(screen.getScreen()).toContain('Proposed because the default for a networked service');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain(
      'Paths the software writes to, separated by commas (strict keeps the root filesystem read-only',
    );
    screen.type('/var/cache/shop');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain('Where does /var/cache/shop keep what is written?');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain(
      "Run as a fixed UID[:GID]? (a UID alone gets the same GID; empty: the image's own user, or 65534:65534 for images that would run as root)",
    );
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain('Memory limit');
    screen.type('1g');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain('CPUs');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain('Name of the project preset (and of the service with the ports):');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain('Write these files?');
    expect(stdout()).not.toContain('--publish');
    expect(stdout()).toContain('service         shop in .safedock.yaml: ports 127.0.0.1:8080:80');
    expect(stdout()).toContain('--tmpfs /var/cache/shop:rw,noexec,nosuid,nodev,size=64m');
    expect(existsSync(join(p.cwd, '.safedock.yaml'))).toBe(false);
    screen.keypress('enter');
    expect(await done).toBe(0);
    const preset = parse(readFileSync(join(p.cwd, '.safedock/presets/shop.yaml'), 'utf8')) as {
      settings: Record<string, { value: unknown }>;
    };
    expect(preset.settings.memory?.value).toBe('1g');
    expect(preset.settings).not.toHaveProperty('publish');
    expect(parse(readFileSync(join(p.cwd, '.safedock.yaml'), 'utf8'))).toEqual({
      preset: 'shop',
      services: { shop: { ports: ['127.0.0.1:8080:80'] } },
    });
  });

  it("shows an answer's problem under the question and asks again", async () => {
    const p = project();
    const { e } = environment(p.cwd, p.env, true);
    const done = initMain(flags(), e);
    await screen.next();
    screen.keypress('enter');
    await screen.next();
    screen.type('8080:http');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toMatch(/invalid/);
    screen.keypress({ name: 'c', ctrl: true });
    expect(await done).toBe(130);
  });

  it('a base given with --preset answers the network question by default (sandbox: no)', async () => {
    const p = project();
    const { e } = environment(p.cwd, p.env, true);
    const done = initMain(flags({ preset: 'sandbox' }), e);
    await screen.next();
    expect(screen.getScreen()).toMatch(/Does the workload need the network .*\(y\/N\)/);
    screen.keypress({ name: 'c', ctrl: true });
    expect(await done).toBe(130);
  });

  it('Ctrl-C at any question: exit 130, nothing written', async () => {
    const p = project();
    const { e, stderr } = environment(p.cwd, p.env, true);
    const done = initMain(flags({ network: false }), e);
    await screen.next();
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain('Does the software start as root');
    screen.keypress({ name: 'c', ctrl: true });
    expect(await done).toBe(130);
    expect(stderr()).toBe('safedock: cancelled; nothing was written.\n');
    expect(readdirSync(p.cwd)).toEqual([]);
  });

  it('asks before replacing an existing file (default no), and then writes nothing', async () => {
    const p = project();
    writeFileSync(join(p.cwd, '.safedock.yaml'), 'preset: none\n');
    const { e, stderr } = environment(p.cwd, p.env, true);
    const done = initMain(flags({ network: false }), e);
    // Each question in turn, answered with its default.
    const questions = [
      'Does the workload need the network',
      'Does the software start as root',
      'Preset to build on:',
      'Paths the software writes to',
      'Run as a fixed UID[:GID]?',
      'Memory limit',
      'CPUs',
    ];
    for (const question of questions) {
      await screen.next();
      expect(screen.getScreen()).toContain(question);
      screen.keypress('enter');
    }
    await screen.next();
    expect(screen.getScreen()).toContain('.safedock.yaml exists; set its preset: (its other fields are kept)?');
    screen.keypress('enter');
    expect(await done).toBe(1);
    expect(stderr()).toContain('safedock: nothing was written (.safedock.yaml was left as it is).');
    expect(readFileSync(join(p.cwd, '.safedock.yaml'), 'utf8')).toBe('preset: none\n');
  });
});
