/**
 * The Compose export and its inverse: a service written by the compose table reads back
 * (from-compose.ts) into the same run, so the file is stable under a second export and `compose
 * harden` of an export adds nothing. What Compose has no key for is listed.
 */
import { mkdtempSync, readFileSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { interpolateDocument } from '../../../src/export/compose-interpolate.js';
import { parseRunArgv } from '../../../src/docker-cli/parse-argv.js';
import { renderArgsFile } from '../../../src/export/args-file.js';
import { renderCompose } from '../../../src/export/compose-file.js';
import { exportOptions } from '../../../src/export/export-flags.js';
import { serviceLayer } from '../../../src/export/from-compose.js';
import { hardenService, servicePreset } from '../../../src/export/harden.js';
import { renderSwarm } from '../../../src/export/swarm-file.js';
import { setFields } from '../../../src/export/set-fields.js';
import { mergeLayers } from '../../../src/model/merge.js';
import { emptySpec, type RunSpec } from '../../../src/model/run-spec.js';
import { resolvePreset } from '../../../src/presets/builtin.js';
import { convertUserFlags } from '../../../src/run/pipeline.js';
import { shellWords } from '../../helpers/argv-words.js';
import { ctx, planned, rootImage } from './helpers.js';

const ROOT = join(import.meta.dirname, '../../..');
const lines = readFileSync(join(ROOT, 'test/fixtures/oracle/run-cases.txt'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('!'));
const exportCtx = {
  name: 'app',
  preset: 'none',
  profile: undefined,
  toFolder: true,
  kind: 'deployment',
  seccomp: 'localhost',
  user: undefined,
} as const;

type Service = Record<string, unknown>;
function serviceOf(text: string): {
  service: Service;
  secrets: Record<string, string>;
  volumes: Record<string, unknown>;
} {
  // Read as Compose reads it: its variables interpolated (a written `$$` is one dollar).
  const doc = interpolateDocument(parse(text), { USER: 'deployer', A: 'from-the-shell' }) as {
    services: Record<string, Service>;
    secrets?: Record<string, { file: string }>;
    volumes?: Record<string, unknown>;
  };
  const secrets = Object.fromEntries(Object.entries(doc.secrets ?? {}).map(([k, v]) => [k, v.file]));
  return { service: doc.services.app ?? {}, secrets, volumes: doc.volumes ?? {} };
}
function readBack(text: string): RunSpec {
  const { service, secrets, volumes } = serviceOf(text);
  const { layer } = serviceLayer(service, {
    file: 'compose.yaml',
    dir: ROOT,
    service: 'app',
    secrets,
    volumes,
    env: ctx.env,
  });
  return mergeLayers([layer]).spec;
}

describe('compose: a service reads back into the run it was written from', () => {
  it.each(lines)('%s', async (line) => {
    const parsed = parseRunArgv(shellWords(line.replaceAll('IMAGE', 'safedock-test:latest')));
    const spec = mergeLayers([convertUserFlags(parsed, { ...ctx, cwd: ROOT }).user]).spec;
    const first = await renderCompose(spec, exportCtx);
    const again = await renderCompose(readBack(first.main.text), exportCtx);
    expect(again.main.text).toBe(first.main.text);
  });
});

describe('what compose and stack files cannot write', () => {
  it('a stop timeout of -1 is reported, not written as -1s; a tmpfs size in percent is reported by the stack file', async () => {
    const { spec, export: ex } = await planned([
      '--stop-timeout',
      '-1',
      '--tmpfs',
      '/y:size=10%',
      '--name',
      'app',
      'img',
    ]);
    for (const r of [await renderCompose(spec, ex), await renderSwarm(spec, ex)]) {
      expect(r.main.text).not.toContain('stop_grace_period');
      expect(r.losses.map((l) => l.why)).toContain(
        'a stop timeout of -1 (wait until the container stops) has no duration to write',
      );
    }
    const stack = await renderSwarm(spec, ex);
    expect(stack.losses.map((l) => l.why)).toContain('a stack file gives a tmpfs size in bytes, not as 10%');
  });

  it("a stack file keeps docker run's no-restart default: swarm's own is to restart always", async () => {
    const { spec, export: ex } = await planned(['--name', 'app', 'img']);
    const doc = parse((await renderSwarm(spec, ex)).main.text) as { services: Record<string, Service> };
    expect((doc.services.app?.deploy as Record<string, unknown>).restart_policy).toEqual({ condition: 'none' });
    const always = await planned(['--restart', 'always', '--name', 'app', 'img']);
    const doc2 = parse((await renderSwarm(always.spec, always.export)).main.text) as {
      services: Record<string, Service>;
    };
    expect((doc2.services.app?.deploy as Record<string, unknown>).restart_policy).toEqual({ condition: 'any' });
  });
});

describe("the run's dollars", () => {
  it('are written $$ in compose and stack files, so that Compose gives back the very values', async () => {
    const { spec, export: ex } = await planned([
      '-e',
      'A=x$USER ${HOME} $$',
      '--label',
      'l=$HOME',
      '--name',
      'app',
      'img',
      'sh',
      '-c',
      'echo $A $$',
    ]);
    for (const text of [(await renderCompose(spec, ex)).main.text, (await renderSwarm(spec, ex)).main.text]) {
      const written = (parse(text) as { services: Record<string, Service> }).services.app ?? {};
      expect(written.command).toEqual(['sh', '-c', 'echo $$A $$$$']);
      expect((written.environment as Record<string, string>).A).toBe('x$$USER $${HOME} $$$$');
      const read = serviceOf(text).service;
      expect(read.command).toEqual(['sh', '-c', 'echo $A $$']);
      expect((read.environment as Record<string, string>).A).toBe('x$USER ${HOME} $$');
      expect((read.labels as Record<string, string>).l).toBe('$HOME');
    }
  });
});

describe('compose harden of an export', () => {
  it("stands safedock's isolated network in with one of the project's own, inter-container traffic off", async () => {
    const { spec, export: ex } = await planned(['--name', 'app', 'img']);
    expect(ex.isolatedNetwork).toBe('safedock');
    const doc = parse((await renderCompose(spec, ex)).main.text) as {
      services: Record<string, { networks?: unknown }>;
      networks?: Record<string, unknown>;
    };
    expect(doc.services.app?.networks).toEqual({ isolated: null });
    expect(doc.networks).toEqual({
      isolated: { driver: 'bridge', driver_opts: { 'com.docker.network.bridge.enable_icc': 'false' } },
    });
    const swarm = await renderSwarm(spec, ex);
    expect(swarm.losses.map((l) => l.field)).toContain('networks');
  });

  it('adds nothing under the strict preset', async () => {
    const { spec, export: ex } = await planned([
      '-p',
      '8080:80',
      '--name',
      'app',
      '--cap-add',
      'NET_BIND_SERVICE',
      'img',
      'serve',
    ]);
    const rendered = await renderCompose(spec, { ...ex, name: 'app' });
    const { service } = serviceOf(rendered.main.text);
    // The export names the profile beside it; here it is read where the preset keeps it.
    service.security_opt = (service.security_opt as string[]).map((o) =>
      o.replace('./strict.json', 'seccomp/strict.json'),
    );
    const hardened = hardenService('app', service, await resolvePreset('strict'), rootImage, {
      file: 'compose.yaml',
      dir: ROOT,
      overrideDir: ROOT,
      env: ctx.env,
      cwd: ROOT,
      mode: 'enforce',
      modeFrom: 'default',
      flagAccepts: [],
      project: undefined,
      secrets: {},
    });
    expect(hardened.override).toEqual({});
    expect(hardened.decision.blocking).toEqual([]);
  });

  it('adds the preset under a bare service, the service winning', async () => {
    const hardened = hardenService(
      'web',
      { image: 'img', mem_limit: '1g', read_only: false },
      await resolvePreset('strict'),
      rootImage,
      {
        file: 'compose.yaml',
        dir: ROOT,
        overrideDir: ROOT,
        env: ctx.env,
        cwd: ROOT,
        mode: 'warn',
        modeFrom: '--policy',
        flagAccepts: [],
        project: undefined,
        secrets: {},
      },
    );
    expect(hardened.override).toMatchObject({
      user: '65534:65534',
      cap_drop: ['ALL'],
      security_opt: ['no-new-privileges', 'seccomp=./strict.json'],
      pids_limit: 256,
    });
    expect(hardened.override).not.toHaveProperty('mem_limit');
    expect(hardened.override).not.toHaveProperty('read_only');
    expect(hardened.decision.findings.map((f) => f.rule)).toContain('SD119');
  });

  it('names the file, the service and the key of a value docker refuses', () => {
    expect(() =>
      serviceLayer(
        { image: 'img', mem_limit: '12x' },
        { file: 'compose.yaml', dir: ROOT, service: 'web', secrets: {}, env: {} },
      ),
    ).toThrow(/^compose file compose\.yaml: services\.web\.mem_limit: invalid argument "12x"/);
  });
});

describe('losses', () => {
  const carried = (argv: string[]): RunSpec =>
    mergeLayers([convertUserFlags(parseRunArgv([...argv, 'img']), ctx).user]).spec;

  it('compose lists the settings docker-compose 1.29 has no key for', async () => {
    const spec = carried(['-P', '--uts', 'host', '--cgroupns', 'host', '--kernel-memory', '1g']);
    const { losses } = await renderCompose(spec, exportCtx);
    expect(losses.map((l) => l.setting)).toEqual([
      '--uts=host',
      '--cgroupns=host',
      '--publish-all',
      '--kernel-memory=1073741824',
    ]);
  });

  it('swarm lists what its services cannot be given', async () => {
    const { spec, export: ex } = await planned(['--privileged', '-p', '127.0.0.1:8080:80', 'img']);
    const { losses } = await renderSwarm(spec, ex);
    expect(losses.map((l) => l.setting)).toEqual([
      '--privileged',
      '--security-opt=no-new-privileges',
      '--security-opt=seccomp=PROFILE',
      '--network=safedock',
      '--publish=127.0.0.1:8080:80/tcp',
    ]);
  });

  it('every set field of a run is carried (taking it out changes the file), lost or noted', async () => {
    const spec = carried([
      ...['-d', '-i', '-t', '--privileged', '--sig-proxy=false', '-p', '127.0.0.1:80:80', '--dns', '1.1.1.1'],
      ...[
        '-u',
        '1000',
        '-w',
        '/app',
        '-e',
        'A=1',
        '--group-add',
        '5',
        '-h',
        'box',
        '-l',
        'a=b',
        '--init',
        '--read-only',
      ],
      ...[
        '--cap-add',
        'NET_ADMIN',
        '--cap-drop',
        'ALL',
        '--security-opt',
        'no-new-privileges',
        '--tmpfs',
        '/tmp:size=1m',
      ],
      ...[
        '-v',
        '/srv:/srv:ro',
        '--ulimit',
        'nofile=10:20',
        '--sysctl',
        'net.ipv4.ip_forward=1',
        '-m',
        '1g',
        '--cpus',
        '2',
      ],
      ...[
        '--pids-limit',
        '9',
        '--log-driver',
        'json-file',
        '--log-opt',
        'max-size=1m',
        '--restart',
        'on-failure:2',
        '--stop-timeout',
        '5',
      ],
      ...[
        '--health-cmd',
        'true',
        '--stop-signal',
        'SIGINT',
        '--entrypoint',
        'sh',
        '--shm-size',
        '1m',
        '--oom-score-adj',
        '5',
      ],
    ]);
    const zero = emptySpec();
    // Carried through other settings: the service's name, the API socket's mount, masked paths with read-only paths.
    const elsewhere = new Set(['name', 'useApiSocket', 'readonlyPaths', 'image']);
    for (const render of [renderCompose, renderSwarm]) {
      const r = await render(spec, exportCtx);
      const said = new Set([...r.losses.map((l) => l.field)]);
      for (const field of setFields(spec).filter((f) => !elsewhere.has(f))) {
        const without = await render({ ...spec, [field]: zero[field] }, exportCtx);
        const noted = r.notes.some((n) => n.startsWith(ARGS_OF[field] ?? `--${field}`));
        expect({ field, handled: without.main.text !== r.main.text || said.has(field) || noted }).toEqual({
          field,
          handled: true,
        });
      }
      expect(r.notes.some((n) => n.startsWith('--detach'))).toBe(true);
      expect(r.notes.some((n) => n.startsWith('--sig-proxy=false'))).toBe(true);
    }
  });
});

/** The flag a client setting's note starts with. */
const ARGS_OF: Partial<Record<string, string>> = { detach: '--detach', sigProxy: '--sig-proxy', attach: '--attach' };

describe('a service names its own preset', () => {
  it.each([
    [{ 'x-safedock': { preset: 'sandbox' } }, 'sandbox'],
    [{ labels: { 'io.safedock.preset': 'compat' } }, 'compat'],
    [{ labels: ['a=b', 'io.safedock.preset=none'] }, 'none'],
    [{ labels: ['a=b'] }, undefined],
    [{}, undefined],
  ])('%j → %s', (service, preset) => {
    expect(servicePreset(service)).toBe(preset);
  });
});

describe('export flags', () => {
  it('refuses an unknown format with a suggestion', () => {
    expect(() => exportOptions([{ name: 'format', value: 'compsoe' }])).toThrow(
      /expected one of compose, swarm, k8s, args/,
    );
  });
  it('needs a format', () => {
    expect(() => exportOptions([])).toThrow(/needs --format/);
  });
});

describe('args export to a folder', () => {
  it('run.sh names the profile beside itself and passes the words docker run would get', async () => {
    const { spec, export: ex } = await planned(['-e', 'A=it s', 'img', 'echo', "it's"]);
    const r = renderArgsFile(spec, ex);
    const dir = mkdtempSync(join(tmpdir(), 'safedock-args-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'docker'), '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n');
    chmodSync(join(bin, 'docker'), 0o755);
    writeFileSync(join(dir, 'run.sh'), r.main.text);
    const out = spawnSync('sh', [join(dir, 'run.sh')], { env: { PATH: `${bin}:/usr/bin:/bin` }, encoding: 'utf8' });
    const words = out.stdout.split('\n').slice(0, -1);
    expect(words[0]).toBe('run');
    expect(words).toContain(`--security-opt=seccomp=${dir}/strict.json`);
    expect(words).toContain('--env=A=it s');
    expect(words.slice(-3)).toEqual(['img', 'echo', "it's"]);
  });
});
