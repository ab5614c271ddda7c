/**
 * Docker contexts decide where safedock runs, as they decide for docker. Each case makes its
 * contexts with the docker CLI itself (`docker --config DIR context create/use`) in a folder of
 * its own, so the store's format is docker's, and compares with what docker does where it can:
 *   - a context whose socket is a recording proxy in front of the engine receives the create;
 *   - `docker context use`, DOCKER_CONTEXT and --context select it; DOCKER_HOST and -H win over
 *     DOCKER_CONTEXT and config.json as docker's order says;
 *   - a context whose socket is missing: exit 125 naming that socket (docker run: 125 too);
 *   - -H with --context, and a context that does not exist: docker's words and exit code;
 *   - --dry-run and explain name the engine and why;
 *   - global options reach the other commands too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingProxy, type RecordingProxy } from '../helpers/recording-proxy.js';
import { TEST_IMAGE, TEST_LABEL_ARGS, engineSocket, runCli, runDocker, type RunResult } from '../helpers/engine.js';

let dir: string;
let config: string;
let proxy: RecordingProxy;
const engine = engineSocket();

/** The environment of one case: its own docker config folder, no DOCKER_HOST or DOCKER_CONTEXT of the caller's. */
function envWith(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { DOCKER_CONFIG: config, DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined, CI: 'true', ...extra };
}

async function docker(args: string[], env: Record<string, string | undefined> = envWith()): Promise<RunResult> {
  const r = await runDocker(args, { env });
  if (r.code !== 0 && args[0] === 'context') throw new Error(`docker ${args.join(' ')}: ${r.stderr}`);
  return r;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'safedock-contexts-'));
  config = join(dir, 'docker-config');
  proxy = await startRecordingProxy(join(dir, 'proxy.sock'), engine);
  await docker(['context', 'create', 'recorded', '--docker', `host=unix://${proxy.socketPath}`]);
  await docker(['context', 'create', 'engine', '--docker', `host=unix://${engine}`]);
  await docker(['context', 'create', 'gone', '--docker', `host=unix://${join(dir, 'missing.sock')}`]);
});

afterAll(async () => {
  await proxy.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs safedock and reports how many creates reached the recording proxy. */
async function recorded(args: string[], env = envWith()): Promise<{ r: RunResult; creates: number }> {
  const before = proxy.creates().length;
  const r = await runCli(args, { env });
  return { r, creates: proxy.creates().length - before };
}

const RUN = ['run', '--rm', ...TEST_LABEL_ARGS, TEST_IMAGE, 'true'];

describe('a docker context decides where safedock runs', () => {
  it('`docker context use` (config.json currentContext): the create goes to that context', async () => {
    await docker(['context', 'use', 'recorded']);
    try {
      const { r, creates } = await recorded(RUN);
      expect(creates).toBe(1);
      // The proxy refuses every create after recording it; the run reports the engine's answer.
      expect(r.stderr).toContain('recorded by the test proxy; not created');
      expect(r.code).toBe(125);
      // The hardened body went there, not a bare one.
      const body = proxy.creates().at(-1)?.body as { HostConfig: { CapDrop: string[]; ReadonlyRootfs: boolean } };
      expect(body.HostConfig.CapDrop).toEqual(['ALL']);
      expect(body.HostConfig.ReadonlyRootfs).toBe(true);
    } finally {
      await docker(['context', 'use', 'default']);
    }
  });

  it('DOCKER_CONTEXT, and --context before the command, select the context', async () => {
    expect((await recorded(RUN, envWith({ DOCKER_CONTEXT: 'recorded' }))).creates).toBe(1);
    expect((await recorded(['--context', 'recorded', ...RUN])).creates).toBe(1);
    expect((await recorded(['-c', 'recorded', ...RUN])).creates).toBe(1);
  });

  it('--context beats DOCKER_CONTEXT and DOCKER_HOST; DOCKER_HOST beats DOCKER_CONTEXT; -H beats DOCKER_HOST', async () => {
    const viaProxy = `unix://${proxy.socketPath}`;
    const viaEngine = `unix://${engine}`;
    const cases: Array<[string[], Record<string, string>, number]> = [
      [['--context', 'recorded', ...RUN], { DOCKER_CONTEXT: 'engine', DOCKER_HOST: viaEngine }, 1],
      [RUN, { DOCKER_HOST: viaEngine, DOCKER_CONTEXT: 'recorded' }, 0],
      [RUN, { DOCKER_HOST: viaProxy, DOCKER_CONTEXT: 'engine' }, 1],
      [['-H', viaEngine, ...RUN], { DOCKER_HOST: viaProxy }, 0],
      [['-H', viaProxy, ...RUN], { DOCKER_HOST: viaEngine }, 1],
    ];
    for (const [args, env, creates] of cases) {
      const result = await recorded(args, envWith(env));
      expect({ args, env, creates: result.creates }).toEqual({ args, env, creates });
      // Where the create reached the engine itself, the container ran and was removed (--rm).
      if (creates === 0) expect(result.r.code).toBe(0);
    }
  });

  it('a context whose socket is missing: exit 125 naming the socket, as docker run', async () => {
    const missing = join(dir, 'missing.sock');
    const ours = await runCli(RUN, { env: envWith({ DOCKER_CONTEXT: 'gone' }) });
    const theirs = await runDocker(RUN, { env: envWith({ DOCKER_CONTEXT: 'gone' }) });
    expect(theirs.code).toBe(125);
    expect(ours.code).toBe(theirs.code);
    expect(ours.stderr).toContain(`unix://${missing}`);
    expect(theirs.stderr).toContain(`unix://${missing}`);
    expect(ours.stderr).not.toMatch(/\n\s+at /);
  });

  it('-H with --context: docker’s words and exit code', async () => {
    const args = ['-H', `unix://${engine}`, '--context', 'engine', ...RUN];
    const ours = await runCli(args, { env: envWith() });
    const theirs = await runDocker(args, { env: envWith() });
    expect(theirs.stderr).toContain('conflicting options: cannot specify both --host and --context');
    expect(ours.stderr).toBe('safedock: conflicting options: cannot specify both --host and --context\n');
    expect(ours.code).toBe(theirs.code);
  });

  it('a context that does not exist: docker’s message, which names the file it looked for', async () => {
    const ours = await runCli(['--context', 'nope', ...RUN], { env: envWith() });
    const theirs = await runDocker(['--context', 'nope', ...RUN], { env: envWith() });
    const docker = /context "nope": context not found: open (\S+meta\.json): no such file or directory/.exec(
      theirs.stderr,
    );
    expect(docker).not.toBeNull();
    expect(ours.stderr).toContain(docker?.[0] ?? 'unreachable');
    expect(ours.code).toBe(theirs.code);
  });
});

describe('the engine is named where a plan is shown', () => {
  it('--dry-run and explain say which engine and why', async () => {
    await docker(['context', 'use', 'engine']);
    try {
      const plan = await runCli(['run', '--dry-run', TEST_IMAGE, 'true'], { env: envWith() });
      expect(plan.code).toBe(0);
      // The plan is laid out in 80 columns: a long note continues on the next line.
      const flat = (text: string): string => text.replace(/\s+/g, ' ');
      expect(flat(plan.stdout)).toMatch(
        new RegExp(
          `engine: unix://${engine.replace(/[.]/g, '\\.')} \\(context engine, from \`docker context use\`\\); Docker Engine \\S+, API 1\\.\\d+`,
        ),
      );
      for (const command of [['explain'], ['run', '--dry-run']]) {
        const shown = await runCli(['--context', 'recorded', ...command, TEST_IMAGE, 'true'], { env: envWith() });
        expect(shown.code).toBe(0);
        expect(flat(shown.stdout)).toContain(`engine: unix://${proxy.socketPath} (context recorded, from --context)`);
      }
    } finally {
      await docker(['context', 'use', 'default']);
    }
  });

  it('-D prints the engine line on stderr for a run', async () => {
    const r = await runCli(['-D', '--context', 'engine', ...RUN], { env: envWith() });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`engine: unix://${engine} (context engine, from --context)`);
  });
});

describe('global options before any command', () => {
  it('are taken off before the command runs (oclif commands too)', async () => {
    const r = await runCli(['--context', 'engine', '-D', 'presets', 'list'], { env: envWith() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/strict/);
  });
  it('a mistake in them: docker’s message and usage line, exit 125', async () => {
    const r = await runCli(['--tls=maybe', 'run', TEST_IMAGE], { env: envWith() });
    expect(r.code).toBe(125);
    expect(r.stderr).toBe(
      'safedock: invalid argument "maybe" for "--tls" flag: strconv.ParseBool: parsing "maybe": invalid syntax\n\nUsage:  safedock [OPTIONS] COMMAND [ARG...]\n\nRun \'safedock --help\' for more information\n',
    );
  });
});
