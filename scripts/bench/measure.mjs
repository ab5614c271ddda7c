// How the benchmarks time a command: as a user's shell runs it (the file itself, through its
// shebang), one process per run, its wall time and its CPU time (user + system, of the process and
// everything it waited for) from bash's `time`, to the millisecond. Peak resident memory comes
// from GNU time (/usr/bin/time -f %M) when it is installed.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';

// bash writes the times on its own stderr (fd 2); the command's output goes to fds 3 and 4, or to
// /dev/null when `discard` is asked for (a command that prints a great deal).
const TIMED =
  'TIMEFORMAT="%3R %3U %3S"; if [ "$SAFEDOCK_BENCH_DISCARD" = 1 ]; then time "$@" >/dev/null 2>&4; else time "$@" 1>&3 2>&4; fi';

/**
 * Runs `cmd args` once. Resolves with { wallMs, cpuMs, code, stdout, stderr }; stdout is empty when
 * `discard` sent it to /dev/null.
 */
export function measure(cmd, args, { cwd, discard = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', TIMED, 'bench', cmd, ...args], {
      cwd,
      env: { ...process.env, SAFEDOCK_BENCH_DISCARD: discard ? '1' : '0' },
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    });
    const [timesOut, out, err] = [child.stdio[2], child.stdio[3], child.stdio[4]].map((s) => {
      const chunks = [];
      s.on('data', (c) => chunks.push(c));
      return chunks;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const text = (chunks) => Buffer.concat(chunks).toString('utf8');
      const times = text(timesOut).trim().split('\n').pop().split(' ').map(Number);
      if (times.length !== 3 || times.some((t) => !Number.isFinite(t))) {
        reject(new Error(`no timing for ${cmd} ${args.join(' ')}: ${text(timesOut).trim()}`));
        return;
      }
      const [real, user, sys] = times;
      resolve({ wallMs: real * 1000, cpuMs: (user + sys) * 1000, code, stdout: text(out), stderr: text(err) });
    });
  });
}

/** Peak resident memory of one run, in MiB (GNU time's %M), or undefined without GNU time. */
export async function peakRss(cmd, args, { cwd } = {}) {
  if (!existsSync(GNU_TIME)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'safedock-bench-rss-'));
  try {
    const file = join(dir, 'rss');
    const r = await measure(GNU_TIME, ['-f', '%M', '-o', file, cmd, ...args], { cwd, discard: true });
    if (r.code !== 0 && r.code !== 1) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.code}): ${r.stderr}`);
    return Number.parseInt(readFileSync(file, 'utf8').trim().split('\n').pop(), 10) / 1024;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Median, and the 10th and 90th percentiles (nearest rank), of a list of numbers. */
export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  const median = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median, p10: at(0.1), p90: at(0.9), n: s.length };
}
