/**
 * safedock compose harden's command line without an engine: what it says on stderr (findings by
 * service, refusals and how to accept, notes), and the files it writes.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { composeHardenMain, type HardenOptions } from '../../../src/cli/compose-harden-main.js';
import type { RunIO } from '../../../src/engine/run-container.js';

const temp = mkdtempSync(join(tmpdir(), 'safedock-harden-main-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** A project folder holding compose.yaml with this text (and the given files). */
function project(compose: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(temp, 'project-'));
  writeFileSync(join(dir, 'compose.yaml'), compose);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function harden(
  dir: string,
  options: Partial<HardenOptions> = {},
  env: Record<string, string> = {},
): Promise<{ code: number; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const io = { stdin: new PassThrough(), stdout, stderr } as unknown as RunIO;
  const code = await composeHardenMain(
    { file: undefined, output: undefined, preset: undefined, accept: [], reason: [], policy: undefined, ...options },
    {
      io,
      env: { HOME: '/nonexistent', DOCKER_HOST: 'unix:///nonexistent/docker.sock', CI: 'true', ...env },
      cwd: dir,
    },
  );
  return { code, stderr: err };
}

const SOCKET_MOUNT = 'SD102:/var/run/docker.sock:/var/run/docker.sock';

describe('safedock compose harden (no engine)', () => {
  it("names the project preset's file and line, as run does", async () => {
    const dir = project('services:\n  web:\n    image: img\n', {
      '.safedock.yaml': 'preset: mine\n',
      '.safedock/presets/mine.yaml':
        'name: mine\nextends: strict\nsettings:\n  memory:\n    value: lots\n    reason: testing\n',
    });
    const r = await harden(dir);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain(`preset ${join(dir, '.safedock', 'presets', 'mine.yaml')}:4: settings.memory:`);
    expect(readdirSync(dir)).not.toContain('compose.safedock.yaml');
  });

  it('-q and SAFEDOCK_QUIET silence the notes and low findings, never a refusal', async () => {
    const dir = project('services:\n  web:\n    image: img\n');
    const loud = await harden(dir);
    expect(loud.code, loud.stderr).toBe(0);
    expect(loud.stderr).toContain('service web (preset strict)');
    expect(loud.stderr).toContain('SD155');
    expect(loud.stderr).toContain('safedock: wrote ');
    for (const quiet of [await harden(dir, { quiet: true }), await harden(dir, {}, { SAFEDOCK_QUIET: '1' })]) {
      expect(quiet.code, quiet.stderr).toBe(0);
      // The engine's absence is not a note: what was judged without it is said still.
      expect(quiet.stderr.replace(/^safedock: no engine answered.*\n/m, '')).toBe('');
    }
    const risky = project(
      'services:\n  agent:\n    image: img\n    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]\n',
    );
    const refused = await harden(risky, { quiet: true });
    expect(refused.code).toBe(125);
    expect(refused.stderr).toContain('service agent (preset strict)');
    expect(refused.stderr).toContain('CRITICAL');
    expect(refused.stderr).not.toContain('SD155');
    expect(refused.stderr).toContain('service agent refused');
    expect(refused.stderr).toContain('nothing was written');
  });

  it('a refusal names each finding by its full key, and says a file cannot accept a critical one', async () => {
    const dir = project(
      'services:\n  agent:\n    image: img\n    user: "0"\n    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]\n',
    );
    const r = await harden(dir);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain(`service agent refused: ${SOCKET_MOUNT}, SD118 not accepted.`);
    expect(r.stderr).toContain(`on the command line:  --accept ${SOCKET_MOUNT} --accept SD118 --reason`);
    expect(r.stderr).not.toMatch(/--accept SD102 /);
    // Only the high finding is offered to the file; the critical one is said to need the command line.
    expect(r.stderr).toContain('in compose.yaml:      under services.agent, x-safedock: {accept: { SD118: "why" }}');
    expect(r.stderr).not.toMatch(/x-safedock: \{accept: \{[^}]*SD102/);
    expect(r.stderr).toContain(
      `(${SOCKET_MOUNT} is critical: no file (compose.yaml's x-safedock, .safedock.yaml or a preset) can accept it; change the setting, or accept it with --accept on the command line)`,
    );
    expect(r.stderr).toContain('nothing was written');

    // The ways it names work: the critical one by its key on the command line, the high one in the file.
    writeFileSync(
      join(dir, 'compose.yaml'),
      'services:\n  agent:\n    image: img\n    user: "0"\n    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]\n    x-safedock: {accept: {SD118: "the agent needs root"}}\n',
    );
    const accepted = await harden(dir, { accept: [SOCKET_MOUNT], reason: ['ci agent'] });
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(readFileSync(join(dir, 'compose.safedock.yaml'), 'utf8')).toContain('io.safedock.accepted.SD102');
  });

  it("writes a shared profile once, and SD155's fix speaks of the compose file", async () => {
    const dir = project('services:\n  web:\n    image: img\n  worker:\n    image: img\n');
    const r = await harden(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`safedock: wrote ${join(dir, 'compose.safedock.yaml')}, ${join(dir, 'strict.json')}\n`);
    expect(r.stderr).toContain(
      "fix: Give the service a network of its own in the compose file: name it under the service's `networks:`",
    );
    expect(r.stderr).not.toContain('--network NAME');
    // A service without networks: joins the project's default network, not docker's default bridge.
    const flat = r.stderr.replace(/\s+/g, ' ');
    expect(flat).toContain("no network is named, so the service joins the project's default network");
    expect(flat).not.toContain("docker's default bridge, where");
  });
});

describe('compose harden judges what docker-compose will run', () => {
  it.each([
    [
      'a merge key',
      'x-base: &base\n  privileged: true\nservices:\n  web:\n    <<: *base\n    image: img\n',
      {},
      'SD101',
    ],
    [
      'a default in an interpolation',
      'services:\n  web:\n    image: img\n    privileged: ${PRIV:-true}\n',
      {},
      'SD101',
    ],
    [
      'a variable from .env',
      'services:\n  web:\n    image: img\n    volumes: ["${SOCK}:/var/run/docker.sock"]\n',
      { '.env': 'SOCK=/var/run/docker.sock\n' },
      'SD102',
    ],
  ])('%s: refused for what it brings in', async (_, compose, files, rule) => {
    const dir = project(compose, files);
    const r = await harden(dir);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain(rule);
  });

  it('the environment wins over .env, and $$ is a dollar', async () => {
    const dir = project(
      'services:\n  web:\n    image: img\n    privileged: ${PRIV:-true}\n    command: echo $$HOME\n',
      {
        '.env': 'PRIV=true\n',
      },
    );
    const r = await harden(dir, { policy: 'warn' }, { PRIV: 'false', CI: '' });
    expect(r.stderr).not.toContain('SD101');
  });

  it.each([
    ['extends', 'services:\n  web:\n    image: img\n    extends: {file: base.yaml, service: base}\n'],
    [
      'configs',
      'services:\n  web:\n    image: img\n    configs: [{source: c, target: /c}]\nconfigs:\n  c: {file: /etc/shadow}\n',
    ],
    ['an unknown key', 'services:\n  web:\n    image: img\n    uts: host\n'],
  ])('%s cannot be judged: refused, nothing written', async (_, compose) => {
    const dir = project(compose);
    const r = await harden(dir);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('service web refused: it cannot be judged');
    expect(readdirSync(dir)).not.toContain('compose.safedock.yaml');
  });

  it('a required variable that is missing names the file', async () => {
    const dir = project('services:\n  web:\n    image: ${IMAGE:?set IMAGE}\n');
    const r = await harden(dir);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('IMAGE: set IMAGE');
  });
});
