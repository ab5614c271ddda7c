#!/usr/bin/env node
// Audit benchmark: `safedock audit` on N running containers, beside docker-bench-security's section 5.
//
//   npm run bench            (the run benchmark, then this one; BENCH_AUDIT=0 skips this one)
//   npm run bench:audit      (this one alone; builds first)
//
// Starts N busybox containers (default 200, label safedock.bench=<run id>, plain `docker run -d`),
// times `safedock audit --json` on them (1 warm-up, then BENCH_AUDIT_RUNS runs, median), measures the
// audit's peak RSS with GNU time, and, when DOCKER_BENCH_SECURITY names a checkout of the public
// repository docker/docker-bench-security (kept outside this repository, never committed), times its
// section 5 (`-c container_runtime`) on the same containers. Removes the containers (by id) at the end.
// Prints a markdown table for the README. Exits 1 when the audit's median exceeds BENCH_AUDIT_MAX_MS
// (default 2000) or its peak RSS exceeds BENCH_AUDIT_MAX_MIB (default 120), or anything fails.
//
// Env: BENCH_AUDIT_CONTAINERS (200), BENCH_AUDIT_RUNS (5), BENCH_AUDIT_MAX_MS (2000),
//      BENCH_AUDIT_MAX_MIB (120), BENCH_IMAGE (safedock-test), BENCH_CLI (bin/run.js),
//      DOCKER_BENCH_SECURITY (a docker-bench-security checkout; not run when unset).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function positive(v, dflt, integer) {
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!(n > 0) || (integer && !Number.isInteger(n)))
    throw new Error(`expected a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(v)}`);
  return n;
}

const log = (msg) => process.stderr.write(`bench audit: ${msg}\n`);

/** Runs a command; resolves with wall time (ms), exit code and output. */
function timed(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const out = [];
    const err = [];
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd: options.cwd ?? root, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({
        ms: Number(process.hrtime.bigint() - t0) / 1e6,
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs `jobs` (functions returning promises) `width` at a time. */
async function pool(jobs, width) {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < jobs.length; i = next++) await jobs[i]();
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
}

/**
 * The audit benchmark; resolves with { ok, lines } (markdown) and the figures (result), and never
 * leaves a container behind.
 */
export async function auditBench(env = process.env) {
  const N = positive(env.BENCH_AUDIT_CONTAINERS, 200, true);
  const RUNS = positive(env.BENCH_AUDIT_RUNS, 5, true);
  const MAX_MS = positive(env.BENCH_AUDIT_MAX_MS, 2000, false);
  const MAX_MIB = positive(env.BENCH_AUDIT_MAX_MIB, 120, false);
  const IMAGE = env.BENCH_IMAGE || 'safedock-test';
  const CLI = env.BENCH_CLI || join(root, 'bin', 'run.js');
  const DBS = env.DOCKER_BENCH_SECURITY;
  const runId = `${process.pid.toString(36)}${Date.now().toString(36)}`;
  const label = `safedock.bench=${runId}`;
  const prefix = `sd-bench-${runId}-`;

  const imageExists = (ref) => spawnSync('docker', ['image', 'inspect', ref], { stdio: 'ignore' }).status === 0;
  let builtImage;
  if (!imageExists(IMAGE)) {
    if (IMAGE !== 'safedock-test') throw new Error(`image ${IMAGE} not found`);
    log(`${IMAGE} missing: building it (scripts/images.sh test)`);
    const had = imageExists('safedock-test-nonroot');
    if (spawnSync('bash', [join(root, 'scripts', 'images.sh'), '-q', 'test'], { stdio: 'inherit' }).status !== 0)
      throw new Error('building the test image failed');
    builtImage = ['safedock-test:latest', ...(had ? [] : ['safedock-test-nonroot:latest'])];
  }

  const tmp = mkdtempSync(join(tmpdir(), 'safedock-bench-audit-'));
  const names = Array.from({ length: N }, (_, i) => `${prefix}${i}`);
  try {
    log(`starting ${N} containers (docker run -d ${IMAGE} sleep 3600)…`);
    const t0 = Date.now();
    await pool(
      names.map((name) => async () => {
        const r = await timed('docker', ['run', '-d', '--label', label, '--name', name, IMAGE, 'sleep', '3600']);
        if (r.code !== 0) throw new Error(`docker run ${name} failed: ${r.stderr.trim()}`);
      }),
      6,
    );
    log(`started in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const auditArgs = ['audit', '--json', ...names];
    const once = async () => {
      const r = await timed(CLI, auditArgs);
      if (r.code !== 0 && r.code !== 1) throw new Error(`safedock audit failed (exit ${r.code}): ${r.stderr.trim()}`);
      const doc = JSON.parse(r.stdout);
      if (doc.containers.length !== N)
        throw new Error(`safedock audit reported ${doc.containers.length} containers, not ${N}`);
      return { ms: r.ms, findings: doc.summary.findings };
    };
    await once();
    const times = [];
    let findings = 0;
    for (let i = 0; i < RUNS; i++) {
      const r = await once();
      times.push(r.ms);
      findings = r.findings;
    }
    const rssFile = join(tmp, 'rss');
    const rss = await timed('/usr/bin/time', ['-f', '%M', '-o', rssFile, CLI, ...auditArgs]);
    if (rss.code !== 0 && rss.code !== 1)
      throw new Error(`safedock audit under /usr/bin/time failed: ${rss.stderr.trim()}`);
    const rssMib = Number.parseInt(readFileSync(rssFile, 'utf8').trim().split('\n').pop(), 10) / 1024;
    const auditMs = median(times);

    let bench;
    if (DBS && existsSync(join(DBS, 'docker-bench-security.sh'))) {
      const copy = join(tmp, 'docker-bench-security');
      cpSync(DBS, copy, { recursive: true, filter: (src) => !src.includes('/.git') });
      log(`docker-bench-security section 5 on the same ${N} containers (one run)…`);
      const r = await timed(
        'sh',
        ['docker-bench-security.sh', '-c', 'container_runtime', '-i', prefix, '-l', join(tmp, 'dbs.log')],
        {
          cwd: copy,
        },
      );
      const warned = new Set([...r.stdout.matchAll(new RegExp(`\\* [^:]*: (${prefix}\\d+)`, 'g'))].map((m) => m[1]));
      bench = { ms: r.ms, code: r.code, containersNamed: warned.size };
    } else {
      log(
        'docker-bench-security: not run (set DOCKER_BENCH_SECURITY to a checkout of the public repository docker/docker-bench-security, kept outside this repository)',
      );
    }

    const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
    const per = (ms) => `${(ms / N).toFixed(1)} ms`;
    const lines = [
      `${N} running busybox containers on ${spawnSync('docker', ['version', '-f', 'Docker {{.Server.Version}}'], { encoding: 'utf8' }).stdout.trim()}, ${cpus().length} cores, Node ${process.version}.`,
      '',
      '| what | wall time | per container | peak RSS |',
      '| --- | ---: | ---: | ---: |',
      `| \`safedock audit --json\` (median of ${RUNS}, ${findings} findings) | ${s(auditMs)} | ${per(auditMs)} | ${rssMib.toFixed(0)} MiB |`,
      bench
        ? `| docker-bench-security \`-c container_runtime\` (section 5, one run, exit ${bench.code}) | ${s(bench.ms)} | ${per(bench.ms)} | - |`
        : '| docker-bench-security section 5 | not run (DOCKER_BENCH_SECURITY unset) | | |',
      '',
      `Limits: ${MAX_MS} ms and ${MAX_MIB} MiB for the audit.` +
        (bench ? ` docker-bench-security / safedock: **${(bench.ms / auditMs).toFixed(0)}×**.` : ''),
    ];
    const ok = auditMs <= MAX_MS && rssMib <= MAX_MIB;
    if (!ok)
      log(`over the limits: ${auditMs.toFixed(0)} ms (max ${MAX_MS}), ${rssMib.toFixed(0)} MiB (max ${MAX_MIB})`);
    const result = {
      containers: N,
      runs: RUNS,
      findings,
      ms: auditMs,
      rssMib,
      maxMs: MAX_MS,
      maxMib: MAX_MIB,
      ...(bench ? { benchMs: bench.ms } : {}),
    };
    return { ok, lines, result };
  } finally {
    const ids = spawnSync('docker', ['ps', '-aq', '--filter', `label=${label}`], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean);
    for (let i = 0; i < ids.length; i += 50)
      spawnSync('docker', ['rm', '-f', ...ids.slice(i, i + 50)], { stdio: 'ignore' });
    if (ids.length > 0) log(`removed ${ids.length} containers`);
    for (const ref of builtImage ?? []) spawnSync('docker', ['image', 'rm', ref], { stdio: 'ignore' });
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const { ok, lines } = await auditBench();
    process.stdout.write(`${lines.join('\n')}\n`);
    process.exit(ok ? 0 : 1);
  } catch (err) {
    log(err.message);
    process.exit(1);
  }
}
