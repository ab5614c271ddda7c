#!/usr/bin/env node
// The benchmark: every speed and memory goal of safedock in ONE table, docker's figure beside
// safedock's wherever docker does the same thing.
//
//   npm run bench                  (builds first; or: node scripts/bench.mjs after npm run build)
//
// Each command runs as a user's shell runs it (bin/run.js through its shebang), one process per run,
// timed by bash's `time` (wall and CPU = user + system, to the millisecond; scripts/bench/measure.mjs).
// After warm-ups (the first run of a build also writes its code cache), BENCH_RUNS rounds: in each
// round every command runs once, in turns, `safedock run` and `docker run` as a pair in alternating
// order; the run's ratio is the median of the per-round ratios (paired, so a drifting machine does
// not move it). Each figure is the median with the 10th-90th percentile spread. Then the peak
// resident memory of `safedock run` (GNU time), BENCH_STDOUT_RUNS pairs of 256 MiB of output
// through run, and `safedock audit` on 200 running containers (scripts/bench/audit.mjs).
//
// Two rows are references, not goals: safedock's run beside docker given the same settings (what
// the hardening costs the engine), and a bare Node client beside docker (scripts/bench/node-floor.cjs:
// what any Node program pays before it does anything of its own).
//
// Prints the machine (CPU, cores, memory, load averages before and after: other work on the machine
// shows in the spread) and the table; exits 1 when a figure misses its goal or a command fails.
//
// Env: BENCH_RUNS (15), BENCH_STDOUT_RUNS (3, 0 skips), BENCH_AUDIT=0 skips the 200-container audit
// (and its env, see scripts/bench/audit.mjs), BENCH_IMAGE (safedock-test), BENCH_CLI (bin/run.js).
// safedock-test is built with scripts/images.sh when missing (and removed again at the end).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, peakRss, stats } from './bench/measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const RUNS = positiveInt(env.BENCH_RUNS, 15);
const STDOUT_RUNS = nonNegativeInt(env.BENCH_STDOUT_RUNS, 3);
const WARMUPS = 2;
const IMAGE = env.BENCH_IMAGE || 'safedock-test';
const CLI = env.BENCH_CLI || join(root, 'bin', 'run.js');
const FLOOR = join(root, 'scripts', 'bench', 'node-floor.cjs');

function positiveInt(v, dflt) {
  const n = nonNegativeInt(v, dflt);
  if (n < 1) fail(`expected a positive integer, got ${JSON.stringify(v)}`);
  return n;
}
function nonNegativeInt(v, dflt) {
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) fail(`expected a whole number, got ${JSON.stringify(v)}`);
  return n;
}
function fail(msg) {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(1);
}
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

// --- preconditions ------------------------------------------------------------------------------
if (!existsSync(CLI)) fail(`${CLI} not found`);
if (!existsSync(join(root, 'dist'))) fail('dist/ not found: run `npm run build` first (npm run bench does)');
if (spawnSync('bash', ['-c', 'true']).status !== 0) fail('bash is needed to time the commands');
const dockerVersion = spawnSync('docker', ['version', '--format', '{{.Client.Version}} / engine {{.Server.Version}}'], {
  encoding: 'utf8',
});
if (dockerVersion.status !== 0) {
  fail(`no Docker engine answers (start one with: bash scripts/engine.sh)\n${(dockerVersion.stderr || '').trim()}`);
}
const imageExists = (ref) => spawnSync('docker', ['image', 'inspect', ref], { stdio: 'ignore' }).status === 0;
/** Images this run built (scripts/images.sh test builds both test images): removed by id at the end. */
const builtImageIds = [];
if (!imageExists(IMAGE)) {
  if (IMAGE !== 'safedock-test') fail(`image ${IMAGE} not found`);
  const missing = ['safedock-test:latest', 'safedock-test-nonroot:latest'].filter((r) => !imageExists(r));
  log(`${IMAGE} missing: building it (scripts/images.sh test)`);
  const b = spawnSync('bash', [join(root, 'scripts', 'images.sh'), '-q', 'test'], { stdio: 'inherit' });
  if (b.status !== 0) fail('building the test image failed');
  for (const ref of missing) {
    builtImageIds.push(
      spawnSync('docker', ['image', 'inspect', '-f', '{{.Id}}', ref], { encoding: 'utf8' }).stdout.trim(),
    );
  }
}
// safedock's commands run in an empty folder: no project config of this checkout applies.
const cwd = mkdtempSync(join(tmpdir(), 'safedock-bench-'));
const hasExport = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')).commands.export !== undefined;

/**
 * The commands timed in rounds. `vs` is docker's counterpart; `goal` the limit in ms, or for the run
 * the limits on the paired ratios (wall) and on the ratio of the CPU medians.
 */
const COMMANDS = [
  {
    // For reference, not a goal: safedock's run beside docker given the very settings safedock
    // sends (export --format args), so the engine's own cost of the hardening (the isolated
    // network above all) shows apart from safedock's.
    key: 'run-hardened',
    what: `run --rm ${IMAGE} true`,
    args: ['run', '--rm', IMAGE, 'true'],
    vs: hardenedDockerArgs(),
    reference: `\`safedock run --rm ${IMAGE} true\` beside \`docker run\` with the same settings (export --format args)`,
  },
  {
    // For reference, not a goal: the least any Node program takes for docker's requests (no
    // policy, no dockerode, no node:http), so the part of safedock's figures that is Node's own
    // start shows apart from safedock's work.
    key: 'node-floor',
    cmd: FLOOR,
    what: `${IMAGE} true`,
    args: [IMAGE, 'true'],
    vs: ['run', '--rm', IMAGE, 'true'],
    reference: `a bare Node client beside \`docker run --rm ${IMAGE} true\` (scripts/bench/node-floor.cjs: docker's five requests by hand, nothing else)`,
  },
  {
    key: 'run',
    what: `run --rm ${IMAGE} true`,
    args: ['run', '--rm', IMAGE, 'true'],
    vs: ['run', '--rm', IMAGE, 'true'],
    ratioGoal: 1.1,
    cpuRatioGoal: 2,
  },
  { key: 'dry', what: `run --dry-run ${IMAGE} true`, args: ['run', '--dry-run', IMAGE, 'true'], goal: 80 },
  { key: 'version', what: '--version', args: ['--version'], vs: ['--version'], goal: 100 },
  { key: 'help', what: '--help', args: ['--help'], vs: ['--help'], goal: 100 },
  { key: 'presets', what: 'presets list', args: ['presets', 'list'], goal: 150 },
  { key: 'rules', what: 'rules', args: ['rules'], goal: 150 },
  { key: 'explain', what: `explain ${IMAGE} true`, args: ['explain', IMAGE, 'true'], goal: 150 },
  { key: 'audit', what: 'audit', args: ['audit'], goal: 150, exitOk: [0, 1] },
  ...(hasExport
    ? [
        {
          key: 'export',
          what: `export --format compose ${IMAGE}`,
          args: ['export', '--format', 'compose', IMAGE],
          goal: 150,
        },
      ]
    : []),
];

/** `docker run --rm …` with the flags safedock's plan for IMAGE gives docker (the shell-quoted words split by bash). */
function hardenedDockerArgs() {
  const exported = spawnSync(CLI, ['export', '--format', 'args', IMAGE, 'true'], { cwd, encoding: 'utf8' });
  if (exported.status !== 0) fail(`safedock export --format args ${IMAGE} failed:\n${exported.stderr.trim()}`);
  const split = spawnSync('bash', ['-c', 'eval "set -- $1"; printf "%s\\0" "$@"', 'split', exported.stdout.trim()], {
    encoding: 'utf8',
  });
  const words = split.stdout.split('\0').filter((w) => w !== '');
  if (split.status !== 0 || words[0] !== 'docker' || words[1] !== 'run') fail(`unexpected export: ${exported.stdout}`);
  return ['run', '--rm', ...words.slice(2)];
}

async function once(cmd, args, exitOk = [0]) {
  const r = await measure(cmd, args, { cwd });
  if (!exitOk.includes(r.code)) fail(`${cmd} ${args.join(' ')} failed (exit ${r.code}):\n${r.stderr.trim()}`);
  return r;
}

const load0 = loadavg();
const running = spawnSync('docker', ['ps', '-q'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).length;
log(`${WARMUPS} warm-ups, then ${RUNS} rounds of ${COMMANDS.length} commands…`);
for (let w = 0; w < WARMUPS; w++) {
  for (const c of COMMANDS) {
    await once(c.cmd ?? CLI, c.args, c.exitOk);
    if (c.vs) await once('docker', c.vs);
  }
}
const samples = new Map(COMMANDS.map((c) => [c.key, { sd: [], sdCpu: [], dk: [], dkCpu: [], ratios: [] }]));
for (let round = 0; round < RUNS; round++) {
  for (const c of COMMANDS) {
    const s = samples.get(c.key);
    const pair = c.vs ? (round % 2 === 0 ? ['sd', 'dk'] : ['dk', 'sd']) : ['sd'];
    const got = {};
    for (const who of pair)
      got[who] = who === 'sd' ? await once(c.cmd ?? CLI, c.args, c.exitOk) : await once('docker', c.vs);
    s.sd.push(got.sd.wallMs);
    s.sdCpu.push(got.sd.cpuMs);
    if (got.dk) {
      s.dk.push(got.dk.wallMs);
      s.dkCpu.push(got.dk.cpuMs);
      s.ratios.push(got.sd.wallMs / got.dk.wallMs);
    }
  }
}

// The machine's load after the timed rounds: the output and audit parts below load it themselves
// (200 containers), which says nothing about the noise in the rounds.
const load1 = loadavg();

// --- peak memory -------------------------------------------------------------------------------
const rssRuns = 3;
const rss = { sd: [], dk: [] };
for (let i = 0; i < rssRuns; i++) {
  rss.sd.push(await peakRss(CLI, ['run', '--rm', IMAGE, 'true'], { cwd }));
  rss.dk.push(await peakRss('docker', ['run', '--rm', IMAGE, 'true'], { cwd }));
}

// --- 256 MiB of output through run ---------------------------------------------------------------
const stdout = { sd: [], dk: [] };
if (STDOUT_RUNS > 0) {
  log(`${STDOUT_RUNS} pairs of 256 MiB of output through run…`);
  const argsOut = ['run', '--rm', IMAGE, 'head', '-c', String(256 * 1024 * 1024), '/dev/zero'];
  for (let i = 0; i < STDOUT_RUNS; i++) {
    for (const who of i % 2 === 0 ? ['sd', 'dk'] : ['dk', 'sd']) {
      const r = await measure(who === 'sd' ? CLI : 'docker', argsOut, { cwd, discard: true });
      if (r.code !== 0) fail(`256 MiB through ${who === 'sd' ? 'safedock' : 'docker'} run failed: ${r.stderr.trim()}`);
      stdout[who].push(r.wallMs);
    }
  }
}

// --- safedock audit on 200 containers -----------------------------------------------------------
let audit;
if (env.BENCH_AUDIT !== '0') {
  const { auditBench } = await import('./bench/audit.mjs');
  audit = await auditBench(env).catch((err) => fail(`audit benchmark: ${err.message}`));
}
for (const id of builtImageIds) if (id) spawnSync('docker', ['image', 'rm', id], { stdio: 'ignore' });
rmSync(cwd, { recursive: true, force: true });

// --- the table ---------------------------------------------------------------------------------
const ms = (x) => `${x.toFixed(0)} ms`;
const spread = (xs) => {
  const t = stats(xs);
  return `${ms(t.median)} (${t.p10.toFixed(0)}–${t.p90.toFixed(0)})`;
};
const cpuOf = (xs) => ms(stats(xs).median);
const rows = [];
let allMet = true;
const row = (what, sd, sdCpu, dk, dkCpu, goal, met) => {
  allMet &&= met;
  rows.push(`| ${what} | ${sd} | ${sdCpu} | ${dk} | ${dkCpu} | ${goal} | ${met ? 'yes' : '**no**'} |`);
};
for (const c of COMMANDS) {
  const s = samples.get(c.key);
  const label = `\`safedock ${c.what}\``;
  if (c.reference) {
    const ratio = stats(s.ratios);
    const cpuRatio = stats(s.sdCpu).median / stats(s.dkCpu).median;
    row(
      c.reference,
      spread(s.sd),
      cpuOf(s.sdCpu),
      spread(s.dk),
      cpuOf(s.dkCpu),
      `reference, no goal: wall **${ratio.median.toFixed(2)}×** (${ratio.p10.toFixed(2)}–${ratio.p90.toFixed(2)}), CPU **${cpuRatio.toFixed(1)}×**`,
      true,
    );
    continue;
  }
  if (c.ratioGoal) {
    const ratio = stats(s.ratios);
    const cpuRatio = stats(s.sdCpu).median / stats(s.dkCpu).median;
    row(
      label,
      spread(s.sd),
      cpuOf(s.sdCpu),
      spread(s.dk),
      cpuOf(s.dkCpu),
      `wall ≤ ${c.ratioGoal}× docker: **${ratio.median.toFixed(2)}×** (${ratio.p10.toFixed(2)}–${ratio.p90.toFixed(2)})`,
      ratio.median <= c.ratioGoal,
    );
    row(
      '↳ CPU time of that run',
      cpuOf(s.sdCpu),
      '',
      cpuOf(s.dkCpu),
      '',
      `CPU ≤ ${c.cpuRatioGoal}× docker: **${cpuRatio.toFixed(1)}×**`,
      cpuRatio <= c.cpuRatioGoal,
    );
    continue;
  }
  const median = stats(s.sd).median;
  row(
    label,
    spread(s.sd),
    cpuOf(s.sdCpu),
    c.vs ? spread(s.dk) : '',
    c.vs ? cpuOf(s.dkCpu) : '',
    `≤ ${c.goal} ms`,
    median <= c.goal,
  );
}
if (rss.sd.every((x) => x !== undefined)) {
  const worst = Math.max(...rss.sd);
  row(
    `peak RSS of \`safedock run --rm ${IMAGE} true\` (max of ${rssRuns})`,
    `${worst.toFixed(1)} MiB`,
    '',
    `${Math.max(...rss.dk).toFixed(1)} MiB`,
    '',
    '≤ 50 MiB',
    worst <= 50,
  );
}
if (stdout.sd.length > 0) {
  const sd = stats(stdout.sd).median;
  const dk = stats(stdout.dk).median;
  row(
    `256 MiB of output through \`run\` (to /dev/null, ${STDOUT_RUNS} pairs)`,
    `${(sd / 1000).toFixed(2)} s`,
    '',
    `${(dk / 1000).toFixed(2)} s`,
    '',
    'no slower than docker',
    sd <= dk,
  );
}
if (audit) {
  const r = audit.result;
  row(
    `\`safedock audit --json\` on ${r.containers} running containers (median of ${r.runs}, ${r.findings} findings)`,
    `${(r.ms / 1000).toFixed(2)} s, ${r.rssMib.toFixed(0)} MiB`,
    '',
    r.benchMs === undefined
      ? 'docker-bench-security: not run'
      : `docker-bench-security §5: ${(r.benchMs / 1000).toFixed(1)} s`,
    '',
    `≤ ${(r.maxMs / 1000).toFixed(1)} s, ≤ ${r.maxMib} MiB`,
    audit.ok,
  );
}

const cpu = cpus();
const lines = [
  `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ` +
    `Node ${process.version}; docker ${dockerVersion.stdout.trim()}; load average ${load0[0].toFixed(2)} before the timed rounds, ` +
    `${load1[0].toFixed(2)} after them; \`safedock audit\` found ${running} running containers to audit.`,
  `${RUNS} rounds after ${WARMUPS} warm-ups; medians, with the 10th–90th percentile in brackets; CPU is user + system.`,
  '',
  '| what | safedock | CPU | docker | CPU | goal | met |',
  '| --- | ---: | ---: | ---: | ---: | --- | :---: |',
  ...rows,
];
process.stdout.write(`${lines.join('\n')}\n`);
if (load0[0] > 1.5 || load1[0] > 1.5) log('the machine was busy (load average over 1.5): the figures are noisy');
if (!allMet) fail('a figure misses its goal');
