/**
 * Helpers for integration tests that talk to a real Docker engine.
 *
 * Everything a test creates on the engine must carry the label `safedock.test=<run id>`
 * (`TEST_LABEL_ARGS` for CLI args, `TEST_LABELS` for API bodies): the integration suite's
 * global teardown (test/setup/engine.ts) removes every container with that label.
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** Repository root (the folder holding package.json). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
/** The built CLI's entry point. */
export const CLI_ENTRY = join(REPO_ROOT, 'bin', 'run.js');

export const TEST_LABEL_KEY = 'safedock.test';
/**
 * This test run's id (vitest.config.ts sets SAFEDOCK_TEST_RUN once per run): teardown removes only
 * this run's containers, so two suites on one engine (two checkouts) do not remove each other's.
 */
export const TEST_RUN_ID = process.env['SAFEDOCK_TEST_RUN'] ?? '1';
export const TEST_LABEL = `${TEST_LABEL_KEY}=${TEST_RUN_ID}`;
/** Label flags to add to `safedock run` / `docker run` args so teardown finds the container. */
export const TEST_LABEL_ARGS: readonly string[] = ['--label', TEST_LABEL];
/** Label map for API request bodies. */
export const TEST_LABELS: Readonly<Record<string, string>> = { [TEST_LABEL_KEY]: TEST_RUN_ID };

/** busybox, root user, no CMD: pass the command. Built by the integration globalSetup. */
export const TEST_IMAGE = 'safedock-test:latest';
/** Same, with `USER 1000:1000`. */
export const TEST_IMAGE_NONROOT = 'safedock-test-nonroot:latest';
/** Traces a child of its own (ptrace): refused by safedock's profile, allowed by the engine's default. */
export const TRACER_IMAGE = 'safedock-test-tracer:latest';
/** The README's demo image (CMD prints uid, CapEff, NoNewPrivs, Seccomp, root fs writability). */
export const DEMO_IMAGE = 'safedock-demo:latest';
/** Images the integration suite builds at setup and removes at teardown. */
export const SUITE_IMAGES: readonly string[] = [TEST_IMAGE, TEST_IMAGE_NONROOT, TRACER_IMAGE];

/**
 * Path of the engine's unix socket: `DOCKER_HOST` when it is `unix://PATH`, else
 * `/var/run/docker.sock`. Throws for other DOCKER_HOST schemes (the suite only uses unix sockets).
 */
export function engineSocket(env: NodeJS.ProcessEnv = process.env): string {
  const host = env['DOCKER_HOST'];
  if (host === undefined || host === '') return '/var/run/docker.sock';
  if (host.startsWith('unix://')) return host.slice('unix://'.length);
  throw new Error(`DOCKER_HOST=${host} is not a unix:// socket; the integration tests need a local engine socket`);
}

export interface EngineResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface EngineRequestOptions {
  method?: string;
  /** Sent as JSON (objects) or as is (string/Buffer). */
  body?: unknown;
  socket?: string;
  timeoutMs?: number;
}

/** One raw HTTP request to the engine over its unix socket. Never throws on HTTP status. */
export function engineRequest(path: string, opts: EngineRequestOptions = {}): Promise<EngineResponse> {
  const socketPath = opts.socket ?? engineSocket();
  const timeoutMs = opts.timeoutMs ?? 30_000;
  let payload: Buffer | undefined;
  const headers: Record<string, string> = {};
  if (opts.body !== undefined) {
    if (Buffer.isBuffer(opts.body)) payload = opts.body;
    else if (typeof opts.body === 'string') payload = Buffer.from(opts.body);
    else {
      payload = Buffer.from(JSON.stringify(opts.body));
      headers['Content-Type'] = 'application/json';
    }
    headers['Content-Length'] = String(payload.length);
  }
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: opts.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () =>
      req.destroy(
        new Error(`engine request ${opts.method ?? 'GET'} ${path} on ${socketPath} timed out after ${timeoutMs} ms`),
      ),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Engine API call whose answer is JSON (or empty). Throws with the engine's message on status >= 400.
 * `dockerJson('/containers/json?all=1')`, `dockerJson('/containers/ID', { method: 'DELETE' })`.
 */
export async function dockerJson<T = unknown>(path: string, opts: EngineRequestOptions = {}): Promise<T> {
  const res = await engineRequest(path, opts);
  const text = res.body.toString('utf8');
  if (res.status >= 400) {
    let message = text.trim();
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? message;
    } catch {
      /* not JSON */
    }
    const err = new Error(`engine ${opts.method ?? 'GET'} ${path}: ${res.status} ${message}`) as Error & {
      status: number;
    };
    err.status = res.status;
    throw err;
  }
  if (text.trim() === '') return undefined as T;
  return JSON.parse(text) as T;
}

/** True when the engine answers `GET /_ping` with 200. */
export async function pingEngine(socket?: string, timeoutMs = 3000): Promise<boolean> {
  try {
    const res = await engineRequest('/_ping', { ...(socket === undefined ? {} : { socket }), timeoutMs });
    return res.status === 200;
  } catch {
    return false;
  }
}

export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  State: string;
  Status: string;
  Labels: Record<string, string>;
}

/** All containers (running or not) carrying `label` (`key` or `key=value`); default: the test label. */
export async function listContainers(label: string = TEST_LABEL): Promise<ContainerSummary[]> {
  const filters = encodeURIComponent(JSON.stringify({ label: [label] }));
  return dockerJson<ContainerSummary[]>(`/containers/json?all=1&filters=${filters}`);
}

/** Force-remove a container (and its anonymous volumes) by id. A container already gone is fine. */
export async function removeContainer(id: string): Promise<void> {
  try {
    await dockerJson(`/containers/${encodeURIComponent(id)}?force=1&v=1`, { method: 'DELETE' });
  } catch (e) {
    if ((e as { status?: number }).status !== 404) throw e;
  }
}

/** Inspect a container; undefined when it does not exist. */
export async function inspectContainer<T = Record<string, unknown>>(id: string): Promise<T | undefined> {
  try {
    return await dockerJson<T>(`/containers/${encodeURIComponent(id)}/json`);
  } catch (e) {
    if ((e as { status?: number }).status === 404) return undefined;
    throw e;
  }
}

/** Image id (sha256:...) of a reference, or undefined when the engine has no such image. */
export async function imageId(ref: string): Promise<string | undefined> {
  try {
    return (await dockerJson<{ Id: string }>(`/images/${encodeURIComponent(ref)}/json`)).Id;
  } catch (e) {
    if ((e as { status?: number }).status === 404) return undefined;
    throw e;
  }
}

export interface RunResult {
  /** Exit code; null when the process was killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  stdoutBuffer: Buffer;
  stderrBuffer: Buffer;
  /** True when the timeout killed the process. */
  timedOut: boolean;
  durationMs: number;
}

export interface RunOptions {
  /** Written to the child's stdin, then stdin is closed. Without it stdin is closed at once. */
  stdin?: string | Buffer;
  /** Merged over process.env (a value of undefined removes the variable). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Kill (SIGKILL) after this long; default 30 s. */
  timeoutMs?: number;
}

/** An environment without its undefined entries: how a variable given as undefined is removed. */
export function withoutUnset(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined));
}

/** Spawn a command, collecting its output. Never rejects for a non-zero exit or a timeout. */
export function runProcess(command: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const env = withoutUnset({ ...process.env, ...opts.env });
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: opts.cwd ?? REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.stdin.on('error', () => {
      /* the child may exit without reading its stdin (EPIPE) */
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdoutBuffer = Buffer.concat(out);
      const stderrBuffer = Buffer.concat(err);
      resolve({
        code,
        signal,
        stdout: stdoutBuffer.toString('utf8'),
        stderr: stderrBuffer.toString('utf8'),
        stdoutBuffer,
        stderrBuffer,
        timedOut,
        durationMs: performance.now() - started,
      });
    });
    if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
    else child.stdin.end();
  });
}

/**
 * Run the built CLI as users do, through its shebang: `bin/run.js ...args` (needs `npm run build`
 * first; `npm test` does it).
 */
export function runCli(args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return runProcess(CLI_ENTRY, args, opts);
}

/** Run the docker CLI (honours DOCKER_HOST from the environment). */
export function runDocker(args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return runProcess('docker', args, opts);
}

/**
 * Throws, loudly, when no engine answers GET /_ping: engine suites are never skipped. `suite`
 * prefixes the message; `why` says what the suite needs the engine for. Returns the socket path.
 */
export async function requireEngine(suite: string, why: string): Promise<string> {
  const where = process.env['DOCKER_HOST']
    ? `DOCKER_HOST=${process.env['DOCKER_HOST']}`
    : 'the default socket (DOCKER_HOST is not set)';
  let socket: string;
  try {
    socket = engineSocket();
  } catch (e) {
    throw new Error(`[${suite}] ${(e as Error).message}`, { cause: e });
  }
  let reason: string;
  try {
    const res = await engineRequest('/_ping', { socket, timeoutMs: 5000 });
    if (res.status === 200) return socket;
    reason = `answered HTTP ${res.status}: ${res.body.toString('utf8').trim().slice(0, 200)}`;
  } catch (e) {
    reason = (e as Error).message;
  }
  throw new Error(
    [
      `[${suite}] No Docker engine answers GET /_ping on unix socket ${socket} (${where}): ${reason}.`,
      `${why} Engine tests are never skipped.`,
      'Start one with `bash scripts/engine.sh` (as root: installs docker.io and busybox-static if missing and starts dockerd),',
      'or point DOCKER_HOST=unix:///path/to/docker.sock at a running engine. Unit tests alone: `npm run test:unit`.',
    ].join('\n'),
  );
}

/** The network strict's runs join (presets/strict.yaml network.isolated), created by the first run. */
export const SAFEDOCK_NETWORK = 'safedock';

/** The id of safedock's network when it exists, else undefined. */
export async function safedockNetworkId(): Promise<string | undefined> {
  const filters = encodeURIComponent(JSON.stringify({ name: { [SAFEDOCK_NETWORK]: true } }));
  const found = await dockerJson<Array<{ Id: string; Name: string }>>(`/networks?filters=${filters}`);
  return found.find((n) => n.Name === SAFEDOCK_NETWORK)?.Id;
}

/**
 * Removes safedock's network when this run's tests created it (it was missing at setup), by id.
 * A network another run's container is attached to is left (the engine answers 409).
 */
export async function removeSafedockNetworkIfCreated(existedAtSetup: boolean): Promise<string | undefined> {
  if (existedAtSetup) return undefined;
  const id = await safedockNetworkId();
  if (id === undefined) return undefined;
  try {
    await dockerJson(`/networks/${id}`, { method: 'DELETE' });
    return undefined;
  } catch (e) {
    const status = (e as { status?: number }).status;
    return status === 404 || status === 409 ? undefined : `network ${SAFEDOCK_NETWORK}: ${(e as Error).message}`;
  }
}
