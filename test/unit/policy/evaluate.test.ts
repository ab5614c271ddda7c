import { describe, expect, it } from 'vitest';
import { parseRunArgv } from '../../../src/docker-cli/parse-argv.js';
import { ruleById } from '../../../src/policy/catalog.js';
import { evaluatePolicy } from '../../../src/policy/evaluate.js';
import { SEVERITIES, type Finding } from '../../../src/policy/types.js';
import { resolvePreset } from '../../../src/presets/builtin.js';
import type { Preset } from '../../../src/presets/types.js';
import { planArgs as planRun } from './helpers.js';
import { ENV, ROOT_IMAGE, fakeHost, findingsFor, planLine } from './helpers.js';
import { FAKE } from './fakes.js';

const summary = (findings: readonly Finding[]) => findings.map((f) => [f.rule, f.severity, f.origin]);

describe('findings: order, one per offending item, catalog text', () => {
  it("most severe first, then by rule id; a rule's items keep the settings' order", async () => {
    const findings = await findingsFor(
      '-u0 --cap-add NET_ADMIN --cap-add SYS_ADMIN --pids-limit -1 -v /etc:/e:ro img',
      { preset: 'strict' },
    );
    expect(findings.map((f) => f.rule)).toEqual(['SD111', 'SD111', 'SD118', 'SD121', 'SD127', 'SD132']);
    expect(findings.map((f) => f.severity)).toEqual(['critical', 'high', 'high', 'high', 'medium', 'info']);
    const ranks = findings.map((f) => SEVERITIES.indexOf(f.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
  });

  it('one finding per dangerous capability, with its own severity; the same one twice is one', async () => {
    const findings = (
      await findingsFor(
        '--cap-add SYS_ADMIN --cap-add sys_admin --cap-add CAP_SYS_PTRACE --cap-add net_admin --cap-add SYS_TIME img',
      )
    ).filter((f) => f.rule === 'SD111');
    expect(findings.map((f) => [f.detail, f.severity])).toEqual([
      ['CapAdd has CAP_SYS_ADMIN', 'critical'],
      ['CapAdd has CAP_SYS_PTRACE', 'critical'],
      ['CapAdd has CAP_NET_ADMIN', 'high'],
      ['CapAdd has CAP_SYS_TIME', 'high'],
    ]);
  });

  it('one finding per mount, per variable, per port, per sysctl', async () => {
    const findings = await findingsFor(
      '-v /etc:/a:ro -v /etc:/b:ro -e DB_PASSWORD=x1 -e API_TOKEN=x2 -p 0.0.0.0:80:80 -p 0.0.0.0:443:443 --sysctl kernel.msgmax=1 --sysctl kernel.msgmax=2 --sysctl net.ipv4.ip_forward=1 img',
    );
    const count = (rule: string) => findings.filter((f) => f.rule === rule).length;
    expect([count('SD121'), count('SD129'), count('SD125'), count('SD130')]).toEqual([2, 2, 2, 2]);
  });

  it('takes title and fix from the catalog', async () => {
    for (const f of await findingsFor('--privileged -u0 -v /etc:/e:ro -e DB_PASSWORD=x1 img', { preset: 'none' })) {
      const rule = ruleById(f.rule);
      expect(f.title).toBe(rule?.title);
      if (f.rule !== 'SD120') expect(f.fix).toBe(rule?.fix);
    }
  });

  it('a read-write sensitive mount says to mount read-only', async () => {
    const [f] = (await findingsFor('-v /etc:/e img')).filter((x) => x.rule === 'SD120');
    expect(f?.fix).toMatch(/:ro/);
  });

  it('leaves its input alone', async () => {
    const plan = await planLine('-v /var/run:/x -e DB_PASSWORD=x1 -u0 img');
    const before = JSON.stringify(plan);
    evaluatePolicy({ spec: plan.spec, provenance: plan.provenance, image: plan.image, host: fakeHost() });
    expect(JSON.stringify(plan)).toBe(before);
  });
});

describe('details name the setting, never a secret value', () => {
  it.each([
    ['-v /var/run:/x img', 'SD102', '/var/run contains the Docker socket /var/run/docker.sock (-v /var/run:/x)'],
    [
      '-v /var/run:/x img',
      'SD120',
      '/var/run (resolves to /run) contains /run/secrets, which holds decrypted secrets placed there by secret managers (-v /var/run:/x)',
    ],
    [
      '-v /srv/innocent:/x:ro img',
      'SD121',
      '/srv/innocent (resolves to /home/me/.ssh) holds SSH private keys and trusted hosts (-v /srv/innocent:/x:ro)',
    ],
    [
      '--mount type=bind,source=/run/docker.sock,target=/s,readonly img',
      'SD102',
      '/run/docker.sock is the Docker socket (read-only does not stop a connection) (--mount type=bind,source=/run/docker.sock,target=/s,readonly)',
    ],
    [
      '-v /tmp/x/docker.sock:/s img',
      'SD102',
      '/tmp/x/docker.sock is named like a container engine socket (-v /tmp/x/docker.sock:/s)',
    ],
    [
      '-v /srv/data:/srv:rshared img',
      'SD122',
      '/srv/data is mounted with rshared propagation (-v /srv/data:/srv:rshared)',
    ],
    [
      '--mount type=volume,dst=/x,volume-opt=type=none,volume-opt=o=bind,volume-opt=device=/etc img',
      'SD120',
      "an anonymous volume's device /etc holds host configuration: users, password hashes, sudoers, SSH host keys, service credentials (--mount type=volume,target=/x; volume-opt=type=none,volume-opt=o=bind,volume-opt=device=/etc)",
    ],
    ['--use-api-socket img', 'SD103', '--use-api-socket mounts /var/run/docker.sock at /var/run/docker.sock'],
    ['-u root:root img', 'SD118', 'User is "root:root", uid 0'],
    ['--security-opt seccomp=unconfined img', 'SD114', 'SecurityOpt has seccomp=unconfined'],
    ['--security-opt no-new-privileges:false img', 'SD117', 'SecurityOpt has no-new-privileges:false'],
    ['-p [::]:8080:80 img', 'SD125', '80/tcp is published on host port 8080 of every interface (HostIp "::")'],
    ['--gpus all img', 'SD123', 'DeviceRequests asks for all gpu devices (--gpus)'],
    ['--device /dev/fuse:/dev/f:rw img', 'SD123', 'Devices has /dev/fuse as /dev/f (rw)'],
    [
      '-e API_KEY img',
      'SD129',
      'Env has API_KEY: its name says it holds an API key (-e API_KEY copies it from your environment)',
    ],
    ['--pid container:db img', 'SD110', 'PidMode is "container:db" (--pid container:db)'],
  ])('%s: %s', async (line, rule, detail) => {
    expect((await findingsFor(line)).filter((f) => f.rule === rule).map((f) => f.detail)).toEqual([detail]);
  });

  it('no finding carries an environment value', async () => {
    const values = ['hunter2x', FAKE.github, FAKE.awsSecret, FAKE.jwt, 'p4ssw0rd', ENV.API_KEY ?? ''];
    const line = `-e DB_PASSWORD=${values[0]} -e GITHUB_TOKEN=${values[1]} -e AWS_SECRET_ACCESS_KEY=${values[2]} -e S=${values[3]} -e DATABASE_URL=postgres://u:${values[4]}@db/x -e API_KEY img`;
    const text = JSON.stringify(await findingsFor(line, { preset: 'none' }));
    expect(text).toContain('DB_PASSWORD');
    for (const v of values) expect(text).not.toContain(v);
  });
});

describe('origins', () => {
  it("docker's defaults under none; the image's root user", async () => {
    const f = await findingsFor('busybox', { preset: 'none' });
    expect(summary(f.filter((x) => x.severity !== 'info'))).toEqual([
      ['SD118', 'high', 'image'],
      ['SD117', 'medium', 'default'],
      ['SD126', 'medium', 'default'],
      ['SD127', 'medium', 'default'],
      ['SD113', 'low', 'default'],
      ['SD119', 'low', 'default'],
      ['SD128', 'low', 'default'],
      ['SD155', 'low', 'default'],
    ]);
  });

  it('an image that was not inspected is reported as such', async () => {
    const [f] = (await findingsFor('busybox', { preset: 'none', image: null })).filter((x) => x.rule === 'SD118');
    expect(f).toMatchObject({ origin: 'image', detail: expect.stringContaining('not inspected') as string });
  });

  it("an empty -u is your flag choosing the image's root", async () => {
    const [f] = (await findingsFor("-u '' img")).filter((x) => x.rule === 'SD118');
    expect(f).toMatchObject({ origin: 'user', detail: 'the user is empty: the image names no user, so root' });
  });

  it('your flags, when they loosen the preset', async () => {
    const f = await findingsFor(
      '--memory 0 --pids-limit -1 --cpus 0 --read-only=false --security-opt no-new-privileges=false -u0 img',
    );
    expect(f.filter((x) => x.severity !== 'info').every((x) => x.origin === 'user')).toBe(true);
  });

  it('the preset, for what compat gives up', async () => {
    const f = await findingsFor('busybox', { preset: 'compat' });
    expect(
      summary(f.filter((x) => x.rule === 'SD112' || x.rule === 'SD119')).every(([, , origin]) => origin === 'preset'),
    ).toBe(true);
    expect(f.find((x) => x.rule === 'SD118')?.origin).toBe('image');
  });

  it('a preset of your own that loosens things, including its port address', () => {
    const preset: Preset = {
      name: 'loose',
      summary: 'test',
      file: '/presets/loose.yaml',
      settings: {
        privileged: { value: true },
        'cap-add': { value: ['SYS_ADMIN'] },
        'security-opt': { value: ['seccomp=unconfined', 'no-new-privileges'] },
        env: { value: ['API_TOKEN=abc123def'] },
        volume: { value: ['/var/run/docker.sock:/var/run/docker.sock'] },
        'read-only': { value: true },
        memory: { value: '1g' },
        'pids-limit': { value: 100 },
        cpus: { value: '1' },
        'cap-drop': { value: ['ALL'] },
      },
      ports: { defaultAddress: { value: '0.0.0.0' } },
    };
    const plan = planRun(parseRunArgv(['-u', '1000', '-p', '8080:80', 'img']), preset, ROOT_IMAGE, {
      env: ENV,
      cwd: '/home/me/proj',
      apiVersion: '1.41',
    });
    const f = evaluatePolicy({ spec: plan.spec, provenance: plan.provenance, image: plan.image, host: fakeHost() });
    expect(summary(f.filter((x) => x.severity !== 'info'))).toEqual([
      ['SD101', 'critical', 'preset'],
      ['SD102', 'critical', 'preset'],
      ['SD111', 'critical', 'preset'],
      ['SD114', 'high', 'preset'],
      ['SD129', 'high', 'preset'],
      ['SD125', 'medium', 'preset'],
      ['SD155', 'low', 'default'],
    ]);
  });

  it('a runtime the preset names is its reviewed choice; the same from your flags is SD153', () => {
    const preset: Preset = {
      name: 'gvisor',
      summary: 'test',
      file: '/presets/gvisor.yaml',
      settings: { runtime: { value: 'runsc', reason: 'gVisor for untrusted code' } },
    };
    const ctx = { env: ENV, cwd: '/home/me/proj', apiVersion: '1.41' };
    const byPreset = planRun(parseRunArgv(['img']), preset, ROOT_IMAGE, ctx);
    const host = fakeHost();
    const rules = (p: typeof byPreset) =>
      evaluatePolicy({ spec: p.spec, provenance: p.provenance, image: p.image, host }).map((f) => f.rule);
    expect(rules(byPreset)).not.toContain('SD153');
    const byFlag = planRun(parseRunArgv(['--runtime', 'runsc', 'img']), { ...preset, settings: {} }, ROOT_IMAGE, ctx);
    expect(
      evaluatePolicy({ spec: byFlag.spec, provenance: byFlag.provenance, image: byFlag.image, host }).find(
        (f) => f.rule === 'SD153',
      ),
    ).toMatchObject({ severity: 'low', origin: 'user', detail: expect.stringContaining('gVisor') as string });
  });
});

describe('finding keys', () => {
  it('name the rule and the item: capability, mount (host path and target), variable, port, sysctl, ulimit', async () => {
    const f = await findingsFor(
      '--cap-add cap_net_admin -v ./etc-link:/e/:ro -v ~/.ssh:/k -e DB_PASSWORD=x1 -p 0.0.0.0:80:80 --sysctl net.core.somaxconn=1 --ulimit rtprio=5 -u0 img',
    );
    expect(f.map((x) => x.key)).toEqual([
      'SD120:/home/me/.ssh:/k',
      'SD111:NET_ADMIN',
      'SD118',
      'SD121:/home/me/proj/etc-link:/e',
      'SD129:DB_PASSWORD',
      'SD125:80/tcp',
      'SD130:net.core.somaxconn',
      'SD151:rtprio',
      'SD132:img',
    ]);
  });
  it('are the same for the same settings however they are spelt', async () => {
    const a = await findingsFor('--cap-add NET_ADMIN -v /etc:/e:ro img');
    const b = await findingsFor('--cap-add=cap_net_admin --mount type=bind,src=/etc/,dst=/e,readonly img');
    expect(b.map((x) => x.key)).toEqual(a.map((x) => x.key));
  });
});

describe('the isolated network', () => {
  it("strict joins safedock's network when you name none; your network, sandbox's none and --link win", async () => {
    const strict = await planLine('img');
    expect(strict.spec.networks.map((n) => n.target)).toEqual(['safedock']);
    expect(strict.isolatedNetwork).toBe('safedock');
    expect(strict.provenance.get('networks')?.source).toMatchObject({ kind: 'preset', key: 'network.isolated' });
    const mine = await planLine('--network mynet img');
    expect([mine.spec.networks.map((n) => n.target), mine.isolatedNetwork]).toEqual([['mynet'], undefined]);
    const sandbox = await planLine('img', { preset: 'sandbox' });
    expect([sandbox.spec.networks.map((n) => n.target), sandbox.isolatedNetwork]).toEqual([['none'], undefined]);
    const linked = await planLine('--link db img');
    expect([linked.spec.networks, linked.isolatedNetwork]).toEqual([[], undefined]);
    expect(linked.notes.join('\n')).toContain("--link works on docker's default bridge only");
    const compat = await planLine('img', { preset: 'compat' });
    expect([compat.spec.networks, compat.isolatedNetwork]).toEqual([[], undefined]);
    // Naming safedock's network yourself: it is still created on first use.
    expect((await planLine('--network safedock img')).isolatedNetwork).toBe('safedock');
  });
});

describe('--use-api-socket', () => {
  it('is SD103 alone: the socket it mounts is not SD102 again', async () => {
    const f = await findingsFor('--use-api-socket img');
    expect(f.map((x) => x.rule)).toEqual(['SD103', 'SD132']);
  });
  it('names the socket of DOCKER_HOST, and other mounts are still judged', async () => {
    const env = { ...ENV, DOCKER_HOST: 'unix:///run/user/1000/docker.sock' };
    const plan = planRun(
      parseRunArgv(['--use-api-socket', '-v', '/run:/x', 'img']),
      await resolvePreset('strict'),
      ROOT_IMAGE,
      { env, cwd: '/home/me/proj', apiVersion: '1.41' },
    );
    const f = evaluatePolicy({ spec: plan.spec, provenance: plan.provenance, image: plan.image, host: fakeHost() });
    expect(f.find((x) => x.rule === 'SD103')?.detail).toBe(
      '--use-api-socket mounts /run/user/1000/docker.sock at /var/run/docker.sock',
    );
    expect(f.filter((x) => x.rule === 'SD102').map((x) => x.detail)).toEqual([
      '/run contains the Docker socket /run/docker.sock (-v /run:/x)',
    ]);
  });
});
