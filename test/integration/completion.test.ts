import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ENTRY, REPO_ROOT, runCli, runProcess } from '../helpers/engine.js';

/**
 * The completion scripts loaded in the real shells (bash, zsh and fish; .ci/run installs the
 * last two), asking for completions as each shell would, with `safedock` on the PATH and the
 * shell in a project folder that has a preset of its own.
 */
let root: string;
let project: string;
let env: Record<string, string | undefined>;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'safedock-completion-'));
  const bin = join(root, 'bin');
  mkdirSync(bin);
  symlinkSync(CLI_ENTRY, join(bin, 'safedock'));
  project = join(root, 'project');
  mkdirSync(join(project, '.safedock', 'presets'), { recursive: true });
  writeFileSync(join(project, '.safedock.yaml'), 'preset: web\n');
  writeFileSync(
    join(project, '.safedock', 'presets', 'web.yaml'),
    'name: web\nsummary: the web preset\nextends: strict\n',
  );
  writeFileSync(join(project, 'app.env'), 'A=1\n');
  env = {
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    XDG_CONFIG_HOME: join(root, 'config'),
    SAFEDOCK_PRESET: undefined,
  };
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Runs a script in a shell, in the project folder. */
async function shell(name: 'bash' | 'zsh' | 'fish', args: string[], script: string): Promise<string> {
  const r = await runProcess(name, [...args, '-c', script], { cwd: project, env });
  expect(r.stderr, `${name} stderr`).toBe('');
  expect(r.code, r.stdout).toBe(0);
  return r.stdout;
}

describe('safedock completion', () => {
  it('prints each script as shipped, and refuses another shell', async () => {
    for (const [name, file] of [
      ['bash', 'safedock.bash'],
      ['zsh', '_safedock'],
      ['fish', 'safedock.fish'],
    ] as const) {
      const r = await runCli(['completion', name]);
      expect(r.stdout).toBe(readFileSync(join(REPO_ROOT, 'completion', file), 'utf8'));
      expect(r.code).toBe(0);
    }
    const bad = await runCli(['completion', 'tcsh']);
    expect(bad.stderr).toMatch(/^safedock: invalid argument "tcsh"|^safedock: .*tcsh/);
    expect(bad.code).toBe(125);
  });
});

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'completion');
const BASH_COMP = `source ${join(FIXTURES, 'comp.bash')}`;

describe('bash', () => {
  it('registers the completion for safedock', async () => {
    const out = await shell('bash', [], `${BASH_COMP}\ncomplete -p safedock`);
    expect(out).toBe('complete -F _safedock_complete safedock\n');
  });

  it('completes commands, topics, flags, their values, presets of this folder and rule ids', async () => {
    const lines = [
      'safedock ',
      'safedock presets ',
      'safedock presets show ',
      'safedock run --pre',
      'safedock run --preset w',
      'safedock run --network=',
      'safedock run --network=h',
      'safedock run --cap-add NET_BI',
      'safedock rules SD11',
      'safedock run --env-file app',
      'safedock explain --rm img ap',
      'safedock export --format k',
      'safedock --context X run --pre',
      'safedock -H unix:///var/run/docker.sock run --preset w',
      'safedock --config /tmp --tlsverify presets s',
    ];
    const out = await shell('bash', [], `${BASH_COMP}\n${lines.map((l) => `comp '${l}'`).join('\n')}`);
    expect(out.split('--\n').map((block) => block.trim().split('\n'))).toEqual([
      [
        'audit',
        'completion',
        'compose',
        'diagnose',
        'explain',
        'export',
        'help',
        'init',
        'learn',
        'presets',
        'rules',
        'run',
        'seccomp',
      ],
      ['list', 'show'],
      ['compat', 'none', 'sandbox', 'strict', 'web'],
      ['--preset'],
      ['web'],
      ['=bridge', '=host', '=none'],
      ['host'],
      ['NET_BIND_SERVICE'],
      ['SD110', 'SD111', 'SD112', 'SD113', 'SD114', 'SD115', 'SD116', 'SD117', 'SD118', 'SD119'],
      ['app.env'],
      ['app.env'],
      ['k8s'],
      ['--preset'],
      ['web'],
      ['show'],
      [''],
    ]);
  });
});

describe('zsh', () => {
  const ZSH_COMP = `source ${join(FIXTURES, 'comp.zsh')}`;

  it('registers the completion and offers what safedock prints, descriptions beside', async () => {
    const out = await shell(
      'zsh',
      ['-f'],
      `${ZSH_COMP}
comp safedock presets ''
comp safedock run --preset ''
comp safedock run --security-opt seccomp
comp safedock init --address ::
comp safedock seccomp check ''`,
    );
    expect(out.split('\n')).toEqual([
      'registered: _safedock',
      'list:List the presets: built-in, user and project, and which one a run uses by default.|show:Print a preset resolved over the presets it extends, as YAML, JSON or docker run arguments.',
      'compat|none|sandbox|strict|web',
      'seccomp=unconfined',
      'seccomp= -S',
      '\\:\\:1|\\:\\:',
      'files ',
      '',
    ]);
  });
});

describe('fish', () => {
  it('completes with descriptions, as fish asks', async () => {
    const out = await shell(
      'fish',
      [],
      `safedock completion fish | source
complete -C 'safedock presets '
echo ===
complete -C 'safedock run --preset '
echo ===
complete -C 'safedock run --network='
echo ===
complete -C 'safedock run --env-file app'`,
    );
    expect(out.split('===\n')).toEqual([
      'list\tList the presets: built-in, user and project, and which one a run uses by default.\nshow\tPrint a preset resolved over the presets it extends, as YAML, JSON or docker run arguments.\n',
      'compat\nnone\nsandbox\nstrict\nweb\n',
      '--network=bridge\n--network=host\n--network=none\n',
      'app.env\n',
    ]);
  });
});
