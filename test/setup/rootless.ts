/**
 * globalSetup of the `rootless` vitest project (its own CI job: .ci/run, `SAFEDOCK_TEST_ROOTLESS=1
 * npx vitest run --project rootless`).
 *
 * setup:    scripts/rootless.sh start: Debian's rootless Docker run by a user of its own, with the
 *           fixture images built in it. Fails the run (throws) when it cannot start: never skipped.
 * teardown: removes this run's containers (label safedock.test=<run id>) on that engine, and stops
 *           it when setup started it (SAFEDOCK_TEST_KEEP_ROOTLESS=1 keeps it).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, TEST_LABEL, dockerJson } from '../helpers/engine.js';
import { ROOTLESS_SOCKET } from '../rootless/rootless.js';

let started = false;

function script(action: 'start' | 'stop'): string {
  const res = spawnSync('bash', [join(REPO_ROOT, 'scripts', 'rootless.sh'), action], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 600_000,
  });
  if (res.error || res.status !== 0) {
    throw new Error(
      `[safedock rootless] bash scripts/rootless.sh ${action} failed (exit ${res.status ?? res.error?.message}):\n${res.stderr}${res.stdout}`,
    );
  }
  return res.stdout;
}

export function setup(): void {
  const out = script('start');
  started = /^started \d+/m.test(out);
  const socket = /^socket (.+)$/m.exec(out)?.[1];
  if (socket !== ROOTLESS_SOCKET) {
    throw new Error(`[safedock rootless] the engine answers on ${socket ?? '?'}, not ${ROOTLESS_SOCKET}`);
  }
}

export async function teardown(): Promise<void> {
  const problems: string[] = [];
  try {
    const filters = encodeURIComponent(JSON.stringify({ label: [TEST_LABEL] }));
    const left = await dockerJson<Array<{ Id: string }>>(`/containers/json?all=1&filters=${filters}`, {
      socket: ROOTLESS_SOCKET,
    });
    for (const c of left) {
      await dockerJson(`/containers/${c.Id}?force=1&v=1`, { method: 'DELETE', socket: ROOTLESS_SOCKET }).catch(
        (e: unknown) => problems.push(`container ${c.Id.slice(0, 12)}: ${(e as Error).message}`),
      );
    }
  } catch (e) {
    problems.push(`listing containers labelled ${TEST_LABEL}: ${(e as Error).message}`);
  }
  if (started && !process.env['SAFEDOCK_TEST_KEEP_ROOTLESS']) script('stop');
  if (problems.length > 0) console.warn(`[safedock rootless] teardown could not clean up:\n  ${problems.join('\n  ')}`);
}
