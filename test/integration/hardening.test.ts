import { describe, expect, it } from 'vitest';
import {
  TEST_IMAGE,
  TEST_IMAGE_NONROOT,
  TEST_LABEL_ARGS,
  inspectContainer,
  removeContainer,
  runCli,
} from '../helpers/engine.js';

/** Reads what the container's own process is allowed to do, from the inside. */
const PROBE = [
  'echo uid=$(id -u); echo gid=$(id -g)',
  "grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status",
  'if touch /probe 2>/dev/null; then echo root=writable; else echo root=read-only; fi',
  'if touch /tmp/probe 2>/dev/null; then echo tmp=writable; else echo tmp=read-only; fi',
  'echo memory=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max)',
  'echo pids=$(cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max)',
  'echo cpu=$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null)/$(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us 2>/dev/null)',
].join('; ');

function facts(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const m = /^(\w+)[:=]\s*(.*)$/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined) out[m[1]] = m[2].trim();
  }
  return out;
}

async function probe(args: string[], image = TEST_IMAGE): Promise<Record<string, string>> {
  const r = await runCli(['run', '--rm', ...TEST_LABEL_ARGS, ...args, image, 'sh', '-c', PROBE]);
  expect(r.code, r.stderr).toBe(0);
  return facts(r.stdout);
}

describe('the strict preset, observed inside the container', () => {
  it('is applied by default: no capabilities, no new privileges, seccomp, read-only root, non-root, limits', async () => {
    const f = await probe([]);
    expect(f.uid).toBe('65534');
    expect(f.CapEff).toBe('0000000000000000');
    expect(f.CapBnd).toBe('0000000000000000');
    expect(f.NoNewPrivs).toBe('1');
    expect(f.Seccomp).toBe('2');
    expect(f.root).toBe('read-only');
    expect(f.tmp).toBe('writable');
    expect(f.memory).toBe(String(512 * 1024 * 1024));
    expect(f.pids).toBe('256');
    expect(f.cpu).toBe('100000/100000');
  });

  it('tells the user when it changes the image user', async () => {
    const r = await runCli(['run', '--rm', ...TEST_LABEL_ARGS, TEST_IMAGE, 'true']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/65534:65534/);
  });

  it('keeps an image user that is already non-root', async () => {
    const f = await probe([], TEST_IMAGE_NONROOT);
    expect(f.uid).toBe('1000');
    expect(f.CapEff).toBe('0000000000000000');
  });

  it('lets explicit flags win: a user, a capability added back, a larger memory limit', async () => {
    const f = await probe(['-u', '1000:1000', '--cap-add', 'NET_BIND_SERVICE', '-m', '256m', '--pids-limit', '64']);
    expect(f.uid).toBe('1000');
    // A non-root uid holds no effective capabilities; the one added back is all that is bounded.
    expect(f.CapEff).toBe('0000000000000000');
    expect(f.CapBnd).toBe('0000000000000400');
    expect(f.memory).toBe(String(256 * 1024 * 1024));
    expect(f.pids).toBe('64');
    expect(f.NoNewPrivs).toBe('1');
    expect(f.root).toBe('read-only');
  });

  it('-u0 runs as root, but still without capabilities', async () => {
    const f = await probe(['-u0', '--accept', 'SD118', '--reason', 'the test observes root']);
    expect(f.uid).toBe('0');
    expect(f.CapEff).toBe('0000000000000000');
    const withCap = await probe([
      '-u0',
      '--accept',
      'SD118',
      '--reason',
      'the test observes root',
      '--cap-add',
      'net_bind_service',
    ]);
    expect(withCap.CapEff).toBe('0000000000000400');
  });

  it('--read-only=false gives a writable root back', async () => {
    const f = await probe(['--read-only=false', '-u', '0', '--accept', 'SD118', '--reason', 'the test observes root']);
    expect(f.root).toBe('writable');
  });

  it('the none preset applies nothing: docker defaults', async () => {
    const f = await probe(['--preset', 'none', '--policy', 'warn']);
    expect(f.uid).toBe('0');
    expect(f.CapEff).not.toBe('0000000000000000');
    expect(f.NoNewPrivs).toBe('0');
    expect(f.root).toBe('writable');
  });

  it('--dry-run prints the plan with sources, masks env values, and creates nothing', async () => {
    const r = await runCli(['run', '--dry-run', '-e', 'TOKEN=s3cr3t-value', ...TEST_LABEL_ARGS, TEST_IMAGE, 'true']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--cap-drop ALL\s+preset strict/);
    expect(r.stdout).toMatch(/--user 65534:65534\s+image tailoring/);
    expect(r.stdout).toContain('TOKEN=********');
    expect(r.stdout).not.toContain('s3cr3t-value');
    const json = await runCli(['run', '--dry-run', '--json', '-e', 'TOKEN=s3cr3t-value', TEST_IMAGE, 'true']);
    expect(json.code).toBe(0);
    expect(json.stdout).not.toContain('s3cr3t-value');
    const plan = JSON.parse(json.stdout) as {
      request: { body: { HostConfig: { CapDrop: string[]; ReadonlyRootfs: boolean }; User: string; Env: string[] } };
    };
    expect(plan.request.body.HostConfig.CapDrop).toEqual(['ALL']);
    expect(plan.request.body.HostConfig.ReadonlyRootfs).toBe(true);
    expect(plan.request.body.User).toBe('65534:65534');
    expect(plan.request.body.Env).toEqual(['TOKEN=********']);
  });
});

describe('each built-in preset, observed inside the container', () => {
  it.each([['strict'], ['sandbox'], ['compat']])(
    "%s: safedock's seccomp profile refuses what the engine default allows (personality for linux32)",
    async (preset) => {
      const hardened = await runCli([
        'run',
        '--rm',
        '--preset',
        preset,
        ...TEST_LABEL_ARGS,
        TEST_IMAGE,
        'sh',
        '-c',
        'linux32 true && echo allowed || echo refused',
      ]);
      expect(hardened.stdout).toBe('refused\n');
      expect(hardened.stderr).toMatch(/personality\(0x8\): Operation not permitted/);
      const plain = await runCli([
        'run',
        '--rm',
        '--preset',
        'none',
        '--policy',
        'warn',
        ...TEST_LABEL_ARGS,
        TEST_IMAGE,
        'sh',
        '-c',
        'linux32 true && echo allowed || echo refused',
      ]);
      expect(plain.stdout).toBe('allowed\n');
    },
  );

  it('strict: unshare and namespace clones are refused, even as root', async () => {
    const r = await runCli([
      'run',
      '--rm',
      '-u',
      '0',
      '--accept',
      'SD118',
      '--reason',
      'the test observes root',
      ...TEST_LABEL_ARGS,
      TEST_IMAGE,
      'sh',
      '-c',
      'unshare -U true; echo rc=$?',
    ]);
    expect(r.stdout).toBe('rc=1\n');
    expect(r.stderr).toMatch(/Operation not permitted/);
  });

  it('sandbox: no network but loopback, tighter limits, an init, the unprivileged-port sysctls', async () => {
    const f = await probe(['--preset', 'sandbox']);
    expect(f.uid).toBe('65534');
    expect(f.CapEff).toBe('0000000000000000');
    expect(f.NoNewPrivs).toBe('1');
    expect(f.Seccomp).toBe('2');
    expect(f.root).toBe('read-only');
    expect(f.memory).toBe(String(256 * 1024 * 1024));
    expect(f.pids).toBe('64');
    const r = await runCli([
      'run',
      '--rm',
      '--preset',
      'sandbox',
      ...TEST_LABEL_ARGS,
      TEST_IMAGE,
      'sh',
      '-c',
      'ls /sys/class/net | tr "\\n" " "; echo; cat /proc/1/comm; cat /proc/sys/net/ipv4/ip_unprivileged_port_start /proc/sys/net/ipv4/ping_group_range',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const [interfaces, init, portStart, pingRange] = r.stdout.split('\n');
    expect(interfaces?.trim()).toBe('lo');
    expect(init).toBe('docker-init');
    expect(portStart).toBe('1024');
    expect(pingRange?.split(/\s+/)).toEqual(['1', '0']);
  });

  it('compat: a writable root and a few capabilities for root images, still no new privileges and the profile', async () => {
    const f = await probe(['--preset', 'compat']);
    expect(f.uid).toBe('0');
    expect(f.root).toBe('writable');
    expect(f.NoNewPrivs).toBe('1');
    expect(f.Seccomp).toBe('2');
    // CHOWN, DAC_OVERRIDE, FOWNER, SETGID, SETUID, NET_BIND_SERVICE
    expect(f.CapEff).toBe('00000000000004cb');
    expect(f.memory).toBe(String(1024 * 1024 * 1024));
    expect(f.pids).toBe('512');
    expect(f.cpu).toBe('200000/100000');
  });

  it.each([['strict'], ['sandbox'], ['compat']])('%s: logs rotate (json-file, 10m x 3)', async (preset) => {
    const r = await runCli(['run', '-d', '--preset', preset, ...TEST_LABEL_ARGS, TEST_IMAGE, 'true']);
    expect(r.code, r.stderr).toBe(0);
    const id = r.stdout.trim();
    try {
      const info = await inspectContainer<{
        HostConfig: { LogConfig: { Type: string; Config: Record<string, string> } };
      }>(id);
      expect(info?.HostConfig.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } });
    } finally {
      await removeContainer(id);
    }
  });

  it.each([['strict'], ['compat']])(
    '%s: publishes -p ports without an address on 127.0.0.1; an explicit 0.0.0.0 stays',
    async (preset) => {
      const r = await runCli([
        'run',
        '-d',
        '--preset',
        preset,
        '-p',
        '18080:80',
        '-p',
        '0.0.0.0:18081:81',
        ...TEST_LABEL_ARGS,
        TEST_IMAGE,
        'sleep',
        '30',
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/-p 18080:80 is published on 127\.0\.0\.1 only/);
      const id = r.stdout.trim();
      try {
        const info = await inspectContainer<{
          NetworkSettings: { Ports: Record<string, Array<{ HostIp: string; HostPort: string }> | null> };
        }>(id);
        expect(info?.NetworkSettings.Ports['80/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: '18080' }]);
        expect(info?.NetworkSettings.Ports['81/tcp']?.[0]).toEqual({ HostIp: '0.0.0.0', HostPort: '18081' });
      } finally {
        await removeContainer(id);
      }
    },
  );
});
