/**
 * Inter-container traffic off by default: strict's runs join a bridge network safedock creates on
 * first use with com.docker.network.bridge.enable_icc=false. Observed on the engine: containers on
 * it cannot reach each other's ports while they can on an ordinary network, a port published on
 * 127.0.0.1 answers from the host, traffic to the host leaves the network, and concurrent first
 * runs end on one network.
 *
 * Each test that creates networks names them after this run (a project preset extending strict
 * with its own network.isolated) and removes them by id; the containers carry safedock.test=<run>.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect as connectEngine } from '../../src/engine/engine.js';
import { selectEngine } from '../../src/engine/select.js';
import { ICC_OPTION, NETWORK_LABEL, ensureIsolatedNetwork } from '../../src/engine/isolated-network.js';
import {
  TEST_IMAGE,
  TEST_LABEL_ARGS,
  TEST_RUN_ID,
  dockerJson,
  inspectContainer,
  listContainers,
  removeContainer,
  runCli,
} from '../helpers/engine.js';
import { runCliInPty } from '../helpers/pty.js';

interface NetworkInfo {
  Id: string;
  Name: string;
  Driver: string;
  Options: Record<string, string> | null;
  Labels: Record<string, string> | null;
  IPAM: { Config: Array<{ Subnet?: string; Gateway?: string }> | null };
}

interface ContainerInfo {
  HostConfig: { NetworkMode: string };
  NetworkSettings: {
    Networks: Record<string, { IPAddress: string }>;
    Ports: Record<string, Array<{ HostIp: string; HostPort: string }> | null>;
  };
}

const networksNamed = async (name: string): Promise<NetworkInfo[]> =>
  (
    await dockerJson<NetworkInfo[]>(
      `/networks?filters=${encodeURIComponent(JSON.stringify({ name: { [name]: true } }))}`,
    )
  ).filter((n) => n.Name === name);

const removeNetworks = async (name: string): Promise<void> => {
  for (const n of await networksNamed(name)) await dockerJson(`/networks/${n.Id}`, { method: 'DELETE' });
};

/** A project folder whose preset `iso` is strict with an isolated network of its own name. */
function isolatedProject(network: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'safedock-iso-'));
  mkdirSync(join(folder, '.safedock', 'presets'), { recursive: true });
  writeFileSync(
    join(folder, '.safedock', 'presets', 'iso.yaml'),
    `name: iso\nsummary: strict on a network of this test run\nextends: strict\nnetwork:\n  isolated:\n    value: ${network}\n    reason: the test's own isolated network\n`,
  );
  return folder;
}

const suffix = (): string => `${TEST_RUN_ID}-${randomUUID().slice(0, 8)}`;

/** Starts a detached container and returns its id (the run must succeed). */
async function detached(args: readonly string[], cwd?: string): Promise<string> {
  const r = await runCli(['run', '-d', ...TEST_LABEL_ARGS, ...args], cwd === undefined ? {} : { cwd });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

/** Whether a one-off container on `network` can open a TCP connection to ip:port (busybox nc). */
async function reaches(args: readonly string[], ip: string, port: number, cwd?: string): Promise<boolean> {
  const r = await runCli(
    [
      'run',
      '--rm',
      ...TEST_LABEL_ARGS,
      ...args,
      TEST_IMAGE,
      'sh',
      '-c',
      `echo hi | nc -w 3 ${ip} ${port} && echo OPEN || echo CLOSED`,
    ],
    { ...(cwd === undefined ? {} : { cwd }), timeoutMs: 30_000 },
  );
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^(OPEN|CLOSED)$/m);
  return r.stdout.includes('OPEN');
}

const ipOn = (c: ContainerInfo | undefined, network: string): string =>
  c?.NetworkSettings.Networks[network]?.IPAddress ?? '';

/** A busybox listener that answers every connection (strict's uid 65534 can bind 8080). */
const LISTENER = ['sh', '-c', 'while true; do echo pong | nc -l -p 8080; done'];

describe("strict's isolated network", () => {
  const network = `safedock-test-${suffix()}`;
  const control = `safedock-test-open-${suffix()}`;
  let project: string;
  let server: Server;
  let serverPort = 0;
  const sockets = new Set<Socket>();
  const containers: string[] = [];

  beforeAll(async () => {
    project = isolatedProject(network);
    await dockerJson('/networks/create', {
      method: 'POST',
      body: { Name: control, CheckDuplicate: true, Driver: 'bridge', Labels: { 'safedock.test': TEST_RUN_ID } },
    });
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.end('from the host\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    serverPort = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    for (const id of containers) await removeContainer(id);
    await removeNetworks(network);
    await removeNetworks(control);
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
    rmSync(project, { recursive: true, force: true });
  });

  it("is created on first use, labelled as safedock's, with inter-container traffic off", async () => {
    expect(await networksNamed(network)).toEqual([]);
    const id = await detached(['--preset', 'iso', TEST_IMAGE, ...LISTENER], project);
    containers.push(id);
    const [n] = await networksNamed(network);
    expect(n).toMatchObject({
      Driver: 'bridge',
      Labels: { [NETWORK_LABEL]: 'isolated' },
      Options: { [ICC_OPTION]: 'false' },
    });
    const c = await inspectContainer<ContainerInfo>(id);
    expect(c?.HostConfig.NetworkMode).toBe(network);
    expect(Object.keys(c?.NetworkSettings.Networks ?? {})).toEqual([network]);
  });

  it('containers on it cannot reach each other; on an ordinary network they can', async () => {
    const onIsolated = await detached(['--preset', 'iso', TEST_IMAGE, ...LISTENER], project);
    containers.push(onIsolated);
    const onOpen = await detached(['--network', control, TEST_IMAGE, ...LISTENER]);
    containers.push(onOpen);
    const isolatedIp = ipOn(await inspectContainer<ContainerInfo>(onIsolated), network);
    const openIp = ipOn(await inspectContainer<ContainerInfo>(onOpen), control);
    expect(isolatedIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(openIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    // The control shows the probe sees an open port; the isolated network refuses the same probe.
    expect(await reaches(['--network', control], openIp, 8080)).toBe(true);
    expect(await reaches(['--preset', 'iso'], isolatedIp, 8080, project)).toBe(false);
  });

  it('a port published on 127.0.0.1 answers from the host, and traffic to the host leaves the network', async () => {
    const id = await detached(['--preset', 'iso', '-p', '8080', TEST_IMAGE, ...LISTENER], project);
    containers.push(id);
    const c = await inspectContainer<ContainerInfo>(id);
    const binding = c?.NetworkSettings.Ports['8080/tcp']?.[0];
    expect(binding?.HostIp).toBe('127.0.0.1');
    const answer = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = connect(Number(binding?.HostPort), '127.0.0.1');
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
      socket.write('ping\n');
    });
    expect(answer).toContain('pong');
    const [n] = await networksNamed(network);
    const gateway = n?.IPAM.Config?.[0]?.Gateway ?? '';
    expect(gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(await reaches(['--preset', 'iso'], gateway, serverPort, project)).toBe(true);
  });

  it('concurrent first uses end on one network, and every caller gets its id', async () => {
    const name = `safedock-test-race-${suffix()}`;
    try {
      const engines = await Promise.all([1, 2, 3, 4].map(() => connectEngine(selectEngine(process.env))));
      const ids = await Promise.all(engines.map((e) => ensureIsolatedNetwork(e, name)));
      const found = await networksNamed(name);
      expect(found.map((n) => n.Id)).toEqual([ids[0]]);
      expect(new Set(ids).size).toBe(1);
    } finally {
      await removeNetworks(name);
    }
  });

  it('concurrent first runs all go ahead, and one network remains', async () => {
    const name = `safedock-test-runs-${suffix()}`;
    const folder = isolatedProject(name);
    try {
      const runs = await Promise.all(
        [1, 2, 3, 4].map(() =>
          runCli(['run', '--rm', ...TEST_LABEL_ARGS, '--preset', 'iso', TEST_IMAGE, 'true'], { cwd: folder }),
        ),
      );
      for (const r of runs) expect(r.code, r.stderr).toBe(0);
      expect(await networksNamed(name)).toHaveLength(1);
    } finally {
      await removeNetworks(name);
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("a network of that name that is not safedock's is refused before anything is created", async () => {
    const name = `safedock-test-foreign-${suffix()}`;
    const folder = isolatedProject(name);
    const label = `safedock.iso-test=${randomUUID()}`;
    await dockerJson('/networks/create', {
      method: 'POST',
      body: { Name: name, CheckDuplicate: true, Driver: 'bridge' },
    });
    try {
      const r = await runCli(
        ['run', '--rm', ...TEST_LABEL_ARGS, '--label', label, '--preset', 'iso', TEST_IMAGE, 'true'],
        {
          cwd: folder,
        },
      );
      expect(r.code).toBe(125);
      expect(r.stderr).toContain(`the network ${name} exists but is not safedock's isolated network`);
      expect(r.stderr).toContain('inter-container traffic on');
      expect(await listContainers(label)).toEqual([]);
    } finally {
      await removeNetworks(name);
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('a network replaced while the run asks a question is judged as it is when the run goes on', async () => {
    const name = `safedock-test-swap-${suffix()}`;
    const folder = isolatedProject(name);
    const label = `safedock.swap=${suffix()}`;
    try {
      const engine = await connectEngine(selectEngine(process.env, {}));
      await ensureIsolatedNetwork(engine, name);
      // Older than a racing first run could be: the run takes such a network at its first list.
      await new Promise((resolve) => setTimeout(resolve, 5_500));
      const term = runCliInPty(
        ['run', '--rm', ...TEST_LABEL_ARGS, '--label', label, '--preset', 'iso', '-u0', TEST_IMAGE, 'true'],
        { cwd: folder, env: { CI: undefined } },
      );
      await term.waitFor(/Run anyway with SD118\?/);
      // Meanwhile someone puts a network of that name in its place, inter-container traffic on.
      await removeNetworks(name);
      await dockerJson('/networks/create', {
        method: 'POST',
        body: { Name: name, CheckDuplicate: true, Driver: 'bridge', Labels: { 'safedock.test': TEST_RUN_ID } },
      });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      term.write('y\r');
      const result = await term.done;
      expect(result.code, result.text).toBe(125);
      expect(result.text).toContain(`the network ${name} exists but is not safedock's isolated network`);
      expect(await listContainers(label)).toEqual([]);
    } finally {
      await removeNetworks(name);
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('--network NAME keeps its docker meaning; --link keeps the default bridge, with a low finding', async () => {
    const own = await detached(['--preset', 'iso', '--network', control, TEST_IMAGE, 'true'], project);
    containers.push(own);
    expect((await inspectContainer<ContainerInfo>(own))?.HostConfig.NetworkMode).toBe(control);
    const target = await detached(['--network', 'bridge', '--name', `iso-link-${suffix()}`, TEST_IMAGE, ...LISTENER]);
    containers.push(target);
    const targetName = ((await inspectContainer<{ Name: string }>(target))?.Name ?? '').replace(/^\//, '');
    const r = await runCli(
      [
        'run',
        '--rm',
        ...TEST_LABEL_ARGS,
        '--preset',
        'iso',
        '--link',
        `${targetName}:peer`,
        TEST_IMAGE,
        'sh',
        '-c',
        'echo hi | nc -w 3 peer 8080',
      ],
      { cwd: project },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('pong');
    expect(r.stderr).toContain("--link works on docker's default bridge only");
    expect(r.stderr).toMatch(/LOW\n\s+SD155 /);
  });
});
