import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shellWords } from '../helpers/argv-words.js';
import { CLI_ENTRY, REPO_ROOT, TEST_IMAGE, runProcess } from '../helpers/engine.js';
import { startRecordingProxy, type RecordedRequest, type RecordingProxy } from '../helpers/recording-proxy.js';

interface Case {
  line: string;
  argv: string[];
  refused: boolean;
}

const cases: Case[] = readFileSync(join(REPO_ROOT, 'test/fixtures/oracle/run-cases.txt'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'))
  .map((line) => {
    const refused = line.startsWith('!');
    const argv = shellWords(refused ? line.slice(1) : line).map((w) => (w === 'IMAGE' ? TEST_IMAGE : w));
    return { line, argv, refused };
  });

let proxy: RecordingProxy;
const socket = `/tmp/safedock-oracle-${process.pid}.sock`;
// The same environment for both clients: -e NAME takes its value from the client's environment.
const env = {
  DOCKER_HOST: `unix://${socket}`,
  HOME: '/root',
  SAFEDOCK_ORACLE_UNSET_VAR: undefined,
  SAFEDOCK_PRESET: undefined,
  // With CI set, warn still refuses critical findings; the oracle compares requests, so CI is unset.
  CI: undefined,
};

beforeAll(async () => {
  proxy = await startRecordingProxy(socket);
});
afterAll(async () => {
  await proxy.close();
});

async function record(
  command: string,
  args: string[],
): Promise<{ code: number | null; stderr: string; creates: RecordedRequest[]; all: RecordedRequest[] }> {
  const before = proxy.requests.length;
  const r = await runProcess(command, args, { env, cwd: REPO_ROOT });
  const all = proxy.requests.slice(before);
  return {
    code: r.code,
    stderr: r.stderr,
    // The never-started container safedock creates to read an image's /etc/passwd is not the run's.
    creates: all.filter(
      (q) =>
        q.method === 'POST' &&
        /\/containers\/create/.test(q.path) &&
        (q.body as { Labels?: Record<string, string> } | null)?.Labels?.['io.safedock.facts'] === undefined,
    ),
    all,
  };
}

/**
 * docker sends -e entries and -v binds through a Go map, so their order changes from run to run
 * (the engine de-duplicates Env, last value winning, and binds have no order). Both are compared
 * as sorted lists; safedock itself keeps the order given.
 */
function comparable(body: unknown): unknown {
  const b = structuredClone(body) as { Env?: string[] | null; HostConfig?: { Binds?: string[] | null } };
  if (Array.isArray(b.Env)) b.Env.sort();
  if (Array.isArray(b.HostConfig?.Binds)) b.HostConfig.Binds.sort();
  return b;
}

function normalizedTarget(path: string): { pathname: string; query: Array<[string, string]> } {
  const url = new URL(path, 'http://engine');
  return { pathname: url.pathname, query: [...url.searchParams.entries()].sort() };
}

describe('oracle: safedock run --preset none sends what docker run sends', () => {
  it('has a case list', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
  });

  it.each(cases)('$line', async ({ argv, refused }) => {
    const docker = await record('docker', ['run', ...argv]);
    // The policy reports but never stops a case: the oracle compares what reaches the engine.
    const safedock = await record(CLI_ENTRY, ['run', '--preset', 'none', '--policy', 'warn', ...argv]);
    if (refused) {
      expect(docker.code, docker.stderr).not.toBe(0);
      expect(docker.creates).toEqual([]);
      expect(safedock.code, safedock.stderr).toBe(docker.code);
      expect(safedock.creates).toEqual([]);
      expect(safedock.stderr).not.toMatch(/internal error|\n\s+at /);
      return;
    }
    expect(docker.creates, docker.stderr).toHaveLength(1);
    expect(safedock.creates, safedock.stderr).toHaveLength(1);
    const [d] = docker.creates as [RecordedRequest];
    const [s] = safedock.creates as [RecordedRequest];
    expect(normalizedTarget(s.path)).toEqual(normalizedTarget(d.path));
    expect(comparable(s.body)).toEqual(comparable(d.body));
    expect(safedock.code).toBe(125);
  });

  it.each([[['-t', '--rm']], [['--rm']], [['-it', '--rm']]])('from a terminal of 45x123: %j', async (flags) => {
    // docker sends its terminal's size at create whenever its stdout is a terminal.
    const inTerminal = (run: string): Promise<{ creates: RecordedRequest[] }> =>
      record('script', ['-qec', `stty rows 45 cols 123; ${run} ${flags.join(' ')} ${TEST_IMAGE} true`, '/dev/null']);
    const docker = await inTerminal('docker run');
    const safedock = await inTerminal(`${CLI_ENTRY} run --preset none --policy warn`);
    expect(docker.creates).toHaveLength(1);
    expect(safedock.creates).toHaveLength(1);
    const size = (r: RecordedRequest): unknown =>
      (r.body as { HostConfig: { ConsoleSize: unknown } }).HostConfig.ConsoleSize;
    expect(size(docker.creates[0] as RecordedRequest)).toEqual([45, 123]);
    expect(size(safedock.creates[0] as RecordedRequest)).toEqual([45, 123]);
  });

  it('never puts env values or other settings into a URL', async () => {
    const secret = 'hunter2-oracle-secret';
    const r = await record(CLI_ENTRY, [
      'run',
      '--rm',
      '--accept',
      'SD129',
      '--reason',
      'the test needs the value in the body',
      '-e',
      `TOKEN=${secret}`,
      '--name',
      'oracle-url',
      TEST_IMAGE,
      'true',
    ]);
    expect(r.creates).toHaveLength(1);
    for (const request of r.all) expect(request.path).not.toContain(secret);
    expect(JSON.stringify(r.creates[0]?.body)).toContain(secret);
  });
});
