/**
 * globalSetup of the `security` vitest project (the escape suite).
 *
 * setup:    throws when no engine answers (the suite is never skipped) or when dist/ is not built,
 *           then builds safedock-escape:latest (bash scripts/images.sh escape; cached after the
 *           first build, which compiles the probes with gcc -static).
 * teardown: removes, by id, every container labelled safedock.escape=1 and the escape image.
 *           SAFEDOCK_TEST_KEEP_IMAGES=1 keeps the image (as for the integration suite's images).
 *           Removes safedock's own network (the strict column's run creates it) when it was missing
 *           at setup and no container of another run is attached to it.
 */
import { removeSafedockNetworkIfCreated, safedockNetworkId } from '../helpers/engine.js';
import { assertBuilt, assertEngine, buildEscapeImage, cleanUp } from './escape.js';

let escapeImageId: string | undefined;
let engineReady = false;
let networkExisted = true;

export async function setup(): Promise<void> {
  await assertEngine();
  engineReady = true;
  networkExisted = (await safedockNetworkId()) !== undefined;
  assertBuilt();
  escapeImageId = await buildEscapeImage();
}

export async function teardown(): Promise<void> {
  if (!engineReady) return;
  const problems = await cleanUp(process.env['SAFEDOCK_TEST_KEEP_IMAGES'] ? undefined : escapeImageId);
  const networkProblem = await removeSafedockNetworkIfCreated(networkExisted);
  if (networkProblem !== undefined) problems.push(networkProblem);
  if (problems.length > 0) console.warn(`[safedock security] teardown could not clean up:\n  ${problems.join('\n  ')}`);
}
