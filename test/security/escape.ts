/**
 * The escape suite's engine side, shared by its vitest project (test/security/*.test.ts, with
 * test/security/setup.ts as globalSetup) and by `npm run security:matrix`
 * (scripts/security-matrix.mts, which rewrites docs/escape-matrix.md).
 *
 * One container per column runs the image's static probe (`/probe all`, source in
 * test/fixtures/images/escape/probe.c), which tries every primitive and prints
 * `ID succeeded|blocked|untestable DETAIL`. A second, short container per column gets the engine
 * socket bind-mounted and the host's /proc through a volume's options (type=proc), and runs
 * `/probe socket`. Columns: the four built-in presets through
 * `safedock run`, and two controls through plain `docker run` that show the probes do detect
 * success: the engine's defaults, and a container with every capability and no seccomp filter.
 *
 * Every container carries the label safedock.escape=<run id> (not safedock.test=<run id>, which the
 * integration suite's teardown sweeps): cleanUp() removes them by id, then the image.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  CLI_ENTRY,
  REPO_ROOT,
  dockerJson,
  requireEngine,
  engineSocket,
  imageId,
  listContainers,
  removeContainer,
  runProcess,
  type RunResult,
} from '../helpers/engine.js';

export const ESCAPE_IMAGE = 'safedock-escape:latest';
export const ESCAPE_LABEL = `safedock.escape=${process.env['SAFEDOCK_TEST_RUN'] ?? '1'}`;
const LABEL_ARGS: readonly string[] = ['--label', ESCAPE_LABEL];

export const EXPECTED_FILE = join(REPO_ROOT, 'test', 'security', 'expected.json');
export const MATRIX_FILE = join(REPO_ROOT, 'docs', 'escape-matrix.md');
export const MATRIX_COMMAND = 'npm run security:matrix';

export const RESULTS = ['succeeded', 'blocked', 'untestable'] as const;
export type Result = (typeof RESULTS)[number];

export const COLUMNS = ['strict', 'sandbox', 'compat', 'none', 'docker', 'unconfined'] as const;
export type Column = (typeof COLUMNS)[number];

/** The keys of the second run's host mounts in safedock's risk policy: the engine socket, a proc volume. */
const socketKey = (): string => `SD102:${engineSocket()}:/var/run/docker.sock`;
const HOST_FS_VOLUME_KEY = 'SD134:/hostproc';

/** The host's /proc, mounted by the engine through a local volume's options. */
const PROC_VOLUME = 'type=volume,dst=/hostproc,volume-opt=type=proc,volume-opt=device=proc';

interface ColumnSpec {
  column: Column;
  /** How the doc describes the way the container is started. */
  startedWith: string;
  tool: 'safedock' | 'docker';
  /** Flags before the image, for the main run; the socket run adds the bind mount. */
  flags(socketRun: boolean): string[];
}

function presetFlags(preset: string) {
  return (socketRun: boolean): string[] => {
    const flags = ['--preset', preset];
    // `none` runs as root without limits: the risk policy refuses that without a terminal.
    if (preset === 'none') flags.push('--policy', 'warn');
    // Mounting the engine socket or the host's /proc is refused unless accepted on purpose.
    if (socketRun)
      flags.push(
        '--accept',
        socketKey(),
        '--accept',
        HOST_FS_VOLUME_KEY,
        '--reason',
        'escape suite: host-mount probes',
      );
    return flags;
  };
}

/**
 * The widest container that starts on every machine the suite runs on, so that the column reads
 * the same everywhere: --privileged containers cannot start on the reference machine (a sandboxed
 * VM), whose own bounding set also lacks CAP_SYS_RESOURCE.
 */
const UNCONFINED_FLAGS = ['--cap-add', 'ALL', '--cap-drop', 'SYS_RESOURCE', '--security-opt', 'seccomp=unconfined'];

export const COLUMN_SPECS: readonly ColumnSpec[] = [
  {
    column: 'strict',
    tool: 'safedock',
    startedWith: '`safedock run --preset strict` (the default preset)',
    flags: presetFlags('strict'),
  },
  {
    column: 'sandbox',
    tool: 'safedock',
    startedWith: '`safedock run --preset sandbox`',
    flags: presetFlags('sandbox'),
  },
  { column: 'compat', tool: 'safedock', startedWith: '`safedock run --preset compat`', flags: presetFlags('compat') },
  {
    column: 'none',
    tool: 'safedock',
    startedWith: "`safedock run --preset none --policy warn` (applies nothing: docker's defaults)",
    flags: presetFlags('none'),
  },
  {
    column: 'docker',
    tool: 'docker',
    startedWith:
      "`docker run` with the engine's defaults (control: root, docker's default capabilities and seccomp profile)",
    flags: () => [],
  },
  {
    column: 'unconfined',
    tool: 'docker',
    startedWith: `\`docker run ${UNCONFINED_FLAGS.join(' ')}\` (control: every capability but SYS_RESOURCE, no seccomp filter; --privileged cannot start on the reference machine)`,
    flags: () => [...UNCONFINED_FLAGS],
  },
];

// ------------------------------------------------------------------------------------------------
// Expectations (test/security/expected.json)

export interface Primitive {
  id: string;
  group: string;
  title: string;
  expected: Record<Column, Result>;
  /** Why a cell is what it is, where that is not obvious. Required for every hardened preset's
   * `succeeded`, and for every `untestable` the note does not explain. */
  reasons: Partial<Record<Column, string>>;
  /** About the whole row. Required when no column is expected to succeed: why the probe is
   * still trustworthy although no control exercises its "succeeded" path here. */
  note?: string;
}

function isResult(v: unknown): v is Result {
  return typeof v === 'string' && (RESULTS as readonly string[]).includes(v);
}

/** A JSON object (not null, not an array): what each entry and its maps must be. */
function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads and shape-checks expected.json; throws naming the first bad entry. */
export function loadExpectations(file: string = EXPECTED_FILE): Primitive[] {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { primitives?: unknown };
  if (!Array.isArray(raw.primitives)) throw new Error(`${file}: expected { "primitives": [...] }`);
  return raw.primitives.map((e: unknown, i: number): Primitive => {
    if (!isRecord(e)) throw new Error(`${file}: primitives[${i}] must be an object`);
    const where = `${file}: primitives[${i}]${typeof e['id'] === 'string' ? ` (${e['id']})` : ''}`;
    for (const k of ['id', 'group', 'title'])
      if (typeof e[k] !== 'string' || e[k] === '') throw new Error(`${where}: "${k}" must be a non-empty string`);
    const expected = e['expected'];
    const reasons = e['reasons'] ?? {};
    if (!isRecord(expected)) throw new Error(`${where}: "expected" must map each column to a result`);
    if (!isRecord(reasons)) throw new Error(`${where}: "reasons" must map columns to reasons`);
    const exp = {} as Record<Column, Result>;
    for (const c of COLUMNS) {
      const v = expected[c];
      if (!isResult(v)) throw new Error(`${where}: expected.${c} must be one of ${RESULTS.join(', ')}`);
      exp[c] = v;
    }
    for (const k of Object.keys(expected))
      if (!(COLUMNS as readonly string[]).includes(k))
        throw new Error(`${where}: expected.${k} is not a column (${COLUMNS.join(', ')})`);
    const rs: Partial<Record<Column, string>> = {};
    for (const [k, v] of Object.entries(reasons)) {
      if (!(COLUMNS as readonly string[]).includes(k)) throw new Error(`${where}: reasons.${k} is not a column`);
      if (typeof v !== 'string' || v === '') throw new Error(`${where}: reasons.${k} must be a non-empty string`);
      rs[k as Column] = v;
    }
    const out: Primitive = {
      id: e['id'] as string,
      group: e['group'] as string,
      title: e['title'] as string,
      expected: exp,
      reasons: rs,
    };
    if (e['note'] !== undefined) {
      if (typeof e['note'] !== 'string' || e['note'] === '')
        throw new Error(`${where}: "note" must be a non-empty string`);
      out.note = e['note'];
    }
    return out;
  });
}

/** Rules the expectations themselves must follow; returns one message per violation. */
export function lintExpectations(primitives: readonly Primitive[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const p of primitives) {
    if (seen.has(p.id)) problems.push(`${p.id}: listed twice`);
    seen.add(p.id);
    for (const c of COLUMNS) {
      const hardened = c === 'strict' || c === 'sandbox' || c === 'compat';
      if (hardened && p.expected[c] === 'succeeded' && !p.reasons[c])
        problems.push(`${p.id}: ${c} lets it succeed without a reason`);
      if (p.expected[c] === 'untestable' && !p.reasons[c] && !p.note)
        problems.push(`${p.id}: ${c} is untestable without a reason or note`);
    }
    if (!COLUMNS.some((c) => p.expected[c] === 'succeeded') && !p.note)
      problems.push(`${p.id}: no column succeeds and there is no note saying why the probe is still trustworthy`);
  }
  return problems;
}

// ------------------------------------------------------------------------------------------------
// Running the probe

export interface Measurement {
  result: Result;
  detail: string;
}
export type ColumnResults = Record<string, Measurement>;
export type Measured = Record<Column, ColumnResults>;

export interface RunRecord {
  column: Column;
  mode: 'all' | 'socket';
  argv: string[];
  durationMs: number;
}

export interface SuiteRun {
  measured: Measured;
  runs: RunRecord[];
  wallMs: number;
}

const LINE = /^([a-z0-9_]+) (succeeded|blocked|untestable) (.*)$/;

/** Parses the probe's output; `done` is the count from its last line, undefined when it never got there. */
export function parseProbeOutput(stdout: string): {
  results: ColumnResults;
  done: number | undefined;
  unparsed: string[];
} {
  const results: ColumnResults = {};
  const unparsed: string[] = [];
  let done: number | undefined;
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const d = /^# done (\d+)$/.exec(line);
    if (d?.[1]) {
      done = Number(d[1]);
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (m?.[1] && m[2] && m[3] !== undefined) results[m[1]] = { result: m[2] as Result, detail: m[3] };
    else unparsed.push(line);
  }
  return { results, done, unparsed };
}

function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

async function runColumn(
  spec: ColumnSpec,
  mode: 'all' | 'socket',
  isolated: string,
): Promise<{ results: ColumnResults; record: RunRecord }> {
  const socketRun = mode === 'socket';
  const mount = socketRun ? ['-v', `${engineSocket()}:/var/run/docker.sock`, '--mount', PROC_VOLUME] : [];
  const args = ['run', '--rm', ...LABEL_ARGS, ...spec.flags(socketRun), ...mount, ESCAPE_IMAGE, '/probe', mode];
  let r: RunResult;
  if (spec.tool === 'safedock') {
    // An empty working directory and config home: no project (.safedock.yaml) or user preset,
    // and no SAFEDOCK_* variable of the caller's, changes what a built-in preset means here.
    r = await runProcess(CLI_ENTRY, args, {
      cwd: isolated,
      env: { XDG_CONFIG_HOME: isolated, SAFEDOCK_PRESET: undefined, SAFEDOCK_POLICY: undefined },
      timeoutMs: 240_000,
    });
  } else {
    r = await runProcess('docker', args, { timeoutMs: 240_000 });
  }
  const shown = `${spec.tool} ${args.join(' ')}`;
  const { results, done, unparsed } = parseProbeOutput(r.stdout);
  if (r.timedOut || r.code !== 0 || done === undefined || unparsed.length > 0) {
    const why = r.timedOut
      ? 'timed out'
      : r.code !== 0
        ? `exited ${r.code ?? r.signal}`
        : done === undefined
          ? 'the probe never printed "# done"'
          : 'unexpected output';
    throw new Error(
      [
        `[safedock security] ${spec.column}: \`${shown}\` ${why}.`,
        r.code === 125
          ? 'Exit 125: safedock or the engine refused the run (a policy refusal names the rule to --accept).'
          : '',
        `stderr:\n${tail(r.stderr)}`,
        `stdout:\n${tail(r.stdout)}`,
        unparsed.length > 0 ? `unparsed lines:\n${unparsed.join('\n')}` : '',
      ]
        .filter((s) => s !== '')
        .join('\n'),
    );
  }
  if (Object.keys(results).length !== done)
    throw new Error(
      `[safedock security] ${spec.column}: the probe announced ${done} results but printed ${Object.keys(results).length}`,
    );
  return { results, record: { column: spec.column, mode, argv: [spec.tool, ...args], durationMs: r.durationMs } };
}

/**
 * Runs every column, one container after another (two cores, and the fork and memory probes
 * load the machine: parallel runs would only make timings noisy, not the suite much faster).
 */
export async function measure(log: (line: string) => void = () => {}): Promise<SuiteRun> {
  const started = performance.now();
  const isolated = mkdtempSync(join(tmpdir(), 'safedock-escape-'));
  const measured = {} as Measured;
  const runs: RunRecord[] = [];
  try {
    for (const spec of COLUMN_SPECS) {
      const main = await runColumn(spec, 'all', isolated);
      const socket = await runColumn(spec, 'socket', isolated);
      measured[spec.column] = { ...main.results, ...socket.results };
      runs.push(main.record, socket.record);
      log(
        `${spec.column}: ${Object.keys(measured[spec.column]).length} primitives in ${Math.round(main.record.durationMs + socket.record.durationMs)} ms`,
      );
    }
  } finally {
    rmSync(isolated, { recursive: true, force: true });
  }
  return { measured, runs, wallMs: performance.now() - started };
}

// ------------------------------------------------------------------------------------------------
// Comparison with the expectations

export interface Difference {
  column: Column;
  id: string;
  expected: Result | 'absent';
  measured: Result | 'missing';
  detail: string;
}

/**
 * `failures`: succeeded where blocked was expected or the other way round, a primitive the probe
 * did not report, or one it reports that expected.json does not list. `untestable` on either
 * side is never a failure: those differences are only reported.
 */
export function compare(
  measured: Measured,
  primitives: readonly Primitive[],
): { failures: Difference[]; reported: Difference[] } {
  const failures: Difference[] = [];
  const reported: Difference[] = [];
  const known = new Set(primitives.map((p) => p.id));
  for (const column of COLUMNS) {
    const results = measured[column];
    for (const p of primitives) {
      const m = results[p.id];
      const expected = p.expected[column];
      if (!m) {
        failures.push({ column, id: p.id, expected, measured: 'missing', detail: 'the probe printed no line for it' });
        continue;
      }
      if (m.result === expected) continue;
      const d: Difference = { column, id: p.id, expected, measured: m.result, detail: m.detail };
      if (m.result === 'untestable' || expected === 'untestable') reported.push(d);
      else failures.push(d);
    }
    for (const [id, m] of Object.entries(results)) {
      if (!known.has(id))
        failures.push({
          column,
          id,
          expected: 'absent',
          measured: m.result,
          detail: `not in test/security/expected.json: ${m.detail}`,
        });
    }
  }
  return { failures, reported };
}

export function formatDifference(d: Difference): string {
  return `${d.column}: ${d.id} expected ${d.expected}, measured ${d.measured} (${d.detail})`;
}

/**
 * Primitives neither control (docker, unconfined) succeeds at, whose row has no note: the probe's
 * "succeeded" path is never exercised for them, so expected.json must say why it is still trusted.
 */
export function unprovenProbes(measured: Measured, primitives: readonly Primitive[]): string[] {
  return primitives
    .filter(
      (p) =>
        measured.docker[p.id]?.result !== 'succeeded' && measured.unconfined[p.id]?.result !== 'succeeded' && !p.note,
    )
    .map((p) => p.id);
}

// ------------------------------------------------------------------------------------------------
// The matrix document

const CELL: Record<Result, string> = { succeeded: '**succeeded**', blocked: 'blocked', untestable: '*untestable*' };

/** The structural rows, shown again with their measured values. */
const VALUE_ROWS: ReadonlyArray<[string, string]> = [
  ['root_user', 'user'],
  ['caps_effective', 'CapEff'],
  ['caps_bounding', 'CapBnd'],
  ['new_privileges', 'NoNewPrivs'],
  ['no_seccomp', 'Seccomp'],
  ['no_pids_limit', 'pids limit'],
  ['no_memory_limit', 'memory limit'],
  ['rootfs_rw', 'root file system'],
];

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/**
 * docs/escape-matrix.md, from what was measured and the reasons in expected.json. Deterministic:
 * nothing in it depends on timing, so the suite can compare it with the checked-in file.
 */
export function renderMatrix(measured: Measured, primitives: readonly Primitive[]): string {
  const out: string[] = [];
  const notes: string[] = [];
  const noteIndex = new Map<string, number>();
  const ref = (text: string): number => {
    let n = noteIndex.get(text);
    if (n === undefined) {
      notes.push(text);
      n = notes.length;
      noteIndex.set(text, n);
    }
    return n;
  };

  out.push(
    '# Escape matrix',
    '',
    `<!-- Generated by \`${MATRIX_COMMAND}\` (scripts/security-matrix.mts). Do not edit: change the probes`,
    '     (test/fixtures/images/escape/probe.c) or the expectations and reasons (test/security/expected.json).',
    `     npm test fails when this file no longer matches what the suite measures. -->`,
    '',
    'What each preset stops, measured: every row is an attack primitive tried from **inside** a container,',
    'by a static probe (test/fixtures/images/escape/probe.c) in a deliberately weak image: root by default,',
    'a setuid-root binary, root with an empty password and a setuid `su`, a root-only secret. Each column is',
    'one container running every probe; a second container per column gets the engine socket mounted and',
    "the host's /proc through a volume's options (`--mount type=volume,volume-opt=type=proc,volume-opt=device=proc`).",
    '',
    '- **succeeded**: the primitive worked, or its call got past seccomp and the capability checks and only',
    '  its deliberately invalid arguments were refused ("reached the kernel"). For the structural rows it',
    '  means the weakness is there.',
    '- blocked: refused (EPERM/EACCES, a read-only or noexec mount, the devices cgroup, a limit).',
    '- *untestable*: this machine cannot tell (the kernel lacks the interface, or nothing to aim at).',
    '',
    'Every probe is non-destructive: kernel files are opened for writing and closed unwritten, calls that',
    'could change the machine get arguments the kernel rejects, the clock and hostname are "set" to what',
    'they are. Measured on the CI engine (Docker Engine 20.10, cgroups v1, runc); `npm test` runs the suite',
    'and fails on any change, in either direction, from test/security/expected.json.',
    '',
    '| column | started with |',
    '| --- | --- |',
  );
  for (const spec of COLUMN_SPECS) out.push(`| ${spec.column} | ${escapeCell(spec.startedWith)} |`);
  out.push('', '## Matrix', '');
  out.push(`| primitive | ${COLUMNS.join(' | ')} |`);
  out.push(`| --- | ${COLUMNS.map(() => '---').join(' | ')} |`);
  let group = '';
  for (const p of primitives) {
    if (p.group !== group) {
      group = p.group;
      out.push(`| **${escapeCell(group)}** | ${COLUMNS.map(() => '').join(' | ')} |`);
    }
    const cells = COLUMNS.map((c) => {
      const m = measured[c][p.id];
      if (!m) return 'missing';
      const reason = p.reasons[c];
      return reason ? `${CELL[m.result]} [${ref(reason)}]` : CELL[m.result];
    });
    const note = p.note ? ` [${ref(p.note)}]` : '';
    out.push(`| \`${p.id}\` ${escapeCell(p.title)}${note} | ${cells.join(' | ')} |`);
  }

  out.push('', '## Reasons and notes', '');
  notes.forEach((n, i) => out.push(`${i + 1}. ${n}`));

  out.push('', '## Measured values of the structural rows', '');
  out.push(`| | ${COLUMNS.join(' | ')} |`);
  out.push(`| --- | ${COLUMNS.map(() => '---').join(' | ')} |`);
  for (const [id, label] of VALUE_ROWS) {
    // "CapEff=0000000000000000" shows as its value; "uid=65534 gid=65534" stays whole.
    const value = (c: Column): string => (measured[c][id]?.detail ?? 'missing').replace(/^[A-Za-z_.]+=(?=[^=]*$)/, '');
    out.push(`| ${label} | ${COLUMNS.map((c) => escapeCell(value(c))).join(' | ')} |`);
  }

  const untestable: string[] = [];
  for (const p of primitives) {
    const where = COLUMNS.filter((c) => measured[c][p.id]?.result === 'untestable');
    if (where.length === 0) continue;
    const details = [...new Set(where.map((c) => measured[c][p.id]?.detail ?? ''))];
    untestable.push(`- \`${p.id}\` (${where.join(', ')}): ${details.join('; ')}`);
  }
  if (untestable.length > 0) out.push('', '## Untestable here', '', 'What the probe reported:', '', ...untestable);

  out.push('', `Refresh with \`${MATRIX_COMMAND}\` (needs a running engine and gcc).`, '');
  return out.join('\n');
}

// ------------------------------------------------------------------------------------------------
// Engine preparation and clean-up

/** Throws, loudly, when no engine answers: the suite is never skipped. */
export async function assertEngine(): Promise<void> {
  await requireEngine('safedock security', 'The escape suite attacks real containers.');
}

/** `safedock run` loads the bundle `npm run build` writes. */
export function assertBuilt(): void {
  if (!existsSync(join(REPO_ROOT, 'dist', 'run.bundle.cjs'))) {
    throw new Error('[safedock security] dist/run.bundle.cjs is missing: run `npm run build` first (npm test does).');
  }
}

/** Builds safedock-escape:latest (cached after the first time) and returns its id. */
export async function buildEscapeImage(): Promise<string> {
  const res = spawnSync('bash', [join(REPO_ROOT, 'scripts', 'images.sh'), '-q', 'escape'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
  });
  if (res.error || res.status !== 0) {
    throw new Error(
      `[safedock security] building ${ESCAPE_IMAGE} failed (bash scripts/images.sh escape, exit ${res.status ?? res.error?.message}):\n${res.stderr}${res.stdout}`,
    );
  }
  const id = await imageId(ESCAPE_IMAGE);
  if (id === undefined)
    throw new Error(`[safedock security] ${ESCAPE_IMAGE} is missing after scripts/images.sh escape`);
  return id;
}

/**
 * Removes, by id, every container labelled safedock.escape=<run id>, then the image (by id, not forced:
 * safedock-busybox, its base and the build cache of the other fixture images, stays).
 * Returns what could not be removed.
 */
export async function cleanUp(escapeImageId: string | undefined): Promise<string[]> {
  const problems: string[] = [];
  try {
    for (const c of await listContainers(ESCAPE_LABEL)) {
      try {
        await removeContainer(c.Id);
      } catch (e) {
        problems.push(`container ${c.Id.slice(0, 12)}: ${(e as Error).message}`);
      }
    }
  } catch (e) {
    problems.push(`listing containers labelled ${ESCAPE_LABEL}: ${(e as Error).message}`);
  }
  if (escapeImageId !== undefined) {
    try {
      await dockerJson(`/images/${encodeURIComponent(escapeImageId)}`, { method: 'DELETE' });
    } catch (e) {
      if ((e as { status?: number }).status !== 404)
        problems.push(`image ${escapeImageId.slice(7, 19)}: ${(e as Error).message}`);
    }
  }
  return problems;
}
