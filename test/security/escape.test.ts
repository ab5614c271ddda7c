/**
 * The escape suite: attack primitives tried from inside containers started by `safedock run`
 * (each built-in preset) and by plain `docker run` (two controls), compared with
 * test/security/expected.json and with the matrix in docs/escape-matrix.md.
 * Machinery: ./escape.ts; image: test/fixtures/images/escape (built by ./setup.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  COLUMNS,
  MATRIX_COMMAND,
  MATRIX_FILE,
  compare,
  formatDifference,
  lintExpectations,
  loadExpectations,
  measure,
  renderMatrix,
  unprovenProbes,
  type Column,
  type SuiteRun,
} from './escape.js';

const primitives = loadExpectations();
let run: SuiteRun;

function summary(r: SuiteRun): string {
  const letter = { succeeded: 'S', blocked: '.', untestable: 'u' } as const;
  const width = Math.max(...primitives.map((p) => p.id.length));
  const lines = [
    `${''.padEnd(width)}  ${COLUMNS.map((c) => c.slice(0, 4)).join(' ')}   (S succeeded, . blocked, u untestable)`,
  ];
  for (const p of primitives) {
    const cells = COLUMNS.map((c) => {
      const measured = r.measured[c][p.id];
      return (measured ? letter[measured.result] : '?').padEnd(4);
    });
    lines.push(`${p.id.padEnd(width)}  ${cells.join(' ')}`);
  }
  return lines.join('\n');
}

beforeAll(async () => {
  run = await measure();
  const { reported } = compare(run.measured, primitives);
  const runs = run.runs.map((x) => `${x.column}/${x.mode} ${Math.round(x.durationMs)} ms`).join(', ');
  console.log(
    [
      `[safedock security] ${run.runs.length} containers in ${(run.wallMs / 1000).toFixed(1)} s (${runs})`,
      summary(run),
      ...(reported.length > 0
        ? ['untestable, reported and not counted:', ...reported.map((d) => `  ${formatDifference(d)}`)]
        : []),
    ].join('\n'),
  );
}, 600_000);

describe('expectations (test/security/expected.json)', () => {
  it("give every hardened preset's success and every untestable cell a reason", () => {
    expect(lintExpectations(primitives)).toEqual([]);
  });

  it('cover at least 40 primitives', () => {
    expect(primitives.length).toBeGreaterThanOrEqual(40);
  });
});

describe('escape primitives, tried from inside the containers', () => {
  it.each(COLUMNS.map((c) => [c]))('%s: every primitive succeeds or is blocked as expected', (column: Column) => {
    const { failures } = compare(run.measured, primitives);
    const mine = failures.filter((d) => d.column === column).map(formatDifference);
    expect(
      mine,
      'a success where a block was expected is a hole; a block where a success was expected is drift (fix it, or update test/security/expected.json with a reason)',
    ).toEqual([]);
  });

  it('the controls prove the probes detect success: each probe succeeds under docker or unconfined, or its note says why not', () => {
    expect(unprovenProbes(run.measured, primitives)).toEqual([]);
  });

  it('strict blocks everything but its documented exceptions', () => {
    const open = primitives
      .filter((p) => run.measured.strict[p.id]?.result === 'succeeded' && !p.reasons.strict)
      .map((p) => p.id);
    expect(open).toEqual([]);
  });
});

describe(`docs/escape-matrix.md`, () => {
  it(`matches what was measured (refresh: ${MATRIX_COMMAND})`, () => {
    const onDisk = existsSync(MATRIX_FILE)
      ? readFileSync(MATRIX_FILE, 'utf8')
      : '(docs/escape-matrix.md does not exist)';
    expect(onDisk, `docs/escape-matrix.md is out of date: run ${MATRIX_COMMAND}`).toBe(
      renderMatrix(run.measured, primitives),
    );
  });
});
