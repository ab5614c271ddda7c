/**
 * fromInspect on real engine output: for every line of the oracle corpus, the body safedock sends
 * (proven equal to docker's by oracle.test.ts) is created on the engine, the container is inspected,
 * read back into the run model by fromInspect, and turned into a body again by toCreateBody. The
 * two bodies must agree field by field, except where the engine fills in its own defaults or the
 * image's (each such normalisation is listed below, with the condition under which it applies).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CreateBody } from '../../src/api/create-body.js';
import type { ContainerInspect } from '../../src/api/inspect.js';
import { parseRunArgv } from '../../src/docker-cli/parse-argv.js';
import { fromInspect } from '../../src/model/from-inspect.js';
import { toCreateBody } from '../../src/model/to-create-body.js';
import { dockerRequest } from '../../src/run/pipeline.js';
import { shellWords } from '../helpers/argv-words.js';
import {
  REPO_ROOT,
  TEST_IMAGE,
  TEST_LABEL_KEY,
  TEST_RUN_ID,
  engineRequest,
  removeContainer,
} from '../helpers/engine.js';

const API = '1.41';
const lines = readFileSync(join(REPO_ROOT, 'test/fixtures/oracle/run-cases.txt'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('!'));

interface ImageConfig {
  Env: string[] | null;
  Cmd: string[] | null;
  Labels: Record<string, string> | null;
}

const created: string[] = [];
afterAll(async () => {
  for (const id of created) await removeContainer(id).catch(() => undefined);
});

async function imageConfig(): Promise<ImageConfig> {
  const r = await engineRequest(`/images/${encodeURIComponent(TEST_IMAGE)}/json`);
  return (JSON.parse(r.body.toString()) as { Config: ImageConfig }).Config;
}

/** The engine's defaults for fields the body leaves at zero (Engine 20.10, cgroups v1, runc). */
const ENGINE_FILLS: Record<string, (sent: unknown, back: unknown) => boolean> = {
  'HostConfig.LogConfig': (s, b) => (s as { Type: string }).Type === '' && (b as { Type: string }).Type !== '',
  'HostConfig.IpcMode': (s, b) => s === '' && (b === 'private' || b === 'shareable'),
  'HostConfig.CgroupnsMode': (s, b) => s === '' && (b === 'host' || b === 'private'),
  'HostConfig.ShmSize': (s, b) => s === 0 && b === 64 * 1024 * 1024,
  'HostConfig.Runtime': (s, b) => s === undefined && b === 'runc',
  'HostConfig.MaskedPaths': (s, b) => s === null && Array.isArray(b) && b.length > 0,
  'HostConfig.ReadonlyPaths': (s, b) => s === null && Array.isArray(b) && b.length > 0,
  // The engine answers Init as null when it was not given.
  'HostConfig.Init': (s, b) => s === undefined && (b === undefined || b === false),
  // The container's id, or the host's name under --network host.
  Hostname: (s, b) => s === '' && typeof b === 'string' && b !== '',
  // An empty entrypoint resets the image's: the engine stores no entrypoint.
  Entrypoint: (s, b) => JSON.stringify(s) === '[""]' && b === null,
  'HostConfig.SecurityOpt': (s, b) => s === null && Array.isArray(b) && b.every((o) => o === 'label=disable'), // privileged and host namespaces
  // -1 (unlimited) is stored as no limit.
  'HostConfig.PidsLimit': (s, b) => s === -1 && b === 0,
  // With a memory limit and no swap limit, the engine allows as much swap as memory.
  'HostConfig.MemorySwap': (s, b) => s === 0 && typeof b === 'number' && b > 0,
  // Legacy links live in the engine's link graph; inspect shows them only while the other container exists.
  'HostConfig.Links': (s, b) => Array.isArray(s) && b === null,
  // This kernel (cgroups v1 without CFQ) has no block I/O weight: the engine drops it with a warning.
  'HostConfig.BlkioWeight': (s, b) => typeof s === 'number' && b === 0,
  'HostConfig.BlkioWeightDevice': (s, b) => Array.isArray(s) && Array.isArray(b) && b.length === 0,
};

/** JSON with object keys sorted, so that key order (which the engine does not keep) does not count. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

function at(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj);
}

/** The differences between the body sent and the body read back, after the listed normalisations. */
function differences(sent: CreateBody, back: CreateBody, image: ImageConfig): string[] {
  const out: string[] = [];
  const paths = [
    ...Object.keys(sent).filter((k) => k !== 'HostConfig' && k !== 'NetworkingConfig'),
    ...Object.keys(sent.HostConfig).map((k) => `HostConfig.${k}`),
    'HostConfig.Runtime',
    'HostConfig.Init',
  ];
  for (const path of new Set(paths)) {
    let s = at(sent, path);
    let b = at(back, path);
    // The image's own settings fill what the run leaves unset.
    if (path === 'Env')
      b = (b as string[] | null)?.filter((e) => !(image.Env ?? []).includes(e) || (s as string[] | null)?.includes(e));
    if (path === 'Env' && Array.isArray(b) && b.length === 0 && s === null) b = null;
    if (path === 'Cmd' && s === null) b = null;
    if (path === 'Labels') {
      b = Object.fromEntries(
        Object.entries(b as Record<string, string>).filter(
          ([k]) => k !== TEST_LABEL_KEY && (!(k in (image.Labels ?? {})) || k in (s as Record<string, string>)),
        ),
      );
      s = Object.fromEntries(Object.entries(s as Record<string, string>).filter(([k]) => k !== TEST_LABEL_KEY));
    }
    if (path === 'HostConfig.ConsoleSize') continue; // a create-time hint; inspect reports the tty's size
    if (canonical(s) === canonical(b)) continue;
    if (ENGINE_FILLS[path]?.(s, b) === true) continue;
    out.push(`${path}: sent ${JSON.stringify(s)}, read back ${JSON.stringify(b)}`);
  }
  return out;
}

describe('fromInspect: the oracle corpus round-trips through the engine', () => {
  const refusedByEngine: string[] = [];
  let roundTripped = 0;

  it.each(lines)('%s', async (line) => {
    const argv = shellWords(line).map((w) => (w === 'IMAGE' ? TEST_IMAGE : w));
    const parsed = parseRunArgv(argv);
    const request = dockerRequest(parsed, { env: { HOME: '/root' }, cwd: REPO_ROOT, apiVersion: API });
    const body: CreateBody = { ...request.body, Labels: { ...request.body.Labels, [TEST_LABEL_KEY]: TEST_RUN_ID } };
    const r = await engineRequest(`/v${API}/containers/create`, { method: 'POST', body });
    if (r.status !== 201) {
      // Settings that name things this host lacks (a network, a device, a runtime…): nothing to read back.
      refusedByEngine.push(`${line}: ${r.body.toString().trim()}`);
      return;
    }
    const { Id } = JSON.parse(r.body.toString()) as { Id: string };
    created.push(Id);
    const inspect = JSON.parse(
      (await engineRequest(`/v${API}/containers/${Id}/json`)).body.toString(),
    ) as ContainerInspect;
    const { spec } = fromInspect(inspect);
    const back = toCreateBody(spec, { apiVersion: API });
    expect(differences(body, back, await imageConfig())).toEqual([]);
    roundTripped++;
  });

  it('round-trips every line the engine accepts; only the lines naming what this host lacks are refused', () => {
    // Measured here: 9 lines name what this host lacks (a container to link or share volumes with,
    // a command for an image without CMD, CPUs 2-5, xfs quotas) or go below the engine's minimums.
    expect(refusedByEngine.length, refusedByEngine.join('\n')).toBeLessThanOrEqual(9);
    expect(roundTripped).toBe(lines.length - refusedByEngine.length);
  });
});
