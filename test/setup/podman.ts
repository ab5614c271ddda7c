/**
 * globalSetup of the `podman` vitest project (its own CI job: .ci/run, `SAFEDOCK_TEST_PODMAN=1
 * npx vitest run --project podman`).
 *
 * setup:    builds the fixture images on the Docker engine (scripts/images.sh test), then
 *           scripts/podman.sh start: Podman's API service on its own socket (installing podman as
 *           root when missing), with the images loaded into it and a test container started. Fails the
 *           run (throws) when any of that fails: the Podman tests are never skipped.
 * teardown: removes, by id, the containers labelled safedock.test=<this run's id> on Podman, and
 *           stops the service when setup started it (SAFEDOCK_TEST_KEEP_PODMAN=1 keeps it).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, SUITE_IMAGES, TEST_LABEL, dockerJson } from '../helpers/engine.js';
import { PODMAN_SOCKET } from '../podman/podman.js';

let started = false;

function script(args: string[]): string {
  const [name, ...rest] = args;
  const res = spawnSync('bash', [join(REPO_ROOT, 'scripts', name ?? ''), ...rest], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 600_000,
  });
  if (res.error || res.status !== 0) {
    throw new Error(
      `[safedock podman] bash scripts/${args.join(' ')} failed (exit ${res.status ?? res.error?.message}):\n${res.stderr}${res.stdout}`,
    );
  }
  return res.stdout;
}

export function setup(): void {
  script(['images.sh', '-q', 'test']);
  const out = script(['podman.sh', 'start', ...SUITE_IMAGES]);
  started = /^started \d+/m.test(out);
  const socket = /^socket (.+)$/m.exec(out)?.[1];
  if (socket !== PODMAN_SOCKET)
    throw new Error(`[safedock podman] the service answers on ${socket ?? '?'}, not ${PODMAN_SOCKET}`);
}

export async function teardown(): Promise<void> {
  const problems: string[] = [];
  try {
    const filters = encodeURIComponent(JSON.stringify({ label: [TEST_LABEL] }));
    const left = await dockerJson<Array<{ Id: string }>>(`/containers/json?all=1&filters=${filters}`, {
      socket: PODMAN_SOCKET,
    });
    for (const c of left) {
      await dockerJson(`/containers/${c.Id}?force=1&v=1`, { method: 'DELETE', socket: PODMAN_SOCKET }).catch(
        (e: unknown) => problems.push(`container ${c.Id.slice(0, 12)}: ${(e as Error).message}`),
      );
    }
  } catch (e) {
    problems.push(`listing containers labelled ${TEST_LABEL}: ${(e as Error).message}`);
  }
  if (started && !process.env['SAFEDOCK_TEST_KEEP_PODMAN']) script(['podman.sh', 'stop']);
  if (problems.length > 0) console.warn(`[safedock podman] teardown could not clean up:\n  ${problems.join('\n  ')}`);
}
