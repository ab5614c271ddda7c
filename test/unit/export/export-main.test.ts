/**
 * safedock export's command line without an engine: the plan is made from the arguments alone (as
 * --dry-run does), the document goes to stdout, the losses to stderr, and --strict-export refuses.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { exportMain } from '../../../src/cli/export-main.js';
import { renderExportHelp } from '../../../src/export/export-help.js';
import type { RunIO } from '../../../src/engine/run-container.js';

async function run(
  argv: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: '', err: '' };
  stdout.on('data', (c: Buffer) => (chunks.out += c.toString()));
  stderr.on('data', (c: Buffer) => (chunks.err += c.toString()));
  const io = { stdin: new PassThrough(), stdout, stderr } as unknown as RunIO;
  const env = { HOME: '/nonexistent', DOCKER_HOST: 'unix:///nonexistent/docker.sock', CI: 'true', ...options.env };
  const code = await exportMain(argv, { io, env, cwd: options.cwd ?? '/' });
  return { code, stdout: chunks.out, stderr: chunks.err };
}

const temp = mkdtempSync(join(tmpdir(), 'safedock-export-main-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** A project folder whose .safedock.yaml names a project preset with a value docker refuses (line 4). */
function brokenProject(): string {
  const dir = mkdtempSync(join(temp, 'project-'));
  mkdirSync(join(dir, '.safedock', 'presets'), { recursive: true });
  writeFileSync(join(dir, '.safedock.yaml'), 'preset: mine\n');
  writeFileSync(
    join(dir, '.safedock', 'presets', 'mine.yaml'),
    'name: mine\nextends: strict\nsettings:\n  memory:\n    value: lots\n    reason: testing\n',
  );
  return dir;
}

describe('safedock export (no engine)', () => {
  it('writes the Kubernetes manifest to stdout and the losses to stderr', async () => {
    const r = await run(['--format', 'k8s', '-u', '1000:1000', 'img']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('kind: Deployment');
    expect(r.stderr).toContain('no engine answered');
    expect(r.stderr).toContain('Kubernetes cannot carry these settings');
    expect(r.stderr).toContain(
      "--pids-limit=256: Kubernetes has no per-container pids limit; set the kubelet's podPidsLimit",
    );
    // The profile is named where it is, not lost.
    expect(r.stderr).toMatch(/names the seccomp profile \/.*seccomp\/strict\.json/);
  });

  it('--strict-export refuses, naming each loss', async () => {
    const r = await run(['--format', 'k8s', '--strict-export', '-u', '1000:1000', 'img']);
    expect(r.code).toBe(125);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Kubernetes cannot carry \d+ setting\(s\) of this run \(--strict-export\)/);
  });

  it('refuses an unaccepted high finding in a script, as run does', async () => {
    const r = await run(['--format', 'compose', '-v', '/var/run/docker.sock:/var/run/docker.sock', 'img']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('SD102');
    expect(r.stderr).toContain('nothing was written.');
    expect(r.stderr).not.toContain('nothing was created');
    expect(r.stdout).toBe('');
    const accepted = await run([
      '--format',
      'compose',
      '--accept',
      'SD102:/var/run/docker.sock:/var/run/docker.sock',
      '--reason',
      'ci agent',
      '-v',
      '/var/run/docker.sock:/var/run/docker.sock',
      'img',
    ]);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toContain('io.safedock.accepted.SD102');
  });

  it('records where warn came from in the warned label, as run does', async () => {
    const flag = await run(['--format', 'args', '--policy', 'warn', '--cap-add', 'NET_ADMIN', 'img']);
    expect(flag.code, flag.stderr).toBe(0);
    expect(flag.stdout).toContain('"from":"--policy"');
    expect(flag.stderr).toContain('running under --policy warn (from --policy) with SD111:NET_ADMIN not accepted');
    const env = await run(['--format', 'args', '--cap-add', 'NET_ADMIN', 'img'], { env: { SAFEDOCK_POLICY: 'warn' } });
    expect(env.code, env.stderr).toBe(0);
    expect(env.stdout).toContain('"from":"SAFEDOCK_POLICY"');
  });

  it('needs an image or a container, not both', async () => {
    expect((await run(['--format', 'args'])).stderr).toContain(
      "'safedock export' needs an IMAGE or --from-container NAME",
    );
    expect((await run(['--format', 'args', '--from-container', 'x', 'img'])).stderr).toContain('not both');
    expect((await run(['--format', 'args', '--kind', 'pod', 'img'])).stderr).toContain(
      '--kind and --seccomp apply to --format k8s only',
    );
  });

  it('prints its help, within 80 columns in a pipe and within COLUMNS', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--strict-export');
    expect(r.stdout).toContain('--from-container name');
    expect(r.stdout).toBe(renderExportHelp(80));
    expect(Math.max(...r.stdout.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
    const narrow = await run(['--help'], { env: { COLUMNS: '50' } });
    expect(narrow.stdout).toBe(renderExportHelp(50));
    expect(Math.max(...narrow.stdout.split('\n').map((l) => l.length))).toBeLessThanOrEqual(50);
  });

  it("names the project preset's file and line, as run does", async () => {
    const dir = brokenProject();
    const r = await run(['--format', 'compose', 'img'], { cwd: dir });
    expect(r.code).toBe(125);
    expect(r.stderr).toContain(`preset ${join(dir, '.safedock', 'presets', 'mine.yaml')}:4: settings.memory:`);
  });

  it("takes -q as export's own quiet, not as a run option it cannot carry", async () => {
    for (const argv of [
      ['--format', 'compose', '-q', 'img'],
      ['--format', 'args', '--quiet', 'img'],
    ]) {
      const r = await run(argv);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toContain('--quiet');
      expect(r.stdout).not.toMatch(/quiet|\s-q\b/);
    }
  });

  it('-q and SAFEDOCK_QUIET silence the notes, never what the target cannot carry', async () => {
    const out = mkdtempSync(join(temp, 'out-'));
    const loud = await run(['--format', 'k8s', '-u', '1000:1000', '-o', out, 'img']);
    expect(loud.stderr).toContain('safedock: wrote ');
    for (const quiet of [
      await run(['--format', 'k8s', '-q', '-u', '1000:1000', '-o', out, 'img']),
      await run(['--format', 'k8s', '-u', '1000:1000', '-o', out, 'img'], { env: { SAFEDOCK_QUIET: '1' } }),
    ]) {
      expect(quiet.code, quiet.stderr).toBe(0);
      expect(quiet.stderr).not.toContain('safedock: wrote ');
      expect(quiet.stderr).toContain('Kubernetes cannot carry these settings');
    }
  });

  it("writes the args format's run.sh executable, its profile not", async () => {
    const out = mkdtempSync(join(temp, 'args-'));
    const r = await run(['--format', 'args', '-u', '1000:1000', '-o', out, 'img']);
    expect(r.code, r.stderr).toBe(0);
    writeFileSync(join(temp, 'probe'), '', { mode: 0o777 });
    expect(statSync(join(out, 'run.sh')).mode & 0o777).toBe(statSync(join(temp, 'probe')).mode & 0o777);
    expect(statSync(join(out, 'run.sh')).mode & 0o100).toBe(0o100);
    expect(statSync(join(out, 'strict.json')).mode & 0o111).toBe(0);
  });
});
