#!/usr/bin/env node
// Wall-time benchmark: `safedock run` against `docker run` on the same engine, then `safedock audit`
// on many containers beside docker-bench-security (scripts/bench/audit.mjs; BENCH_AUDIT=0 skips it).
//
//   npm run bench                  (builds first; or: node scripts/bench.mjs after npm run build)
//
// Paired and interleaved: after 2 warm-ups of each, BENCH_RUNS pairs (default 15) of
//   node bin/run.js run --rm safedock-test true      and      docker run --rm safedock-test true
// alternating which goes first in each pair. Prints median and p90 wall time per command, the ratio
// of the medians, the startup time of `node bin/run.js --version`, and the peak RSS of the safedock
// process, as a markdown table for the README. Exits 1 when the ratio exceeds BENCH_MAX_RATIO
// (default 1.3) or any run fails.
//
// Env: BENCH_RUNS (15), BENCH_MAX_RATIO (1.3), BENCH_IMAGE (safedock-test), BENCH_CLI (bin/run.js).
// safedock-test is built with scripts/images.sh when missing (and removed again at the end).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const RUNS = positiveInt(env.BENCH_RUNS, 15);
const WARMUPS = 2;
const MAX_RATIO = positiveNumber(env.BENCH_MAX_RATIO, 1.3);
const IMAGE = env.BENCH_IMAGE || 'safedock-test';
const CLI = env.BENCH_CLI || join(root, 'bin', 'run.js');
const TIME = '/usr/bin/time';

function positiveInt(v, dflt) {
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) fail(`expected a positive integer, got ${JSON.stringify(v)}`);
  return n;
}
function positiveNumber(v, dflt) {
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!(n > 0)) fail(`expected a positive number, got ${JSON.stringify(v)}`);
  return n;
}
function fail(msg) {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(1);
}
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

/** Run a command to completion; resolves with wall time (ms), exit code and output. */
function timed(cmd, args) {
  return new Promise((resolve, reject) => {
    const out = [];
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => out.push(c));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      resolve({ ms, code, signal, output: Buffer.concat(out).toString('utf8') });
    });
  });
}

async function runOk(label, cmd, args) {
  const r = await timed(cmd, args);
  if (r.code !== 0) fail(`${label} failed (exit ${r.code ?? r.signal}):\n${r.output.trim()}`);
  return r.ms;
}

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  const median = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median, p90: at(0.9), min: s[0], max: s[s.length - 1], n: s.length };
}

// --- preconditions ------------------------------------------------------------------------------
if (!existsSync(CLI)) fail(`${CLI} not found`);
if (!existsSync(join(root, 'dist'))) fail('dist/ not found: run `npm run build` first (npm run bench does)');
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

const node = process.execPath;
const commands = {
  safedock: { label: `safedock run --rm ${IMAGE} true`, cmd: CLI, args: ['run', '--rm', IMAGE, 'true'] },
  docker: { label: `docker run --rm ${IMAGE} true`, cmd: 'docker', args: ['run', '--rm', IMAGE, 'true'] },
};

// --- paired, interleaved runs -------------------------------------------------------------------
log(`${WARMUPS} warm-ups each, then ${RUNS} interleaved pairs…`);
for (let i = 0; i < WARMUPS; i++) {
  await runOk(commands.safedock.label, commands.safedock.cmd, commands.safedock.args);
  await runOk(commands.docker.label, commands.docker.cmd, commands.docker.args);
}
const times = { safedock: [], docker: [] };
for (let i = 0; i < RUNS; i++) {
  const order = i % 2 === 0 ? ['safedock', 'docker'] : ['docker', 'safedock'];
  for (const k of order) times[k].push(await runOk(commands[k].label, commands[k].cmd, commands[k].args));
}

// --- CLI startup ----------------------------------------------------------------------------------
const versionTimes = [];
await runOk('safedock --version', CLI, ['--version']);
for (let i = 0; i < RUNS; i++) versionTimes.push(await runOk('safedock --version', CLI, ['--version']));

// --- peak RSS of the safedock process -------------------------------------------------------------
const tmp = mkdtempSync(join(tmpdir(), 'safedock-bench-'));
let rssKb = 0;
let rssMethod;
try {
  const rssRuns = 3;
  if (existsSync(TIME)) {
    rssMethod = `${TIME} -f %M`;
    for (let i = 0; i < rssRuns; i++) {
      const f = join(tmp, `rss${i}`);
      await runOk(commands.safedock.label, TIME, ['-f', '%M', '-o', f, CLI, ...commands.safedock.args]);
      rssKb = Math.max(rssKb, Number.parseInt(readFileSync(f, 'utf8').trim().split('\n').pop(), 10) || 0);
    }
  } else {
    // No GNU time: a preload that writes the process's own maxRSS (KiB on Linux) when it exits.
    rssMethod = 'process.resourceUsage().maxRSS';
    const hook = join(tmp, 'rss-hook.mjs');
    writeFileSync(
      hook,
      "import { writeFileSync } from 'node:fs';\n" +
        "process.on('exit', () => writeFileSync(process.env.SAFEDOCK_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));\n",
    );
    for (let i = 0; i < rssRuns; i++) {
      const f = join(tmp, `rss${i}`);
      process.env.SAFEDOCK_BENCH_RSS_FILE = f;
      await runOk(commands.safedock.label, node, ['--import', hook, '--', CLI, ...commands.safedock.args]);
      rssKb = Math.max(rssKb, Number.parseInt(readFileSync(f, 'utf8'), 10) || 0);
    }
    delete process.env.SAFEDOCK_BENCH_RSS_FILE;
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

for (const id of builtImageIds) if (id) spawnSync('docker', ['image', 'rm', id], { stdio: 'ignore' });

// --- report -------------------------------------------------------------------------------------
const sd = stats(times.safedock);
const dk = stats(times.docker);
const ver = stats(versionTimes);
const ratio = sd.median / dk.median;
const f0 = (x) => x.toFixed(0);
const ok = ratio <= MAX_RATIO;

const lines = [
  `Node ${process.version}, docker ${dockerVersion.stdout.trim()}, ${cpus().length} cores; ${RUNS} interleaved pairs after ${WARMUPS} warm-ups each.`,
  '',
  '| command | median | p90 | min | max |',
  '| --- | ---: | ---: | ---: | ---: |',
  `| \`${commands.docker.label}\` | ${f0(dk.median)} ms | ${f0(dk.p90)} ms | ${f0(dk.min)} ms | ${f0(dk.max)} ms |`,
  `| \`${commands.safedock.label}\` | ${f0(sd.median)} ms | ${f0(sd.p90)} ms | ${f0(sd.min)} ms | ${f0(sd.max)} ms |`,
  `| \`safedock --version\` (startup) | ${f0(ver.median)} ms | ${f0(ver.p90)} ms | ${f0(ver.min)} ms | ${f0(ver.max)} ms |`,
  '',
  `Ratio of medians, safedock / docker: **${ratio.toFixed(2)}** (limit ${MAX_RATIO}). ` +
    `Peak RSS of the safedock process: **${(rssKb / 1024).toFixed(0)} MiB** (${rssMethod}, max of 3 runs).`,
];
process.stdout.write(lines.join('\n') + '\n');
if (!ok) fail(`ratio ${ratio.toFixed(2)} exceeds BENCH_MAX_RATIO=${MAX_RATIO}`);

// --- safedock audit on many containers (scripts/bench/audit.mjs; BENCH_AUDIT=0 skips it) ----------
if (env.BENCH_AUDIT !== '0') {
  const { auditBench } = await import('./bench/audit.mjs');
  const audit = await auditBench(env).catch((err) => fail(`audit benchmark: ${err.message}`));
  process.stdout.write('\n' + audit.lines.join('\n') + '\n');
  if (!audit.ok) fail('safedock audit is over its time or memory limit');
}
