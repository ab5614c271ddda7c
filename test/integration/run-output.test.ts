import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CLI_ENTRY,
  TEST_IMAGE,
  TEST_LABEL_ARGS,
  inspectContainer,
  listContainers,
  removeContainer,
  runCli,
  runProcess,
} from '../helpers/engine.js';

/**
 * What a run prints: stdout only what docker's would, safedock's notes one short line each on
 * stderr, silenced by -q or SAFEDOCK_QUIET=1 (never a refusal), and a report for scripts in
 * --json-file. Ports: -P under strict stays on 127.0.0.1. On the real engine.
 */
const APP_IMAGE = 'safedock-app-nginx';

let folder: string;
let caseLabel: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'safedock-output-'));
  caseLabel = `safedock.case=${randomUUID()}`;
});

afterEach(async () => {
  for (const c of await listContainers(caseLabel)) await removeContainer(c.Id);
  rmSync(folder, { recursive: true, force: true });
});

/** A script's environment: no terminal, no preset or policy from outside, nothing quiet unless asked. */
const env = (more: Record<string, string | undefined> = {}): Record<string, string | undefined> => ({
  SAFEDOCK_PRESET: undefined,
  SAFEDOCK_POLICY: undefined,
  SAFEDOCK_QUIET: undefined,
  XDG_CONFIG_HOME: join(folder, 'config'),
  ...more,
});

const run = (args: readonly string[], more: Record<string, string | undefined> = {}) =>
  runCli(['run', ...TEST_LABEL_ARGS, '--label', caseLabel, ...args], { cwd: folder, env: env(more) });

describe('stdout is what docker would print, notes are short lines on stderr', () => {
  it("stdout carries the container's output alone; each note is one line", async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const r = await run(['--rm', '-p', `${port}:80`, '--preset', 'compat', TEST_IMAGE, 'echo', 'hello']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('hello\n');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toEqual([
      `safedock: -p ${port}:80 is published on 127.0.0.1 only (preset compat)`,
      'safedock: accepted SD118, SD112 (every finding), SD119, SD155 by preset compat (presets/compat.yaml)',
    ]);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(100);
  });

  it('no port note when the network is none', async () => {
    const r = await run(['--rm', '--network', 'none', '-p', '8080:80', '-u', '1000', TEST_IMAGE, 'true']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe('-q and SAFEDOCK_QUIET=1', () => {
  const NOISY = ['--rm', '--preset', 'compat', '--memory', '0', TEST_IMAGE, 'echo', 'hello'];

  it('without them, the run has notes and a medium finding (the control)', async () => {
    const r = await run(NOISY);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('safedock: accepted SD118');
    expect(r.stderr).toContain('SD126');
  });

  it.each([
    ['-q', ['-q', ...NOISY], {}],
    ['--quiet', ['--quiet', ...NOISY], {}],
    ['SAFEDOCK_QUIET=1', NOISY, { SAFEDOCK_QUIET: '1' }],
  ] as const)('%s silences notes and low and medium findings: stderr is empty', async (_label, args, more) => {
    const r = await run(args, more);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hello\n');
  });

  it('the root note too', async () => {
    const r = await run(['-q', '--rm', TEST_IMAGE, 'true']);
    expect(r.stderr).toBe('');
    const loud = await run(['--rm', TEST_IMAGE, 'true']);
    expect(loud.stderr).toContain('safedock: the image runs as root; running it as 65534:65534 instead');
  });

  it('never the notice that a project preset replaces a built-in (a planted strict must be seen)', async () => {
    const file = join(folder, '.safedock', 'presets', 'strict.yaml');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, 'name: strict\nsummary: ours\nextends: strict\nsettings:\n  memory: { value: 256m }\n');
    for (const more of [{ SAFEDOCK_QUIET: '1' }, {}]) {
      const r = await run(['-q', '--rm', TEST_IMAGE, 'true'], more);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe(
        `safedock: preset strict is the project preset ${file}, not the built-in strict: a file of that name replaces the built-in (safedock presets list shows both)\n`,
      );
    }
  });

  it('never a refusal', async () => {
    const r = await run(['-q', '--rm', '--cap-add', 'SYS_ADMIN', TEST_IMAGE, 'true'], { CI: 'true' });
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('SD111');
    expect(r.stderr).toContain('safedock: refused: 1 high or critical finding not accepted');
    expect(await listContainers(caseLabel)).toEqual([]);
  });
});

interface Report {
  policy: { verdict: string; findings: { rule: string }[]; accepted: { rule: string }[] };
  notes: string[];
}

describe('--json-file: the report for scripts', () => {
  it('written to a file before the run, with the notes quiet kept off stderr', async () => {
    const file = join(folder, 'report.json');
    const r = await run(['-q', '--json-file', file, '--rm', '--preset', 'compat', TEST_IMAGE, 'echo', 'hello']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('hello\n');
    expect(r.stderr).toBe('');
    const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
    expect(report.policy.verdict).toBe('proceed');
    // One acceptance per finding (SD112 once per capability added).
    expect([...new Set(report.policy.accepted.map((a) => a.rule))]).toEqual(['SD118', 'SD112', 'SD119', 'SD155']);
    expect(report.notes).toEqual([]);
  });

  it('to a descriptor the shell opened, alongside the container output', async () => {
    const out = join(folder, 'fd3.json');
    const args = ['run', ...TEST_LABEL_ARGS, '--label', caseLabel, '--json-file', '/dev/fd/3', '--rm'];
    const r = await runProcess(
      'bash',
      ['-c', `"$0" "$@" 3>${JSON.stringify(out)}`, CLI_ENTRY, ...args, TEST_IMAGE, 'echo', 'hello'],
      { cwd: folder, env: env() },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('hello\n');
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(report.policy.verdict).toBe('proceed');
    expect(report.notes).toEqual(['the image runs as root; running it as 65534:65534 instead (-u chooses a user)']);
  });

  it('a refusal is reported too, and nothing is created', async () => {
    const file = join(folder, 'report.json');
    const r = await run(['--json-file', file, '--rm', '--cap-add', 'SYS_ADMIN', TEST_IMAGE, 'true'], { CI: 'true' });
    expect(r.code).toBe(125);
    const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
    expect(report.policy.verdict).toBe('refuse');
    expect(report.policy.findings.map((f) => f.rule)).toContain('SD111');
    expect(await listContainers(caseLabel)).toEqual([]);
  });

  it('--json without --dry-run is refused before anything is created, naming --json-file', async () => {
    const r = await run(['--json', '--rm', TEST_IMAGE, 'true']);
    expect(r.code).toBe(125);
    expect(r.stderr).toBe(
      "safedock: --json prints the plan of --dry-run (or explain) on stdout; a run's stdout is its container's\n" +
        "For a run's findings as JSON, add --json-file FILE (e.g. --json-file /dev/fd/3 with 3>report.json); for the plan, add --dry-run.\n\n" +
        "Run 'safedock run --help' for more information\n",
    );
    expect(await listContainers(caseLabel)).toEqual([]);
  });

  it('with --dry-run, the plan goes to the file and the text plan to stdout', async () => {
    const file = join(folder, 'plan.json');
    const r = await run(['--dry-run', '--json-file', file, TEST_IMAGE]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Plan \(dry run: nothing was created\)/);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty('request');
  });
});

interface PortsInspect {
  HostConfig: { PublishAllPorts: boolean; PortBindings: Record<string, { HostIp: string; HostPort: string }[]> };
  NetworkSettings: { Ports: Record<string, { HostIp: string; HostPort: string }[] | null> };
}

describe('-P under a preset that publishes on 127.0.0.1', () => {
  it("binds every exposed port (the image's and --expose's) to 127.0.0.1 on random host ports, and says so", async () => {
    const r = await run(['-d', '-P', '--expose', '9090/udp', '-u', '1000', APP_IMAGE, 'sleep', '30']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(
      'safedock: -P publishes 80/tcp, 9090/udp on 127.0.0.1 only, on random host ports (preset strict)\n',
    );
    const c = await inspectContainer<PortsInspect>(r.stdout.trim());
    expect(c?.HostConfig.PublishAllPorts).toBe(false);
    expect(c?.HostConfig.PortBindings).toEqual({
      '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }],
      '9090/udp': [{ HostIp: '127.0.0.1', HostPort: '' }],
    });
    // After the start: each port got a host port, on 127.0.0.1 only.
    const ports = c?.NetworkSettings.Ports ?? {};
    expect(Object.keys(ports).sort()).toEqual(['80/tcp', '9090/udp']);
    for (const bindings of Object.values(ports)) {
      expect(bindings?.map((b) => b.HostIp)).toEqual(['127.0.0.1']);
      expect(Number(bindings?.[0]?.HostPort)).toBeGreaterThan(0);
    }
  });

  it("under none, -P stays docker's: every interface, and SD125 says so", async () => {
    const r = await run(['-d', '-P', '--preset', 'none', '--policy', 'warn', APP_IMAGE, 'sleep', '30']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('SD125');
    const c = await inspectContainer<PortsInspect>(r.stdout.trim());
    expect(c?.HostConfig.PublishAllPorts).toBe(true);
  });
});
