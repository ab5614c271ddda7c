/**
 * globalSetup of the `integration` vitest project.
 *
 * setup:    fails the run (throws) when no Docker engine answers GET /_ping on the socket
 *           (DOCKER_HOST=unix://PATH or /var/run/docker.sock): integration tests are never skipped.
 *           Then builds the fixture images (scripts/images.sh test; from cache it takes well under a second)
 *           and the real server images (scripts/app-images.sh; a minute the first time, then cached),
 *           and makes a local registry answer on http://127.0.0.1:5000 (scripts/registry.sh).
 * teardown: removes, by id, every container labelled safedock.test=<this run's id> and the suite's images
 *           (safedock-test, safedock-test-nonroot). The base image safedock-busybox (the build cache)
 *           and the README's safedock-demo stay. SAFEDOCK_TEST_KEEP_IMAGES=1 keeps the suite's images too.
 *           Stops the local registry when setup started it (SAFEDOCK_TEST_KEEP_REGISTRY=1 keeps it).
 *           Removes the named volumes of the oracle corpus (named-vol) that the run made the engine
 *           create (test/helpers/corpus-volumes.ts).
 *           Removes safedock's own network (strict's runs create it on first use) when it was missing
 *           at setup and no container of another run is attached to it.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { trackCorpusVolumes } from '../helpers/corpus-volumes.js';
import {
  REPO_ROOT,
  SUITE_IMAGES,
  TEST_LABEL,
  dockerJson,
  requireEngine,
  imageId,
  listContainers,
  removeContainer,
  removeSafedockNetworkIfCreated,
  safedockNetworkId,
} from '../helpers/engine.js';

let builtImageIds: string[] = [];
/** Whether setup started the local registry (then teardown stops it). */
let registryStarted = false;
let engineReady = false;
/** Whether safedock's network existed before this run (then teardown leaves it). */
let networkExisted = true;

async function assertEngine(): Promise<void> {
  await requireEngine('safedock integration', 'The integration tests need a real engine.');
  engineReady = true;
}

function buildImages(): void {
  const script = join(REPO_ROOT, 'scripts', 'images.sh');
  const res = spawnSync('bash', [script, '-q', 'test'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
  });
  if (res.error || res.status !== 0) {
    throw new Error(
      `[safedock integration] building the test images failed (bash scripts/images.sh test, exit ${res.status ?? res.error?.message}):\n${res.stderr}${res.stdout}`,
    );
  }
}

/**
 * The real server images (nginx, Apache, PostgreSQL from Debian packages) of the learn tests:
 * scripts/app-images.sh builds them once and caches the rootfs; a later run finds them up to date.
 * They stay after the run, like the build cache (bash scripts/app-images.sh clean removes them).
 */
function buildAppImages(): void {
  const res = spawnSync('bash', [join(REPO_ROOT, 'scripts', 'app-images.sh'), '-q'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 900_000,
  });
  if (res.error || res.status !== 0) {
    throw new Error(
      `[safedock integration] building the app images failed (bash scripts/app-images.sh, exit ${res.status ?? res.error?.message}):\n${res.stderr}${res.stdout}`,
    );
  }
}

// --- local registry (test/integration/engine-edge.test.ts pulls from it) ----------------------
// scripts/registry.sh makes http://127.0.0.1:5000 answer (installing docker-registry as root when
// missing) and prints `started PID` when it started it; teardown stops only a registry setup started.
// SAFEDOCK_TEST_KEEP_REGISTRY=1 leaves it running.
function startRegistry(): void {
  const script = join(REPO_ROOT, 'scripts', 'registry.sh');
  const res = spawnSync('bash', [script], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
  });
  if (res.error || res.status !== 0) {
    throw new Error(
      `[safedock integration] starting the local registry failed (bash scripts/registry.sh, exit ${res.status ?? res.error?.message}):\n${res.stderr}${res.stdout}`,
    );
  }
  registryStarted = /^started \d+/m.test(res.stdout);
}

function stopRegistry(): string | undefined {
  if (!registryStarted || process.env['SAFEDOCK_TEST_KEEP_REGISTRY']) return undefined;
  const res = spawnSync('bash', [join(REPO_ROOT, 'scripts', 'registry.sh'), 'stop'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return res.status === 0
    ? undefined
    : `registry: bash scripts/registry.sh stop exited ${res.status}: ${res.stderr.trim()}`;
}
// ---------------------------------------------------------------------------------------------

let removeCorpusVolumes: () => Promise<void> = () => Promise.resolve();

export async function setup(): Promise<void> {
  await assertEngine();
  removeCorpusVolumes = await trackCorpusVolumes();
  networkExisted = (await safedockNetworkId()) !== undefined;
  buildImages();
  buildAppImages();
  startRegistry();
  builtImageIds = [];
  for (const ref of SUITE_IMAGES) {
    const id = await imageId(ref);
    if (id === undefined) throw new Error(`[safedock integration] ${ref} is missing after scripts/images.sh test`);
    builtImageIds.push(id);
  }
}

export async function teardown(): Promise<void> {
  if (!engineReady) return; // setup failed before reaching the engine: nothing of ours is there
  const problems: string[] = [];
  let removed = 0;
  try {
    for (const c of await listContainers(TEST_LABEL)) {
      try {
        await removeContainer(c.Id);
        removed++;
      } catch (e) {
        problems.push(`container ${c.Id.slice(0, 12)}: ${(e as Error).message}`);
      }
    }
  } catch (e) {
    problems.push(`listing containers labelled ${TEST_LABEL}: ${(e as Error).message}`);
  }
  if (!process.env['SAFEDOCK_TEST_KEEP_IMAGES']) {
    for (const id of builtImageIds) {
      try {
        // By id, not forced: an image another tag or a leftover container still uses stays.
        await dockerJson(`/images/${encodeURIComponent(id)}`, { method: 'DELETE' });
      } catch (e) {
        const status = (e as { status?: number }).status;
        if (status !== 404) problems.push(`image ${id.slice(7, 19)}: ${(e as Error).message}`);
      }
    }
  }
  try {
    await removeCorpusVolumes();
  } catch (e) {
    problems.push(`the oracle corpus's volumes: ${(e as Error).message}`);
  }
  const networkProblem = await removeSafedockNetworkIfCreated(networkExisted);
  if (networkProblem !== undefined) problems.push(networkProblem);
  const registryProblem = stopRegistry();
  if (registryProblem !== undefined) problems.push(registryProblem);
  if (removed > 0)
    console.log(`[safedock integration] teardown removed ${removed} container(s) labelled ${TEST_LABEL}`);
  if (problems.length > 0)
    console.warn(`[safedock integration] teardown could not clean up:\n  ${problems.join('\n  ')}`);
}
