/**
 * Edges of the engine connection, against the real engine:
 *   - real pulls from a local registry (scripts/registry.sh, started by the globalSetup) through
 *     both code paths: the strict preset inspects and pulls before the create (src/cli/run-main.ts),
 *     `--preset none` creates first and pulls on "No such image" (src/engine/run-container.ts);
 *   - DOCKER_HOST=tcp:// through a relay to the unix socket;
 *   - permission denied on the socket;
 *   - the terminal size reaching the container;
 *   - an interrupt while a pull hangs.
 */
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CLI_ENTRY,
  REPO_ROOT,
  TEST_IMAGE,
  TEST_LABEL,
  TEST_LABEL_ARGS,
  dockerJson,
  engineSocket,
  imageId,
  listContainers,
  removeContainer,
  runCli,
  runDocker,
  runProcess,
} from '../helpers/engine.js';

const REGISTRY = '127.0.0.1:5000';
const REPO_NAME = 'safedock-pull-test';

/** A label unique to one run, so a test can check that nothing of its own is left. */
function marker(): { args: string[]; label: string } {
  const label = `safedock.test.case=${randomBytes(6).toString('hex')}`;
  return { args: [...TEST_LABEL_ARGS, '--label', label], label };
}

/** Containers a test left on purpose or by failure: removed after each test, by id. */
async function removeLabelled(label: string): Promise<void> {
  for (const c of await listContainers(label)) await removeContainer(c.Id);
}

const labels: string[] = [];
afterEach(async () => {
  for (const label of labels.splice(0)) await removeLabelled(label);
});
function tracked(): { args: string[]; label: string } {
  const m = marker();
  labels.push(m.label);
  return m;
}

/** Force-removes an image by id; an image already gone is fine. */
async function removeImageById(id: string): Promise<void> {
  try {
    await dockerJson(`/images/${encodeURIComponent(id)}?force=1`, { method: 'DELETE' });
  } catch (e) {
    if ((e as { status?: number }).status !== 404) throw e;
  }
}

/** A TCP port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Listener {
  server: Server;
  port: number;
  /** Connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

/**
 * The listener a beforeAll started. Undefined means that hook failed: vitest still runs afterAll,
 * and the tests report the hook's error, not a TypeError of their own.
 */
function started(listener: Listener | undefined): Listener {
  if (listener === undefined) throw new Error('the listener was not started (see the beforeAll error)');
  return listener;
}

/** A TCP (or unix, with `path`) server whose connections `onConnection` handles; close() destroys them all. */
async function listen(onConnection: (socket: Socket) => void, path?: string): Promise<Listener> {
  const open = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    listener.connections++;
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => socket.destroy());
    onConnection(socket);
  });
  const listener: Listener = {
    server,
    port: 0,
    connections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (path === undefined) server.listen(0, '127.0.0.1', resolve);
    else server.listen(path, resolve);
  });
  if (path === undefined) listener.port = (server.address() as AddressInfo).port;
  return listener;
}

/** GET/HEAD/DELETE on the local registry's HTTP API. */
function registryRequest(path: string, method = 'GET', headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`http://${REGISTRY}${path}`, { method, headers, signal: AbortSignal.timeout(5000) });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------
// 1. Real pulls from the local registry
// ---------------------------------------------------------------------------------------------
describe('safedock run: pulls from a real registry', () => {
  const tag = `t${randomBytes(6).toString('hex')}`;
  const REF = `${REGISTRY}/${REPO_NAME}:${tag}`;
  const refRe = REF.replace(/[.]/g, '\\.');
  const MARKER_BYTES = 512 * 1024;
  let builtId = '';
  let digest = '';
  let context = '';
  let suiteImageId: string | undefined;

  /** Makes the engine forget the pushed image, so the next run has to pull it. */
  async function dropLocal(): Promise<void> {
    const id = await imageId(REF);
    if (id === builtId) await removeImageById(builtId);
    else if (id !== undefined) await dockerJson(`/images/${encodeURIComponent(REF)}`, { method: 'DELETE' }); // a re-tag: untag only
    expect(await imageId(REF)).toBeUndefined();
  }

  beforeAll(async () => {
    // The globalSetup ran scripts/registry.sh; say so clearly when the registry is not there.
    const ping = await registryRequest('/v2/').catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
    if (ping instanceof Error || ping.status !== 200) {
      throw new Error(
        `no registry answers on http://${REGISTRY}/v2/ (${ping instanceof Error ? ping.message : `HTTP ${ping.status}`}); run bash scripts/registry.sh`,
      );
    }
    suiteImageId = await imageId(TEST_IMAGE);
    // An image of our own (one extra layer of random bytes over the test image): the pull then
    // really downloads a layer, the shared ones "Already exist", and it can be removed by id.
    context = mkdtempSync(join(tmpdir(), 'safedock-pull-'));
    writeFileSync(join(context, 'marker'), randomBytes(MARKER_BYTES));
    writeFileSync(
      join(context, 'Dockerfile'),
      `FROM ${TEST_IMAGE}\nCOPY marker /safedock-pull-marker\nLABEL ${TEST_LABEL}\n`,
    );
    const build = await runDocker(['build', '-q', '--force-rm', '-t', REF, context], {
      env: { DOCKER_BUILDKIT: '0' },
      timeoutMs: 60_000,
    });
    if (build.code !== 0) throw new Error(`docker build ${REF} failed: ${build.stderr}`);
    builtId = (await imageId(REF)) ?? '';
    if (!builtId) throw new Error(`docker build did not leave ${REF}`);
    const push = await runDocker(['push', '-q', REF], { timeoutMs: 60_000 });
    if (push.code !== 0) throw new Error(`docker push ${REF} failed: ${push.stderr}${push.stdout}`);
    const head = await registryRequest(`/v2/${REPO_NAME}/manifests/${tag}`, 'HEAD', {
      Accept: 'application/vnd.docker.distribution.manifest.v2+json',
    });
    digest = head.headers.get('docker-content-digest') ?? '';
    if (!/^sha256:[0-9a-f]{64}$/.test(digest))
      throw new Error(`the registry has no manifest for ${REF} after the push (HTTP ${head.status})`);
    // Remove the local tag only (docker rmi of the tag); the test image it was built on stays.
    const rmi = await runDocker(['rmi', REF]);
    if (rmi.code !== 0) throw new Error(`docker rmi ${REF} failed: ${rmi.stderr}`);
    if ((await imageId(REF)) !== undefined) throw new Error(`${REF} is still there after docker rmi`);
  }, 120_000);

  afterAll(async () => {
    // By id: our image (unique: it carries the random layer). A re-tag pointing at another image
    // (the suite's own test image) is only untagged: removing that by id would delete the suite's image.
    const id = await imageId(REF);
    if (id !== undefined && id !== builtId)
      await dockerJson(`/images/${encodeURIComponent(REF)}`, { method: 'DELETE' });
    if (builtId) await removeImageById(builtId);
    if (digest) await registryRequest(`/v2/${REPO_NAME}/manifests/${digest}`, 'DELETE').catch(() => undefined);
    if (context) rmSync(context, { recursive: true, force: true });
    // The suite's test image was never touched.
    expect(await imageId(TEST_IMAGE)).toBe(suiteImageId);
  });

  for (const preset of ['strict', 'none']) {
    it(`pulls a missing image and runs it (--preset ${preset})`, async () => {
      await dropLocal();
      const m = tracked();
      const r = await runCli(['run', '--preset', preset, '--rm', '-u', '1000', ...m.args, REF, 'echo', 'pulled'], {
        timeoutMs: 60_000,
      });
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('pulled\n');
      expect(r.stderr).toContain(`Unable to find image '${REF}' locally`);
      // Without a terminal: the status lines, no progress bars or escapes.
      expect(r.stderr).toContain(`${tag}: Pulling from ${REPO_NAME}`);
      expect(r.stderr).toMatch(/[0-9a-f]{12}: Already exists/);
      expect(r.stderr).toMatch(/[0-9a-f]{12}: Pull complete/);
      expect(r.stderr).toContain(`Digest: ${digest}`);
      expect(r.stderr).toContain(`Status: Downloaded newer image for ${REF}`);
      expect(r.stderr).not.toContain('\x1b');
      expect(r.stderr).not.toMatch(/\[=*>? *\]/);
      expect(await imageId(REF)).toBe(builtId);
      expect(await listContainers(m.label)).toEqual([]);
    });
  }

  it('--pull never on a missing image: 125, "No such image", nothing pulled or left behind', async () => {
    await dropLocal();
    for (const preset of ['strict', 'none']) {
      const m = tracked();
      const r = await runCli(['run', '--preset', preset, '--pull', 'never', '--rm', ...m.args, REF, 'true']);
      expect(r.code).toBe(125);
      expect(r.stderr).toMatch(new RegExp(`No such image: ${refRe}`));
      expect(r.stderr).not.toMatch(/Unable to find image|Pulling from/);
      expect(await listContainers(m.label)).toEqual([]);
      expect(await imageId(REF)).toBeUndefined();
    }
  });

  for (const preset of ['strict', 'none']) {
    it(`--pull always re-pulls an image that exists locally (--preset ${preset})`, async () => {
      await dropLocal();
      // A stale local REF: the suite's test image re-tagged, without the marker file.
      expect((await runDocker(['tag', TEST_IMAGE, REF])).code).toBe(0);
      expect(await imageId(REF)).toBe(suiteImageId);
      const m = tracked();
      const args = [
        'run',
        '--preset',
        preset,
        '--pull',
        'always',
        '--rm',
        '-u',
        '1000',
        ...m.args,
        REF,
        'sh',
        '-c',
        'wc -c < /safedock-pull-marker',
      ];
      const stale = await runCli(args, { timeoutMs: 60_000 });
      expect(stale.code).toBe(0);
      expect(stale.stdout.trim()).toBe(String(MARKER_BYTES)); // the container ran the registry's image
      expect(stale.stderr).not.toContain('Unable to find image');
      expect(stale.stderr).toContain(`Status: Downloaded newer image for ${REF}`);
      expect(await imageId(REF)).toBe(builtId);
      expect(await imageId(TEST_IMAGE)).toBe(suiteImageId); // the re-tag moved, the suite image stayed

      // Up to date now: still asks the registry, downloads nothing.
      const current = await runCli(args, { timeoutMs: 60_000 });
      expect(current.code).toBe(0);
      expect(current.stdout.trim()).toBe(String(MARKER_BYTES));
      expect(current.stderr).toContain(`${tag}: Pulling from ${REPO_NAME}`);
      expect(current.stderr).toContain(`Digest: ${digest}`);
      expect(current.stderr).toContain(`Status: Image is up to date for ${REF}`);
      expect(current.stderr).not.toMatch(/Pull complete|Downloaded newer image/);
      expect(await listContainers(m.label)).toEqual([]);
    });
  }

  it('-q pulls without printing pull output (both presets)', async () => {
    for (const preset of ['strict', 'none']) {
      await dropLocal();
      const m = tracked();
      const r = await runCli(
        ['run', '--preset', preset, '-q', '--rm', '-u', '1000', ...m.args, REF, 'echo', 'pulled'],
        { timeoutMs: 60_000 },
      );
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('pulled\n');
      expect(r.stderr).not.toMatch(/Pulling|Already exists|Pull complete|Download|Extracting|Digest:|Status:/);
      // docker run -q prints nothing at all here, not even "Unable to find image ... locally";
      // under none, only the policy's findings about docker's defaults remain.
      if (preset === 'strict') expect(r.stderr).toBe('');
      else expect(r.stderr).not.toContain('Unable to find image');
      expect(await imageId(REF)).toBe(builtId);
    }
  });

  for (const preset of ['strict', 'none']) {
    it(`on a terminal shows one line per layer, rewritten in place (--preset ${preset})`, async () => {
      await dropLocal();
      const m = tracked();
      const cmd = `${CLI_ENTRY} run --preset ${preset} --rm -u 1000 ${m.args.join(' ')} ${REF} echo pulled`;
      const r = await runProcess('script', ['-qec', cmd, '/dev/null'], { timeoutMs: 60_000 });
      expect(r.code).toBe(0);
      const out = r.stdout;
      expect(out).toContain(`Unable to find image '${REF}' locally`);
      expect(out).toMatch(/[0-9a-f]{12}: Already exists/);
      expect(out).toMatch(/[0-9a-f]{12}: Pull complete/);
      // eslint-disable-next-line no-control-regex -- matches the ANSI cursor-up escape on purpose
      expect(out).toMatch(/\x1b\[\d+A/); // cursor up: lines are rewritten, not appended
      expect(out).toContain('\x1b[2K'); // erase line
      expect(out).toContain(`Status: Downloaded newer image for ${REF}`);
      expect(out).toMatch(/pulled\r?\n/);
      expect(await imageId(REF)).toBe(builtId);
    });
  }

  it("a registry that does not answer: 125, the daemon's error, nothing left behind", async () => {
    const port = await freePort();
    const ref = `127.0.0.1:${port}/safedock-nothing:1`;
    for (const preset of ['strict', 'none']) {
      const m = tracked();
      const r = await runCli(['run', '--preset', preset, '--rm', ...m.args, ref, 'true'], { timeoutMs: 60_000 });
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.code).toBe(125);
      expect(r.stderr).toContain(`Unable to find image '${ref}' locally`);
      expect(r.stderr).toMatch(new RegExp(`Error response from daemon: .*127\\.0\\.0\\.1:${port}.*connection refused`));
      expect(await listContainers(m.label)).toEqual([]);
      expect(await imageId(ref)).toBeUndefined();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 2. DOCKER_HOST=tcp://
// ---------------------------------------------------------------------------------------------
describe('safedock run: DOCKER_HOST=tcp://', () => {
  let relay: Listener | undefined;
  const socketPath = engineSocket();

  beforeAll(async () => {
    // Each TCP connection is relayed to the engine's unix socket, both ways, half-closes included
    // (the attach's stdin EOF is a half-close the engine must see while the output still flows).
    relay = await listen((client) => {
      const upstream = createConnection({ path: socketPath, allowHalfOpen: true });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
    });
  });
  afterAll(async () => {
    await relay?.close();
  });

  it('runs a container and returns its exit code over tcp', async () => {
    const tcp = started(relay);
    const before = tcp.connections;
    const m = tracked();
    const r = await runCli(['run', '--rm', '-u', '1000', ...m.args, TEST_IMAGE, 'sh', '-c', 'echo via-tcp; exit 7'], {
      env: { DOCKER_HOST: `tcp://127.0.0.1:${tcp.port}`, DOCKER_TLS_VERIFY: undefined },
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('via-tcp\n');
    expect(r.code).toBe(7);
    expect(tcp.connections).toBeGreaterThan(before); // it really went through the relay
    expect(await listContainers(m.label)).toEqual([]);
  });

  it('pipes stdin over tcp and half-closes it at EOF', async () => {
    const tcp = started(relay);
    const input = `${randomBytes(48 * 1024).toString('base64')}\nend\n`;
    const m = tracked();
    const r = await runCli(['run', '-i', '--rm', '-u', '1000', ...m.args, TEST_IMAGE, 'cat'], {
      stdin: input,
      env: { DOCKER_HOST: `tcp://127.0.0.1:${tcp.port}`, DOCKER_TLS_VERIFY: undefined },
    });
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBe(input.length);
    expect(r.stdout).toBe(input);
    expect(await listContainers(m.label)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// 3. Permission denied on the socket
// ---------------------------------------------------------------------------------------------
describe('safedock run: permission denied on the engine socket', () => {
  const isRoot = process.getuid?.() === 0;
  /** argv that runs `args` as the unprivileged user `nobody` (as root), else as ourselves. */
  const unprivileged = ([command, ...rest]: [string, ...string[]]): [string, string[]] =>
    isRoot ? ['runuser', ['-u', 'nobody', '--', command, ...rest]] : [command, rest];

  it('as a user outside the docker group: 125, names the socket and how to get access', async () => {
    const socket = engineSocket();
    if (!isRoot) {
      // Without root there is no other user to become: the other test below (a socket nobody
      // may open) is the EACCES check then.
      throw new Error(
        'this test runs the CLI as user nobody through runuser, which needs root; run the integration suite as root',
      );
    }
    // The premise: nobody can run node and read the repository, but not open the socket.
    const probe = `
      const fs = require('fs');
      fs.accessSync(process.argv[1], fs.constants.X_OK);
      fs.readdirSync(process.argv[2] + '/dist');
      fs.readFileSync(process.argv[2] + '/package.json');
      let open = true; try { fs.accessSync(process.argv[3], fs.constants.W_OK); } catch { open = false; }
      console.log(open ? 'socket-writable' : 'ok');`;
    const [cmd, args] = unprivileged([process.execPath, '-e', probe, CLI_ENTRY, REPO_ROOT, socket]);
    const pre = await runProcess(cmd, args);
    expect(pre.stderr).toBe('');
    expect(pre.stdout.trim()).toBe('ok');

    const m = marker();
    const [cli, cliArgs] = unprivileged([
      'env',
      `DOCKER_HOST=unix://${socket}`,
      CLI_ENTRY,
      'run',
      '--rm',
      ...m.args,
      TEST_IMAGE,
      'true',
    ]);
    const r = await runProcess(cli, cliArgs);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/permission denied/i);
    expect(r.stderr).toContain(socket);
    expect(r.stderr).toMatch(/"docker"|docker group|usermod -aG docker/);
    expect(await listContainers(m.label)).toEqual([]);
  });

  it('a socket in a directory the user may not enter: 125 and the same advice', async () => {
    // As root: a unix socket in a 0700 directory owned by root, connected to as nobody. As another
    // user: a socket file of ours with mode 000 (connect() needs write permission on it).
    const dir = mkdtempSync(join(tmpdir(), 'safedock-eacces-')); // 0700
    const path = join(dir, 'engine.sock');
    const server = await listen((s) => s.destroy(), path);
    try {
      if (!isRoot) chmodSync(path, 0o000);
      const [cli, cliArgs] = unprivileged([
        'env',
        `DOCKER_HOST=unix://${path}`,
        CLI_ENTRY,
        'run',
        '--rm',
        ...TEST_LABEL_ARGS,
        TEST_IMAGE,
        'true',
      ]);
      const r = await runProcess(cli, cliArgs);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.code).toBe(125);
      expect(r.stderr).toContain(`permission denied while connecting to the Docker engine at unix://${path}`);
      expect(r.stderr).toMatch(/usermod -aG docker/);
      expect(server.connections).toBe(0);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 4. Terminal size
// ---------------------------------------------------------------------------------------------
describe('safedock run: terminal size', () => {
  it('gives the container the terminal size, and follows a resize', async () => {
    const m = tracked();
    const labelValue = m.label;
    // Engine 20.10 (API 1.41) ignores HostConfig.ConsoleSize on Linux: the pty starts at 0x0 and the
    // size arrives with the resize request sent right after the start (docker run does the same). A
    // bare `stty size` as the container's first command races that request (busybox then fails with
    // "standard input"; docker run too), so the container waits up to 5 s for a size.
    const inner = [
      'i=0; s=""',
      'while [ $i -lt 50 ]; do s=$(stty size 2>/dev/null); case "$s" in [1-9]*) break;; esac; i=$((i+1)); sleep 0.1; done',
      'echo "first=$s"',
      'j=0; t="$s"',
      // `stty rows 31 cols 97` applies rows and columns one after the other: wait for both.
      'while [ $j -lt 100 ]; do t=$(stty size 2>/dev/null); [ "$t" = "31 97" ] && break; j=$((j+1)); sleep 0.1; done',
      'echo "second=$t"',
    ].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'safedock-tty-'));
    try {
      writeFileSync(join(dir, 'inner.sh'), inner);
      // The outer terminal is 45x123; once the container printed its first size (seen in its log),
      // the terminal is resized to 31x97: safedock must pass that on (SIGWINCH -> resize).
      writeFileSync(
        join(dir, 'outer.sh'),
        [
          'stty rows 45 cols 123',
          '(',
          '  for _ in $(seq 100); do',
          `    id=$(docker ps -q --filter label=${labelValue})`,
          '    [ -n "$id" ] && docker logs "$id" 2>/dev/null | grep -q first= && break',
          '    sleep 0.1',
          '  done',
          '  stty rows 31 cols 97 </dev/tty',
          ') &',
          `${CLI_ENTRY} run --rm -t -u 1000 ${m.args.join(' ')} -v ${dir}/inner.sh:/inner.sh:ro ${TEST_IMAGE} sh /inner.sh`,
          'rc=$?',
          'wait',
          'exit $rc',
        ].join('\n'),
      );
      const r = await runProcess('script', ['-qec', `bash ${dir}/outer.sh`, '/dev/null'], { timeoutMs: 40_000 });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/first=45 123\r*\n/);
      expect(r.stdout).toMatch(/second=31 97\r*\n/);
      expect(await listContainers(m.label)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 5. An interrupt while the pull hangs
// ---------------------------------------------------------------------------------------------
describe('safedock run: interrupt during a pull', () => {
  let silent: Listener | undefined;
  beforeAll(async () => {
    // A "registry" that accepts connections and never answers: the engine's pull hangs on it.
    silent = await listen(() => undefined);
  });
  afterAll(async () => {
    await silent?.close();
  });

  for (const preset of ['none', 'strict']) {
    it(`SIGINT while the engine pulls exits promptly and leaves nothing (--preset ${preset})`, async () => {
      const registry = started(silent);
      const m = tracked();
      const ref = `127.0.0.1:${registry.port}/never:1`;
      const before = registry.connections;
      const child = spawn(CLI_ENTRY, ['run', '--preset', preset, ...m.args, ref, 'true'], {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      child.stdout.resume();
      const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('close', (code, signal) => resolve({ code, signal })),
      );
      try {
        // Wait for "Unable to find image", then for the engine to reach the silent server: the
        // pull is then under way and hanging.
        const deadline = Date.now() + 20_000;
        while (
          Date.now() < deadline &&
          !(stderr.includes(`Unable to find image '${ref}' locally`) && registry.connections > before)
        ) {
          if (child.exitCode !== null) break;
          await delay(50);
        }
        expect(stderr).toContain(`Unable to find image '${ref}' locally`);
        expect(registry.connections).toBeGreaterThan(before);
        await delay(200);
        expect(child.exitCode).toBeNull(); // still waiting for the pull
        const sent = performance.now();
        child.kill('SIGINT');
        const timeout = delay(5000).then(() => 'timeout' as const);
        const result = await Promise.race([closed, timeout]);
        expect(result).not.toBe('timeout');
        const { code, signal } = result as { code: number | null; signal: NodeJS.Signals | null };
        expect(performance.now() - sent).toBeLessThan(3000);
        // Both presets (strict pulls before the create, none after a create answered 404).
        expect({ code, signal }).toEqual({ code: 130, signal: null });
        expect(stderr).not.toMatch(/internal error/);
        expect(await listContainers(m.label)).toEqual([]);
        expect(await imageId(ref)).toBeUndefined();
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    });
  }
});
