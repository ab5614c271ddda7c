import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { queryEngine } from '../../../src/engine/negotiate.js';
import { targetOf } from '../../../src/engine/target.js';

type Answers = Record<string, { status?: number; headers?: Record<string, string>; body?: unknown }>;

let servers: Server[] = [];
let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  servers = [];
  dirs = [];
});

/** An engine on a unix socket that answers the given paths and records what it was asked. */
async function engine(answers: Answers): Promise<{ socket: string; asked: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'sd-neg-'));
  dirs.push(dir);
  const socket = join(dir, 'e.sock');
  const asked: string[] = [];
  const server = createServer((req, res) => {
    asked.push(req.url ?? '');
    const a = answers[req.url ?? ''];
    res.writeHead(a?.status ?? (a ? 200 : 404), a?.headers ?? {});
    res.end(a?.body === undefined ? '' : typeof a.body === 'string' ? a.body : JSON.stringify(a.body));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return { socket, asked };
}

const DOCKER_PING = { headers: { 'API-Version': '1.41', Server: 'Docker/20.10.24+dfsg1 (linux)' }, body: 'OK' };

describe('queryEngine: who the engine is', () => {
  it('Docker: the API version and version from /_ping alone; rootless and cgroups from /info', async () => {
    const e = await engine({
      '/_ping': DOCKER_PING,
      '/info': {
        body: {
          SecurityOptions: ['name=seccomp,profile=default', 'name=rootless'],
          CgroupVersion: '1',
          CgroupDriver: 'none',
        },
      },
    });
    expect(await queryEngine(targetOf(`unix://${e.socket}`, undefined))).toEqual({
      kind: 'docker',
      apiVersion: '1.41',
      engineVersion: '20.10.24+dfsg1',
      rootless: true,
      cgroupVersion: '1',
      cgroupDriver: 'none',
    });
    expect(e.asked.sort()).toEqual(['/_ping', '/info']);
  });

  it('Podman (as 4.3 answers): /version Components name it', async () => {
    const e = await engine({
      '/_ping': {
        headers: { 'API-Version': '1.41', Server: 'Libpod/4.3.1 (linux)', 'Libpod-API-Version': '4.3.1' },
        body: 'OK',
      },
      '/version': {
        body: {
          Version: '4.3.1',
          ApiVersion: '1.41',
          Components: [
            { Name: 'Podman Engine', Version: '4.3.1' },
            { Name: 'Conmon', Version: '2.1.6' },
          ],
        },
      },
      '/info': {
        body: { SecurityOptions: ['name=seccomp,profile=default'], CgroupVersion: '1', CgroupDriver: 'cgroupfs' },
      },
    });
    expect(await queryEngine(targetOf(`unix://${e.socket}`, undefined))).toMatchObject({
      kind: 'podman',
      apiVersion: '1.41',
      engineVersion: '4.3.1',
      rootless: false,
    });
    expect(e.asked).toContain('/version');
  });

  it('an engine without /info: rootful, cgroups unknown', async () => {
    const e = await engine({ '/_ping': DOCKER_PING });
    expect(await queryEngine(targetOf(`unix://${e.socket}`, undefined))).toMatchObject({
      rootless: false,
      cgroupVersion: '',
      cgroupDriver: '',
    });
  });

  it('an engine whose /_ping says nothing useful is asked /version', async () => {
    const e = await engine({
      '/version': {
        body: { Version: '19.03.1', ApiVersion: '1.40', Components: [{ Name: 'Engine', Version: '19.03.1' }] },
      },
    });
    expect(await queryEngine(targetOf(`unix://${e.socket}`, undefined))).toMatchObject({
      kind: 'docker',
      apiVersion: '1.40',
    });
  });

  it('a /version that is not JSON: a clear error naming the engine', async () => {
    const e = await engine({ '/version': { body: '<html>' } });
    await expect(queryEngine(targetOf(`unix://${e.socket}`, undefined))).rejects.toThrow(
      `the engine at unix://${e.socket} sent an unreadable /version answer`,
    );
  });
});
