// Refreshes docs/escape-matrix.md: builds the escape image, runs the escape probes in a container
// per built-in preset and per docker control (test/security/escape.ts), rewrites the matrix, and
// removes every container and the image again, by id.
//   npm run security:matrix        (builds dist/ first; needs a running engine and gcc)
// Exits 1 when what was measured differs from test/security/expected.json (the file is written
// all the same, so the difference shows in its diff): update the expectations, with a reason, or fix
// the regression. SAFEDOCK_TEST_KEEP_IMAGES=1 keeps the image.
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { REPO_ROOT, removeSafedockNetworkIfCreated, safedockNetworkId } from '../test/helpers/engine.ts';
import {
  MATRIX_FILE,
  assertBuilt,
  assertEngine,
  buildEscapeImage,
  cleanUp,
  compare,
  formatDifference,
  lintExpectations,
  loadExpectations,
  measure,
  renderMatrix,
} from '../test/security/escape.ts';

const log = (line: string): void => {
  process.stderr.write(`security-matrix: ${line}\n`);
};

const primitives = loadExpectations();
const lint = lintExpectations(primitives);
if (lint.length > 0) {
  log(`test/security/expected.json breaks its own rules:\n  ${lint.join('\n  ')}`);
  process.exit(1);
}

await assertEngine();
assertBuilt();
// The strict column's run creates safedock's network when it is missing; it is removed again.
const networkExisted = (await safedockNetworkId()) !== undefined;
let imageId: string | undefined;
let code = 0;
try {
  imageId = await buildEscapeImage();
  const run = await measure(log);
  writeFileSync(MATRIX_FILE, renderMatrix(run.measured, primitives));
  log(`wrote ${relative(REPO_ROOT, MATRIX_FILE)} (${run.runs.length} containers, ${(run.wallMs / 1000).toFixed(1)} s)`);
  const { failures, reported } = compare(run.measured, primitives);
  for (const d of reported) log(`untestable, not counted: ${formatDifference(d)}`);
  if (failures.length > 0) {
    log(`measured results differ from test/security/expected.json:\n  ${failures.map(formatDifference).join('\n  ')}`);
    code = 1;
  }
} finally {
  const problems = await cleanUp(process.env['SAFEDOCK_TEST_KEEP_IMAGES'] ? undefined : imageId);
  const networkProblem = await removeSafedockNetworkIfCreated(networkExisted);
  if (networkProblem !== undefined) problems.push(networkProblem);
  for (const p of problems) log(`clean-up: ${p}`);
}
process.exit(code);
