import { existsSync, readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { screen } from '@inquirer/testing/vitest';
import { describe, expect, it } from 'vitest';
import { parseRunArgv } from '../../../src/docker-cli/parse-argv.js';
import type { ImageFacts } from '../../../src/engine/engine.js';
import { UsageError } from '../../../src/errors.js';
import type { ImageLookup } from '../../../src/pick/image-lookup.js';
import { pickPreset, type PickContext } from '../../../src/pick/pick-preset.js';
import { PromptCancelled, PromptSession } from '../../../src/prompt/session.js';
import { pickForRun } from '../../../src/pick/run-picker.js';
import { presetYaml, scratch } from '../presets/helpers.js';
import { convertUserFlags } from '../../../src/run/pipeline.js';
import type { ParsedRun } from '../../../src/docker-cli/parsed-run.js';
import type { RunEnvironment } from '../../../src/run/run-environment.js';

/** Your flags converted, as prepare hands them to the picker. */
const withUser = (parsed: ParsedRun) => ({ parsed, user: convertUserFlags(parsed, { env: {}, cwd: '/' }).user });
/** --pick as a run reaches it: your flags are converted first (their errors come before any question). */
const pickWith = async (parsed: ParsedRun, environment: RunEnvironment): Promise<string> =>
  pickForRun(parsed, withUser(parsed).user, environment);

const rootImage: ImageFacts = { id: 'sha256:1', user: '', volumes: [], exposedPorts: [] };
const found = (image: ImageFacts | undefined, note?: string) => (): Promise<ImageLookup> =>
  Promise.resolve({ image, apiVersion: '1.41', note });

async function session(): Promise<PromptSession> {
  // @inquirer/testing replaces these streams with its own screen; the session needs some to own.
  return PromptSession.open(
    { input: new PassThrough(), output: new PassThrough(), close: () => undefined },
    'nothing was created',
  );
}

/** A project with a config (and a comment to keep), one project preset and one user preset. */
function project(config = '# the team default\npreset: strict\n'): {
  cwd: string;
  env: NodeJS.ProcessEnv;
  config: string;
} {
  const s = scratch();
  s.write(
    'config/safedock/presets/mine.yaml',
    presetYaml('mine', 'extends: strict\nsettings:\n  memory: { value: 2g }\n'),
  );
  s.write(
    'work/.safedock/presets/web.yaml',
    presetYaml(
      'web',
      'extends: strict\nsettings:\n  memory: { value: 128m, reason: small }\n  publish: { value: ["127.0.0.1:9000:9000"] }\n',
    ),
  );
  const file = s.write('work/.safedock.yaml', config);
  return { cwd: join(s.root, 'work'), env: s.env, config: file };
}

function context(p: { cwd: string; env: NodeJS.ProcessEnv }, overrides: Partial<PickContext> = {}): PickContext {
  return { env: p.env, cwd: p.cwd, mode: 'ask', flagAccepts: [], lookupImage: found(rootImage), ...overrides };
}

describe('safedock run --pick: the picker', () => {
  it('lists every preset with its source, marks the default, and previews the highlighted one for this run', async () => {
    const p = project();
    const chosen = pickPreset(withUser(parseRunArgv(['-p', '8080:80', 'img'])), context(p), await session());
    await screen.next();
    const first = screen.getScreen();
    expect(first).toContain('Preset for this run of img (* strict: set by .safedock.yaml)');
    expect(first).toMatch(/sandbox\s+built-in\s+For untrusted code/);
    expect(first).toMatch(/strict \*\s+built-in\s+The default\./);
    expect(first).toMatch(/mine\s+user\s+test preset mine/);
    expect(first).toMatch(/web\s+project\s+test preset web/);
    // strict is highlighted (the current default), and previewed for this image and these flags.
    expect(first).toContain('What strict (built-in, presets/strict.yaml) does to this run of img:');
    expect(first).toMatch(/user\s+65534:65534\s+\[image tailoring\]/);
    expect(first).toMatch(/capabilities\s+none \(all dropped\)\s+\[preset strict\]/);
    expect(first).toMatch(/new privileges\s+blocked \(no-new-privileges\)/);
    expect(first).toMatch(/seccomp\s+profile strict\.json\s+\[preset strict\]/);
    expect(first).toMatch(/root filesystem\s+read-only; tmpfs \/tmp/);
    expect(first).toMatch(/limits\s+memory 512m, cpus 1, pids 256/);
    expect(first).toMatch(/network\s+safedock \(containers kept apart\)\s+\[preset strict\]/);
    expect(first).toMatch(/ports\s+127\.0\.0\.1:8080 -> 80\/tcp\s+\[preset strict\]/);
    expect(first).toMatch(/Policy ask: the run goes ahead/);

    screen.keypress('up');
    const sandbox = screen.getScreen();
    expect(sandbox).toContain('What sandbox (built-in, presets/sandbox.yaml) does to this run of img:');
    expect(sandbox).toMatch(/network\s+none \(loopback only\)\s+\[preset sandbox\]/);
    expect(sandbox).toMatch(/limits\s+memory 256m, cpus 0\.5, pids 64/);

    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain(`Save sandbox as the default preset for runs in ${p.cwd} (in ${p.config})?`);
    screen.type('n');
    screen.keypress('enter');
    await expect(chosen).resolves.toBe('sandbox');
    expect(readFileSync(p.config, 'utf8')).toBe('# the team default\npreset: strict\n');
  });

  it('shows the findings a preset would raise, and the preview of none says so', async () => {
    const p = project();
    const chosen = pickPreset(withUser(parseRunArgv(['img'])), context(p), await session());
    await screen.next();
    for (let i = 0; i < 2; i++) {
      screen.keypress('down');
    }
    const none = screen.getScreen();
    expect(none).toContain('What none (built-in, presets/none.yaml) does to this run of img:');
    expect(none).toMatch(/user\s+root \(the image's default\)\s+\[the image\]/);
    expect(none).toMatch(/capabilities\s+docker's default set/);
    expect(none).toMatch(/Findings:\n\s+(CRITICAL|HIGH|MEDIUM|LOW)/);
    expect(none).toMatch(/SD118/);
    expect(none).toMatch(/Policy ask: the run asks you before it starts/);
    screen.keypress({ name: 'c', ctrl: true });
    await expect(chosen).rejects.toBeInstanceOf(PromptCancelled);
  });

  it('saves the choice as the project default when asked to, keeping the rest of the config', async () => {
    const p = project('# the team default\npreset: strict # reviewed\naccept:\n  SD119: writes its cache\n');
    const chosen = pickPreset(withUser(parseRunArgv(['img'])), context(p), await session());
    await screen.next();
    for (let i = 0; i < 3; i++) {
      screen.keypress('down');
    }
    expect(screen.getScreen()).toContain('What mine (user,');
    screen.keypress('down');
    expect(screen.getScreen()).toContain('What web (project,');
    expect(screen.getScreen()).toMatch(/ports\s+127\.0\.0\.1:9000 -> 9000\/tcp\s+\[preset web\]/);
    screen.keypress('enter');
    await screen.next();
    screen.type('y');
    screen.keypress('enter');
    await expect(chosen).resolves.toBe('web');
    expect(readFileSync(p.config, 'utf8')).toBe(
      '# the team default\npreset: web # reviewed\naccept:\n  SD119: writes its cache\n',
    );
  });

  it('creates a project config in the working directory when there is none, and warns about user presets', async () => {
    const s = scratch();
    s.write('config/safedock/presets/mine.yaml', presetYaml('mine', 'extends: strict\n'));
    s.write('work/keep', '');
    const cwd = join(s.root, 'work');
    const chosen = pickPreset(withUser(parseRunArgv(['img'])), context({ cwd, env: s.env }), await session());
    await screen.next();
    expect(screen.getScreen()).toContain('(* strict: the built-in default)');
    for (let i = 0; i < 3; i++) {
      screen.keypress('down');
    }
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain(
      `(in a new ${join(cwd, '.safedock.yaml')}; it is one of your user presets, so others working here need it too)?`,
    );
    screen.type('y');
    screen.keypress('enter');
    await expect(chosen).resolves.toBe('mine');
    expect(readFileSync(join(cwd, '.safedock.yaml'), 'utf8')).toMatch(
      /^# safedock project config[\s\S]*\npreset: mine\n$/,
    );
  });

  it('does not ask to save the preset that already is the project default', async () => {
    const p = project();
    const chosen = pickPreset(withUser(parseRunArgv(['img'])), context(p), await session());
    await screen.next();
    screen.keypress('enter');
    await expect(chosen).resolves.toBe('strict');
  });

  it('says when the image could not be inspected, and previews without it', async () => {
    const p = project();
    const s = await session();
    const said: string[] = [];
    s.say = (text: string): void => void said.push(text);
    const chosen = pickPreset(
      withUser(parseRunArgv(['img'])),
      context(p, {
        lookupImage: found(
          undefined,
          'no engine answered (connect ENOENT); the previews assume the image runs as root',
        ),
      }),
      s,
    );
    await screen.next();
    expect(said).toContain('safedock: no engine answered (connect ENOENT); the previews assume the image runs as root');
    expect(screen.getScreen()).toMatch(/user\s+65534:65534\s+\[image tailoring\]/);
    screen.keypress('enter');
    await expect(chosen).resolves.toBe('strict');
  });

  it('offers no broken preset, and says why', async () => {
    const p = project();
    const s = scratch();
    const broken = s.write('config/safedock/presets/bad.yaml', presetYaml('bad', 'extends: nowhere\n'));
    const said: string[] = [];
    const ses = await session();
    ses.say = (text: string): void => void said.push(text);
    const chosen = pickPreset(withUser(parseRunArgv(['img'])), context({ cwd: p.cwd, env: s.env }), ses);
    await screen.next();
    expect(said.join('\n')).toContain(`safedock: preset bad is not offered: preset ${broken}`);
    expect(screen.getScreen()).toMatch(/bad\s+user\s+test preset bad.*\n?.*\(cannot be used: see above\)/);
    screen.keypress({ name: 'c', ctrl: true });
    await expect(chosen).rejects.toMatchObject({ exitCode: 130, message: 'cancelled; nothing was created.' });
  });

  it('Ctrl-C at the save question cancels: nothing is saved, nothing runs', async () => {
    const p = project();
    const chosen = pickPreset(withUser(parseRunArgv(['img'])), context(p), await session());
    await screen.next();
    screen.keypress('up');
    screen.keypress('enter');
    await screen.next();
    screen.keypress({ name: 'c', ctrl: true });
    await expect(chosen).rejects.toMatchObject({ exitCode: 130 });
    expect(readFileSync(p.config, 'utf8')).toBe('# the team default\npreset: strict\n');
  });
});

describe('safedock run --pick without a terminal', () => {
  const io = (stdin: boolean, stderr: boolean) =>
    ({ stdin: { isTTY: stdin }, stdout: process.stdout, stderr: { isTTY: stderr } }) as never;
  it.each([
    [false, true, {}, 'stdin is not a terminal'],
    [true, false, {}, 'stderr is not a terminal'],
    [true, true, { CI: 'true' }, 'CI is set (CI=true), and nobody is asked in CI'],
  ])('stdin tty %s, stderr tty %s, env %j: refused, naming --preset', async (stdin, stderr, env, why) => {
    const run = pickWith(parseRunArgv(['--pick', 'img']), { io: io(stdin, stderr), env, cwd: '/' });
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toMatchObject({
      exitCode: 125,
      message: `--pick chooses the preset on a terminal, but ${why}`,
    });
    await expect(run).rejects.toHaveProperty('hint', expect.stringContaining('safedock run --preset NAME'));
  });

  it('refuses --pick with --preset, and bad flags before any question', async () => {
    const io = { stdin: { isTTY: true }, stdout: process.stdout, stderr: { isTTY: true } } as never;
    await expect(
      pickWith(parseRunArgv(['--pick', '--preset', 'strict', 'img']), { io, env: {}, cwd: '/' }),
    ).rejects.toThrow('--pick and --preset strict both choose the preset');
    await expect(
      pickWith(parseRunArgv(['--pick', '--memory', '12q', 'img']), { io, env: {}, cwd: '/' }),
    ).rejects.toThrow(/invalid argument "12q" for "-m, --memory" flag/);
    expect(existsSync('/.safedock.yaml')).toBe(false);
  });
});
