import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/engine.js';

/** Every command and topic a user can ask help for. */
const HELP_ARGS: readonly string[][] = [
  ['--help'],
  ['help'],
  ['run', '--help'],
  ['explain', '--help'],
  ['init', '--help'],
  ['presets', '--help'],
  ['presets', 'list', '--help'],
  ['presets', 'show', '--help'],
  ['rules', '--help'],
  ['seccomp', '--help'],
  ['seccomp', 'check', '--help'],
  ['completion', '--help'],
  ['learn', '--help'],
  ['diagnose', '--help'],
  ['export', '--help'],
  ['help', 'export'],
  ['compose', 'harden', '--help'],
];

const longest = (text: string): number => Math.max(...text.split('\n').map((l) => l.length));

describe('errors in one voice', () => {
  it.each([
    [
      ['rnu'],
      1,
      "safedock: unknown command: safedock rnu\nDid you mean 'safedock run'?\n\nRun 'safedock --help' for more information\n",
    ],
    [
      ['presets', 'lst'],
      1,
      "safedock: unknown command: safedock presets lst\nDid you mean 'safedock presets list'?\n\nRun 'safedock presets --help' for more information\n",
    ],
    [
      ['help', 'presets', 'lsit'],
      1,
      "safedock: unknown command: safedock presets lsit\nDid you mean 'safedock presets list'?\n\nRun 'safedock presets --help' for more information\n",
    ],
    [
      ['rules', '--jsn'],
      125,
      "safedock: unknown flag: --jsn\nDid you mean --json?\n\nRun 'safedock rules --help' for more information\n",
    ],
    [
      ['presets', 'show', '--format', 'yml'],
      125,
      'safedock: invalid argument "yml" for "--format" flag: expected one of yaml, json, args\nDid you mean --format yaml?\n\n' +
        "Run 'safedock presets show --help' for more information\n",
    ],
    [
      ['presets', 'show', 'strcit'],
      125,
      'safedock: unknown preset "strcit"\nDid you mean strict? Choose one of: compat, none, sandbox, strict.\n\n' +
        "Run 'safedock presets show --help' for more information\n",
    ],
    [
      ['run', '--preset', 'strcit', 'img'],
      125,
      'safedock: unknown preset "strcit"\nDid you mean strict? Choose one of: compat, none, sandbox, strict.\n\n' +
        "Run 'safedock run --help' for more information\n",
    ],
    [['--bogus'], 125, "safedock: unknown flag: --bogus\nSee 'safedock --help'.\n"],
    [['--bogus', 'run', 'img'], 125, "safedock: unknown flag: --bogus\nSee 'safedock --help'.\n"],
    [
      ['explain'],
      1,
      "safedock: 'safedock explain' requires at least 1 argument\nUsage:  safedock explain [OPTIONS] IMAGE [COMMAND] [ARG...]\n" +
        "Name the image, e.g. safedock explain alpine echo hi. See 'safedock explain --help'.\n",
    ],
    [
      ['seccomp', 'check'],
      125,
      `safedock: "safedock seccomp check" requires 1 argument: FILE\n\nRun 'safedock seccomp check --help' for more information\n`,
    ],
    [
      ['rules', 'SD1188'],
      125,
      `safedock: "SD1188" is not a rule id; expected SD followed by three digits, e.g. SD118\nDid you mean SD118? safedock rules lists every rule.\n\nRun 'safedock rules --help' for more information\n`,
    ],
    [
      ['rules', 'SD999'],
      125,
      "safedock: there is no rule SD999; the rules are SD101 to SD308\nsafedock rules lists every rule.\n\nRun 'safedock rules --help' for more information\n",
    ],
    [
      ['run', '--accept', 'SD11', '--reason', 'x', 'img'],
      125,
      'safedock: invalid argument "SD11" for "--accept" flag: "SD11" is not a rule id; expected SD followed by three digits, e.g. SD118 (or ID:ITEM, e.g. SD111:NET_ADMIN)\n' +
        "Did you mean SD101? safedock rules lists every rule.\n\nRun 'safedock run --help' for more information\n",
    ],
  ])('safedock %j', async (args, code, stderr) => {
    // A folder with no project config and no user presets: the preset lists are the built-ins.
    const r = await runCli(args, { cwd: '/', env: { SAFEDOCK_PRESET: undefined, XDG_CONFIG_HOME: '/nonexistent' } });
    expect(r.stderr).toBe(stderr);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(code);
  });

  it("never prints oclif's own error style", async () => {
    for (const args of [
      ['nosuch'],
      ['rules', '-x'],
      ['presets', 'show', 'a', 'b'],
      ['init', '--port'],
      ['diagnose'],
      ['learn', '--probe', 'ftp:1', 'img'],
    ]) {
      const r = await runCli(args, { cwd: '/' });
      expect(r.stderr, args.join(' ')).toMatch(/^safedock: /);
      expect(r.stderr).not.toContain('›');
    }
  });
});

describe('version and help', () => {
  it('-h prints the help, as docker -h does', async () => {
    const short = await runCli(['-h']);
    expect(short.stdout).toBe((await runCli(['--help'])).stdout);
    expect(short.code).toBe(0);
  });

  it('-v and --version print the version as docker does', async () => {
    for (const flag of ['-v', '--version']) {
      const r = await runCli([flag]);
      expect(r.stdout).toMatch(/^safedock version \d+\.\d+\.\d+\n$/);
      expect(r.code).toBe(0);
    }
  });

  it('safedock help run prints exactly safedock run --help (and explain alike)', async () => {
    for (const command of ['run', 'explain', 'learn']) {
      const viaHelp = await runCli(['help', command]);
      const viaFlag = await runCli([command, '--help']);
      expect(viaHelp.stdout).toBe(viaFlag.stdout);
      expect(viaHelp.stdout).toMatch(new RegExp(`^Usage: {2}safedock ${command} \\[OPTIONS\\]`));
      expect(viaHelp.code).toBe(0);
    }
  });

  it('safedock help export prints exactly safedock export --help', async () => {
    for (const columns of [undefined, '60']) {
      const viaHelp = await runCli(['help', 'export'], { env: { COLUMNS: columns } });
      const viaFlag = await runCli(['export', '--help'], { env: { COLUMNS: columns } });
      expect(viaHelp.stdout).toBe(viaFlag.stdout);
      expect(viaHelp.stdout).toMatch(/^Usage: {2}safedock export --format /);
      expect(viaHelp.stdout).toContain('--from-container name');
      expect(viaHelp.code).toBe(0);
    }
  });

  it('every help fits 80 columns when stdout is not a terminal', async () => {
    for (const args of HELP_ARGS) {
      const r = await runCli(args, { env: { COLUMNS: undefined } });
      expect(r.code, args.join(' ')).toBe(0);
      expect(longest(r.stdout), args.join(' ')).toBeLessThanOrEqual(80);
    }
  });

  it('every help honours COLUMNS', async () => {
    for (const args of HELP_ARGS) {
      const r = await runCli(args, { env: { COLUMNS: '60' } });
      expect(longest(r.stdout), args.join(' ')).toBeLessThanOrEqual(60);
    }
    const wide = await runCli(['run', '--help'], { env: { COLUMNS: '200' } });
    expect(longest(wide.stdout)).toBeGreaterThan(100);
  });
});
