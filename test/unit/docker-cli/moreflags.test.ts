import { describe, expect, it } from 'vitest';
import { parseRunArgv } from '../../../src/docker-cli/parse-argv.js';
import {
  dockerRequest as toRunRequest,
  type DockerRequestContext as ConvertContext,
} from '../../../src/run/pipeline.js';
import { SafedockError } from '../../../src/errors.js';
import type { RunRequest } from '../../../src/api/create-body.js';
import { goParseDuration } from '../../../src/grammar/units.js';
import { canonicalIp, isGoMac } from '../../../src/grammar/go-ip.js';
import { goPathClean } from '../../../src/grammar/go-path.js';
import { isCdiName, parseGpuRequest } from '../../../src/grammar/devices.js';
import { validateDnsSearch, validateExtraHost } from '../../../src/grammar/host-opts.js';

const ctx = (apiVersion = '1.41', env: NodeJS.ProcessEnv = {}): ConvertContext => ({ env, cwd: '/work', apiVersion });
const run = (argv: string[], c: ConvertContext = ctx()): RunRequest => toRunRequest(parseRunArgv([...argv, 'img']), c);
const hc = (argv: string[], c?: ConvertContext): Record<string, unknown> => ({ ...run(argv, c).body.HostConfig });
const err = (argv: string[], c?: ConvertContext): SafedockError => {
  try {
    run(argv, c);
  } catch (e) {
    if (e instanceof SafedockError) return e;
    throw e;
  }
  throw new Error(`no error for ${JSON.stringify(argv)}`);
};

describe('name resolution flags', () => {
  it('--add-host normalises host=ip, strips [v6] brackets, keeps host-gateway', () => {
    expect(
      hc([
        '--add-host',
        'db:10.0.0.5',
        '--add-host',
        'gw=192.168.0.1',
        '--add-host',
        'v6:[::1]',
        '--add-host',
        'h:host-gateway',
      ]).ExtraHosts,
    ).toEqual(['db:10.0.0.5', 'gw:192.168.0.1', 'v6:::1', 'h:host-gateway']);
    expect(validateExtraHost('v6:2001:db8::1')).toBe('v6:2001:db8::1');
    expect(err(['--add-host', 'foo']).message).toBe(
      'invalid argument "foo" for "--add-host" flag: bad format for add-host: "foo"',
    );
    expect(err(['--add-host', 'foo:bar']).message).toContain('invalid IP address in add-host: "bar"');
    expect(err(['--add-host', 'a:b=1.2.3.4']).message).toContain('bad format for add-host');
    expect(hc([]).ExtraHosts).toBeNull();
  });
  it('--dns validates and canonicalises like Go net.IP.String', () => {
    expect(
      hc(['--dns', '8.8.8.8', '--dns', '2001:DB8:0:0:0:0:0:1', '--dns', '::ffff:1.2.3.4', '--dns', ' 1.1.1.1 ']).Dns,
    ).toEqual(['8.8.8.8', '2001:db8::1', '1.2.3.4', '1.1.1.1']);
    expect(canonicalIp('fe80::1%eth0')).toBeUndefined();
    expect(canonicalIp('01.1.1.1')).toBeUndefined();
    expect(canonicalIp('1:0:0:2:0:0:0:3')).toBe('1:0:0:2::3');
    expect(err(['--dns', 'notanip']).message).toBe(
      'invalid argument "notanip" for "--dns" flag: IP address is not correctly formatted: notanip',
    );
  });
  it('--dns-search accepts domains and "."', () => {
    expect(hc(['--dns-search', 'example.com.', '--dns-search', '.']).DnsSearch).toEqual(['example.com', '.']);
    expect(validateDnsSearch(' x.org ')).toBe('x.org');
    expect(() => validateDnsSearch('123')).toThrow('123 is not a valid domain');
    expect(err(['--dns-search', '-bad']).message).toContain('-bad is not a valid domain');
  });
  it('--link goes to HostConfig.Links, and to the endpoint on a user network', () => {
    expect(hc(['--link', 'lr-src:src']).Links).toEqual(['lr-src:src']);
    const r = run(['--network', 'mynet', '--link', 'a:b']);
    expect(r.body.HostConfig.Links).toEqual(['a:b']);
    expect(r.body.NetworkingConfig.EndpointsConfig.mynet?.Links).toEqual(['a:b']);
    expect(err(['--link', 'a:b:c']).message).toContain('bad format for links: a:b:c');
  });
});

describe('network endpoint flags', () => {
  it('--ip/--ip6/--link-local-ip go to the first network', () => {
    const r = run([
      '--network',
      'lr-net',
      '--ip',
      '172.30.0.5',
      '--ip6',
      '2001:db8::33',
      '--link-local-ip',
      '169.254.1.1',
    ]);
    expect(r.body.NetworkingConfig.EndpointsConfig['lr-net']?.IPAMConfig).toEqual({
      IPv4Address: '172.30.0.5',
      IPv6Address: '2001:db8::33',
      LinkLocalIPs: ['169.254.1.1'],
    });
    expect(run(['--link-local-ip', '169.254.0.5']).body.NetworkingConfig.EndpointsConfig.default?.IPAMConfig).toEqual({
      LinkLocalIPs: ['169.254.0.5'],
    });
    expect(err(['--network', 'name=n,ip=1.2.3.4', '--ip', '1.2.3.5']).message).toBe(
      'conflicting options: cannot specify both --ip and per-network IPv4 address',
    );
  });
  it('--mac-address: validated, and refused below API 1.44', () => {
    expect(err(['--mac-address', 'zz']).message).toBe('zz is not a valid mac address');
    expect(err(['--mac-address', '92:d0:c6:0a:29:33']).message).toBe(
      '"specify mac-address per network" requires API version 1.44, but the Docker daemon API version is 1.41',
    );
    const r = run(['--network', 'n', '--mac-address', '92:d0:c6:0a:29:33'], ctx('1.44'));
    expect(r.body.NetworkingConfig.EndpointsConfig.n?.MacAddress).toBe('92:d0:c6:0a:29:33');
    expect((r.body as unknown as Record<string, unknown>).MacAddress).toBeUndefined();
    expect(isGoMac('0000.5e00.5301')).toBe(true);
    expect(isGoMac('00:00:5e:00:53')).toBe(false);
  });
});

describe('devices', () => {
  it('--device src[:dst][:perms], cleaned paths, CDI names', () => {
    const h = hc([
      '--device',
      '/dev/null',
      '--device',
      '/dev/zero:/dev/z:r',
      '--device',
      '/dev/full:rw',
      '--device',
      '/dev/../dev/x:/a/../b/',
      '--device',
      'vendor.com/class=name',
    ]);
    expect(h.Devices).toEqual([
      { PathOnHost: '/dev/null', PathInContainer: '/dev/null', CgroupPermissions: 'rwm' },
      { PathOnHost: '/dev/zero', PathInContainer: '/dev/z', CgroupPermissions: 'r' },
      { PathOnHost: '/dev/full', PathInContainer: '/dev/full', CgroupPermissions: 'rw' },
      { PathOnHost: '/dev/../dev/x', PathInContainer: '/b', CgroupPermissions: 'rwm' },
    ]);
    expect(h.DeviceRequests).toEqual([
      { Driver: 'cdi', Count: 0, DeviceIDs: ['vendor.com/class=name'], Capabilities: null, Options: null },
    ]);
    expect(err(['--device', '/dev/null:rel']).message).toBe('rel is not an absolute path');
    expect(err(['--device', '/dev/null:/x:rwx']).message).toBe('bad mode specified: rwx');
    expect(err(['--device', '/a:/b:r:x']).message).toBe('bad format for path: /a:/b:r:x');
    expect(isCdiName('a/b=c')).toBe(false);
    expect(goPathClean('/x/../y/')).toBe('/y');
  });
  it('--device-cgroup-rule and --gpus', () => {
    expect(hc(['--device-cgroup-rule', 'c 1:3 rwm']).DeviceCgroupRules).toEqual(['c 1:3 rwm']);
    expect(err(['--device-cgroup-rule', 'x 1:3 rwm']).message).toContain("invalid device cgroup format 'x 1:3 rwm'");
    expect(hc(['--gpus', 'all']).DeviceRequests).toEqual([
      { Driver: '', Count: -1, DeviceIDs: null, Capabilities: [['gpu']], Options: {} },
    ]);
    expect(parseGpuRequest('"device=0,1",capabilities=utility')).toEqual({
      Driver: '',
      Count: 0,
      DeviceIDs: ['0', '1'],
      Capabilities: [['utility', 'gpu']],
      Options: {},
    });
    expect(err(['--gpus', 'foo=bar']).message).toBe(
      `invalid argument "foo=bar" for "--gpus" flag: unexpected key 'foo' in 'foo=bar'`,
    );
    expect(err(['--gpus', 'x']).message).toContain(
      'invalid count (x): value must be either "all" or an integer: invalid syntax',
    );
  });
  it('block IO weights and throttles', () => {
    const h = hc([
      '--blkio-weight',
      '300',
      '--blkio-weight-device',
      '/dev/sda:200',
      '--device-read-bps',
      '/dev/sda:1mb',
      '--device-write-bps',
      '/dev/sda:1.5g',
      '--device-read-iops',
      '/dev/sda:7',
      '--device-write-iops',
      '/dev/sda:1000',
    ]);
    expect(h.BlkioWeight).toBe(300);
    expect(h.BlkioWeightDevice).toEqual([{ Path: '/dev/sda', Weight: 200 }]);
    expect(h.BlkioDeviceReadBps).toEqual([{ Path: '/dev/sda', Rate: 1048576 }]);
    expect(h.BlkioDeviceWriteBps).toEqual([{ Path: '/dev/sda', Rate: 1610612736 }]);
    expect(h.BlkioDeviceReadIOps).toEqual([{ Path: '/dev/sda', Rate: 7 }]);
    expect(h.BlkioDeviceWriteIOps).toEqual([{ Path: '/dev/sda', Rate: 1000 }]);
    expect(err(['--blkio-weight-device', '/dev/sda:5']).message).toContain('invalid weight for device: /dev/sda:5');
    expect(err(['--blkio-weight-device', 'sda:500']).message).toContain('bad format for device path: sda:500');
    expect(err(['--device-write-bps', '/dev/sda:12x']).message).toContain('invalid rate for device: /dev/sda:12x.');
    expect(err(['--blkio-weight', '70000']).message).toContain(
      'strconv.ParseUint: parsing "70000": value out of range',
    );
  });
});

describe('health checks', () => {
  it('converts durations to nanoseconds and omits zero fields', () => {
    expect(
      run([
        '--health-cmd',
        'curl -f http://localhost/',
        '--health-interval',
        '30s',
        '--health-timeout',
        '5s',
        '--health-retries',
        '3',
        '--health-start-period',
        '1m',
      ]).body.Healthcheck,
    ).toEqual({
      Test: ['CMD-SHELL', 'curl -f http://localhost/'],
      Interval: 30e9,
      Timeout: 5e9,
      StartPeriod: 60e9,
      Retries: 3,
    });
    expect(run(['--health-interval', '1h2m3.5s']).body.Healthcheck).toEqual({ Interval: 3723.5e9 });
    expect(run(['--no-healthcheck']).body.Healthcheck).toEqual({ Test: ['NONE'] });
    expect(run(['--health-cmd', '']).body.Healthcheck).toBeUndefined();
    expect(run(['--health-start-interval', '5s'], ctx('1.44')).body.Healthcheck).toEqual({ StartInterval: 5e9 });
  });
  it('refuses conflicts, negatives and unitless durations as docker does', () => {
    expect(err(['--no-healthcheck', '--health-cmd', 'x']).message).toBe(
      '--no-healthcheck conflicts with --health-* options',
    );
    expect(err(['--health-retries', '-1']).message).toBe('--health-retries cannot be negative');
    expect(err(['--health-interval', '-1s']).message).toBe('--health-interval cannot be negative');
    expect(err(['--health-interval', '10']).message).toBe(
      'invalid argument "10" for "--health-interval" flag: time: missing unit in duration "10"',
    );
    expect(() => goParseDuration('1x')).toThrow('time: unknown unit "x" in duration "1x"');
    expect(goParseDuration('1µs')).toBe(1000);
    expect(goParseDuration('.5s')).toBe(5e8);
    expect(goParseDuration('-0')).toBe(0);
  });
});

describe('API and OS gates', () => {
  it('refuse with docker text and exit 1, in flag-name order', () => {
    const e = err(['--cpu-count', '2', '--annotation', 'a=b']);
    expect(e.exitCode).toBe(1);
    expect(e.message).toBe(
      '"--annotation" requires API version 1.43, but the Docker daemon API version is 1.41\n' +
        '"--cpu-count" is only supported on a Docker daemon running on windows, but the Docker daemon is running on linux',
    );
    expect(err(['--health-start-interval', '0s']).message).toContain(
      '"--health-start-interval" requires API version 1.44',
    );
  });
  it('--annotation is sent from API 1.43', () => {
    expect(hc(['--annotation', 'b=2', '--annotation', 'a'], ctx('1.43')).Annotations).toEqual({ a: '', b: '2' });
  });
  it('--kernel-memory is sent on API 1.41 only, zeroed from 1.42', () => {
    expect(hc(['--kernel-memory', '50M']).KernelMemory).toBe(52428800);
    expect(hc(['--kernel-memory', '50M'], ctx('1.42')).KernelMemory).toBeUndefined();
  });
});

describe('resources and the rest', () => {
  it('cpu, oom, swappiness, cgroup fields', () => {
    const h = hc([
      '-c',
      '512',
      '--cpu-period',
      '100000',
      '--cpu-quota',
      '50000',
      '--cpuset-cpus',
      '0-3',
      '--cpuset-mems',
      '0',
      '--cpu-rt-period',
      '1000',
      '--cpu-rt-runtime',
      '500',
      '--oom-kill-disable',
      '--oom-score-adj',
      '-500',
      '--memory-swappiness',
      '10',
      '--cgroup-parent',
      '/g',
    ]);
    expect(h).toMatchObject({
      CpuShares: 512,
      CpuPeriod: 100000,
      CpuQuota: 50000,
      CpusetCpus: '0-3',
      CpusetMems: '0',
      CpuRealtimePeriod: 1000,
      CpuRealtimeRuntime: 500,
      OomKillDisable: true,
      OomScoreAdj: -500,
      MemorySwappiness: 10,
      CgroupParent: '/g',
    });
    expect(hc(['--cpu-shares=0x10']).CpuShares).toBe(16);
    expect(err(['--memory-swappiness', '200']).message).toBe(
      'invalid value: 200. Valid memory swappiness range is 0-100',
    );
    expect(err(['-c', 'abc']).message).toBe(
      'invalid argument "abc" for "-c, --cpu-shares" flag: strconv.ParseInt: parsing "abc": invalid syntax',
    );
  });
  it('sysctl allow-list, storage options, runtime, isolation, volumes-from, volume-driver', () => {
    const h = hc([
      '--sysctl',
      'net.ipv4.ip_forward=1',
      '--sysctl',
      'kernel.shmmax=65536',
      '--storage-opt',
      'size=10G',
      '--runtime',
      'runc',
      '--isolation',
      'default',
      '--volumes-from',
      'a:ro',
      '--volume-driver',
      'local',
    ]);
    expect(h).toMatchObject({
      Sysctls: { 'kernel.shmmax': '65536', 'net.ipv4.ip_forward': '1' },
      StorageOpt: { size: '10G' },
      Runtime: 'runc',
      Isolation: 'default',
      VolumesFrom: ['a:ro'],
      VolumeDriver: 'local',
    });
    expect(hc([]).Runtime).toBeUndefined();
    expect(hc([]).Sysctls).toBeUndefined();
    expect(err(['--sysctl', 'kernel.foo=1']).message).toContain("sysctl 'kernel.foo=1' is not allowed");
    expect(err(['--storage-opt', 'size']).message).toBe('invalid storage option');
  });
  it('--use-api-socket binds the client socket; tcp endpoints are refused', () => {
    expect(hc(['--use-api-socket']).Mounts).toEqual([
      { Type: 'bind', Source: '/var/run/docker.sock', Target: '/var/run/docker.sock', BindOptions: {} },
    ]);
    expect(hc(['--use-api-socket'], ctx('1.41', { DOCKER_HOST: 'unix:///tmp/x.sock' })).Mounts).toEqual([
      { Type: 'bind', Source: '/tmp/x.sock', Target: '/var/run/docker.sock', BindOptions: {} },
    ]);
    expect(err(['--use-api-socket'], ctx('1.41', { DOCKER_HOST: 'tcp://h:2375' })).message).toContain(
      'can only be used with unix sockets',
    );
  });
  it('--disable-content-trust is client-only; asking for verification is refused', () => {
    expect(run(['--disable-content-trust']).body).toEqual(run([]).body);
    expect(err(['--disable-content-trust=false']).code).toBe('unsupported');
    expect(err([], ctx('1.41', { DOCKER_CONTENT_TRUST: '1' })).exitCode).toBe(125);
  });
});
