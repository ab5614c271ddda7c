/**
 * `safedock export --from-container`: a container started by hand with plain docker is read back
 * (fromInspect), the preset goes under its own settings, and the export carries both: the args
 * export, run with plain docker, starts a hardened container that keeps the hand-made settings;
 * the Kubernetes export resolves the container's user name to numbers from the image's files.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { FACTS_LABEL } from '../../src/engine/facts.js';
import {
  TEST_IMAGE,
  TEST_LABEL_ARGS,
  TEST_LABEL_KEY,
  TEST_RUN_ID,
  inspectContainer,
  removeContainer,
  runCli,
  runDocker,
  runProcess,
} from '../helpers/engine.js';

interface Inspected {
  Config: { User: string; Env: string[] };
  HostConfig: Record<string, unknown>;
}

const name = `sd-fc-${TEST_RUN_ID}`;
const started: string[] = [];

afterAll(async () => {
  for (const id of started) await removeContainer(id).catch(() => undefined);
});

describe('export --from-container', () => {
  it('writes the docker run line of the container with the hardening added', async () => {
    const hand = await runDocker([
      'run',
      '-d',
      '--name',
      name,
      ...TEST_LABEL_ARGS,
      '-u',
      'nobody',
      '-e',
      'MODE=dev',
      '--memory',
      '1g',
      TEST_IMAGE,
      'sleep',
      '300',
    ]);
    expect(hand.code, hand.stderr).toBe(0);
    started.push(hand.stdout.trim());

    const r = await runCli(['export', '--format', 'args', '--from-container', name]);
    expect(r.code, r.stderr).toBe(0);
    const line = r.stdout.trim();
    // The container's own settings …
    expect(line).toContain('--memory=1073741824');
    expect(line).toContain('--env=MODE=dev');
    expect(line).toContain('--user=nobody');
    expect(line).toMatch(/ safedock-test:latest sleep 300$/);
    // … the image's own environment is not repeated, and the preset is added under them.
    expect(line).not.toContain('PATH=');
    for (const f of ['--cap-drop=ALL', '--read-only', '--security-opt=no-new-privileges', '--pids-limit=256'])
      expect(line).toContain(f);

    // Plain docker runs the line: the container is hardened and keeps the hand-made settings.
    expect(line).toContain(`--name=${name} `);
    const run = await runProcess('sh', ['-c', line.replace(`--name=${name} `, `--name=${name}-2 --detach `)]);
    expect(run.code, run.stderr).toBe(0);
    started.push(run.stdout.trim());
    const c = (await inspectContainer<Inspected>(run.stdout.trim())) as Inspected;
    expect(c.HostConfig.Memory).toBe(1024 ** 3);
    expect(c.HostConfig.CapDrop).toEqual(['ALL']);
    expect(c.HostConfig.ReadonlyRootfs).toBe(true);
    expect(c.Config.User).toBe('nobody');
    const status = (await runDocker(['exec', run.stdout.trim(), 'cat', '/proc/self/status'])).stdout;
    expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
    expect(status).toMatch(/^Seccomp:\s+2$/m);
  });

  it('leaves out what the engine chose: swap twice the memory, its aliases, a hostname a joined network gives', async () => {
    const network = `sd-fc-net-${TEST_RUN_ID}`;
    const mine: string[] = [];
    expect((await runDocker(['network', 'create', '--label', `${TEST_LABEL_KEY}=${TEST_RUN_ID}`, network])).code).toBe(
      0,
    );
    try {
      const first = await runDocker([
        'run',
        '-d',
        ...TEST_LABEL_ARGS,
        '--memory',
        '64m',
        '--network',
        network,
        '--network-alias',
        'web',
        '--hostname',
        'myhost',
        TEST_IMAGE,
        'sleep',
        '300',
      ]);
      expect(first.code, first.stderr).toBe(0);
      const id = first.stdout.trim();
      mine.push(id);
      // Your --memory over the container's: no swap limit of the engine's left below it.
      const r = await runCli(['export', '--format', 'args', '--from-container', id, '--memory', '256m']);
      expect(r.code, r.stderr).toBe(0);
      const line = r.stdout.trim();
      expect(line).not.toContain('--memory-swap');
      expect(line).toContain('alias=web');
      expect(line).not.toContain(`alias=${id.slice(0, 12)}`);
      expect(line).not.toContain('alias=myhost');
      const created = await runProcess('sh', [
        '-c',
        line.replace(/^docker run /, 'docker create ').replace(/--name=\S+ /, ''),
      ]);
      expect(created.code, created.stderr).toBe(0);
      mine.push(created.stdout.trim());

      // A container on the first one's network has its hostname: none is written.
      const joined = await runDocker([
        'run',
        '-d',
        ...TEST_LABEL_ARGS,
        '--network',
        `container:${id}`,
        TEST_IMAGE,
        'sleep',
        '300',
      ]);
      expect(joined.code, joined.stderr).toBe(0);
      mine.push(joined.stdout.trim());
      const j = await runCli(['export', '--format', 'args', '--from-container', joined.stdout.trim()]);
      expect(j.code, j.stderr).toBe(0);
      expect(j.stdout).not.toContain('--hostname');
      const again = await runProcess('sh', [
        '-c',
        j.stdout
          .trim()
          .replace(/^docker run /, 'docker create ')
          .replace(/--name=\S+ /, ''),
      ]);
      expect(again.code, again.stderr).toBe(0);
      mine.push(again.stdout.trim());
    } finally {
      for (const c of mine) await removeContainer(c).catch(() => undefined);
      await runDocker(['network', 'rm', network]);
    }
  });

  it('resolves the user name to numbers for Kubernetes from the image', async () => {
    const r = await runCli(['export', '--format', 'k8s', '--from-container', name]);
    expect(r.code, r.stderr).toBe(0);
    const [deployment] = parseAllDocuments(r.stdout).map(
      (d) => d.toJS() as { spec: { template: { spec: { securityContext: unknown } } } },
    );
    expect(deployment?.spec.template.spec.securityContext).toMatchObject({
      runAsUser: 65534,
      runAsGroup: 65534,
      runAsNonRoot: true,
    });
    // The container made to read the image's account files is gone.
    expect((await runDocker(['ps', '-aq', '--filter', `label=${FACTS_LABEL}`])).stdout.trim()).toBe('');
  });

  it("a container safedock started: its profile is named as the shipped one, safedock's labels are the export's own", async () => {
    const run = await runCli(['run', '-d', ...TEST_LABEL_ARGS, '-p', '8080', TEST_IMAGE, 'sleep', '300']);
    expect(run.code, run.stderr).toBe(0);
    const id = run.stdout.trim();
    started.push(id);

    // Without -o: the profile the container holds inline is seccomp/strict.json, named where it is.
    const r = await runCli(['export', '--format', 'compose', '--from-container', id]);
    expect(r.code, r.stderr).toBe(0);
    const fresh = await runCli(['export', '--format', 'compose', TEST_IMAGE]);
    const named = /seccomp=(\S+strict\.json)/.exec(fresh.stdout)?.[1];
    expect(named).toBeDefined();
    expect(r.stdout).toContain(`seccomp=${named ?? ''}`);
    expect(r.stderr).toContain(`names the seccomp profile ${named ?? ''}`);
    // The container's record of its run is not copied, nor said to be dropped: the export stamps its own.
    expect(r.stderr).not.toContain('reserved');
    const labels = (parseAllDocuments(r.stdout)[0]?.toJS() as { services: Record<string, { labels: unknown }> })
      .services;
    expect(Object.values(labels)[0]?.labels).toEqual({ [TEST_LABEL_KEY]: TEST_RUN_ID, 'io.safedock.preset': 'strict' });
  });

  it('drops forged acceptance labels, and its port note names the port', async () => {
    const hand = await runDocker([
      'run',
      '-d',
      ...TEST_LABEL_ARGS,
      '--label',
      'io.safedock.accepted=SD102',
      '--label',
      'io.safedock.accepted.SD102=forged (by --accept)',
      '-p',
      '127.0.0.1::80',
      // A random host port: the engine is shared.
      '-p',
      '81',
      TEST_IMAGE,
      'sleep',
      '300',
    ]);
    expect(hand.code, hand.stderr).toBe(0);
    const id = hand.stdout.trim();
    started.push(id);
    const r = await runCli(['export', '--format', 'args', '--from-container', id]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('io.safedock.accepted');
    expect(r.stdout).toContain('--label=io.safedock.preset=strict');
    expect(r.stderr).not.toContain('reserved');
    expect(r.stderr).toContain('safedock: -p 81/tcp is published on 127.0.0.1 only (preset strict)');
    expect(r.stderr).not.toContain(id);
  });

  it('names a missing container clearly', async () => {
    const r = await runCli(['export', '--format', 'compose', '--from-container', `${name}-missing`]);
    // docker's exit status for a container that is not there.
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`no such container: ${name}-missing`);
  });
});
