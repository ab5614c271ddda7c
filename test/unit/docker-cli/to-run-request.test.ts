import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRunArgv } from '../../../src/docker-cli/parse-argv.js';
import {
  dockerRequest as toRunRequest,
  type DockerRequestContext as ConvertContext,
} from '../../../src/run/pipeline.js';
import { baselineBody } from '../../../src/model/baseline-body.js';
import { SafedockError } from '../../../src/errors.js';
import type { RunRequest } from '../../../src/api/create-body.js';

let dir = '';
let ctx: ConvertContext;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'safedock-spec-'));
  writeFileSync(join(dir, 'envfile'), 'FOO=bar\nBAR=with spaces = ok\nHOME\nQUOTED="q"\n');
  writeFileSync(join(dir, 'bomfile'), '\uFEFFA=1\n\uFEFFB=2\n  # comment\n\n\tC=3 \nUNSET_VAR_X\nQ="q"\r\nE=a=b\n');
  writeFileSync(join(dir, 'noname'), '=secret-value\n');
  writeFileSync(join(dir, 'spaced'), 'A B=1\n');
  writeFileSync(join(dir, 'badutf'), Buffer.from([0x41, 0x3d, 0x31, 0x0a, 0xff, 0xfe, 0x3d, 0x32, 0x0a]));
  writeFileSync(join(dir, 'labelfile'), 'com.example.a=1\nnolabel\n');
  writeFileSync(
    join(dir, 'seccomp.json'),
    '{\n  "defaultAction": "SCMP_ACT_ALLOW",\n  "syscalls": [ {"names": ["chmod"], "action": "SCMP_ACT_ERRNO"} ]\n}\n',
  );
  writeFileSync(join(dir, 'bad.json'), '{bad');
  mkdirSync(join(dir, 'adir'));
  ctx = { env: { HOME: '/root', SECRET: 's3cr3t' }, cwd: dir, apiVersion: '1.41' };
});

const run = (argv: string[], image = true): RunRequest =>
  toRunRequest(parseRunArgv(image ? [...argv, 'img'] : argv), ctx);
const at = (obj: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj);
const errorOf = (argv: string[]): SafedockError => {
  try {
    run(argv);
  } catch (e) {
    if (e instanceof SafedockError) return e;
    throw e;
  }
  throw new Error(`no error for ${JSON.stringify(argv)}`);
};

// Captured from docker CLI 28.2.2 → API 1.41 for `docker run img` (scripts/capture-create.mts).
const CAPTURED_BASELINE = JSON.parse(
  '{"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":true,"AttachStderr":true,"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":null,"Cmd":null,"Image":"img","Volumes":{},"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":{},"HostConfig":{"Binds":null,"ContainerIDFile":"","LogConfig":{"Type":"","Config":{}},"NetworkMode":"default","PortBindings":{},"RestartPolicy":{"Name":"no","MaximumRetryCount":0},"AutoRemove":false,"VolumeDriver":"","VolumesFrom":null,"ConsoleSize":[0,0],"CapAdd":null,"CapDrop":null,"CgroupnsMode":"","Dns":[],"DnsOptions":[],"DnsSearch":[],"ExtraHosts":null,"GroupAdd":null,"IpcMode":"","Cgroup":"","Links":null,"OomScoreAdj":0,"PidMode":"","Privileged":false,"PublishAllPorts":false,"ReadonlyRootfs":false,"SecurityOpt":null,"UTSMode":"","UsernsMode":"","ShmSize":0,"Isolation":"","CpuShares":0,"Memory":0,"NanoCpus":0,"CgroupParent":"","BlkioWeight":0,"BlkioWeightDevice":[],"BlkioDeviceReadBps":[],"BlkioDeviceWriteBps":[],"BlkioDeviceReadIOps":[],"BlkioDeviceWriteIOps":[],"CpuPeriod":0,"CpuQuota":0,"CpuRealtimePeriod":0,"CpuRealtimeRuntime":0,"CpusetCpus":"","CpusetMems":"","Devices":[],"DeviceCgroupRules":null,"DeviceRequests":null,"MemoryReservation":0,"MemorySwap":0,"MemorySwappiness":-1,"OomKillDisable":false,"PidsLimit":0,"Ulimits":[],"CpuCount":0,"CpuPercent":0,"IOMaximumIOps":0,"IOMaximumBandwidth":0,"MaskedPaths":null,"ReadonlyPaths":null},"NetworkingConfig":{"EndpointsConfig":{"default":{"IPAMConfig":null,"Links":null,"Aliases":null,"MacAddress":"","DriverOpts":null,"GwPriority":0,"NetworkID":"","EndpointID":"","Gateway":"","IPAddress":"","IPPrefixLen":0,"IPv6Gateway":"","GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,"DNSNames":null}}}}',
) as unknown;

describe('baseline', () => {
  it('no flags: exactly the body docker CLI 28 sends', () => {
    expect(JSON.parse(JSON.stringify(run([]).body))).toStrictEqual(CAPTURED_BASELINE);
  });
  it('baselineBody returns a fresh copy each time', () => {
    const a = baselineBody('x');
    a.HostConfig.Dns = ['1.1.1.1'];
    expect(baselineBody('x').HostConfig.Dns).toEqual([]);
  });
  it('image and command', () => {
    const r = toRunRequest(parseRunArgv(['img', 'sh', '-c', 'ls -l']), ctx);
    expect(r.body.Image).toBe('img');
    expect(r.body.Cmd).toEqual(['sh', '-c', 'ls -l']);
  });
});

// docker's documented conversions plus measured edge cases (all checked against docker CLI 28.2.2).
type Row = [string[], Record<string, unknown>];
const ROWS: Row[] = [
  [['-e', 'A=1', '--env', 'B', '-e', 'HOME', '-e', 'EMPTY='], { Env: ['A=1', 'B', 'HOME=/root', 'EMPTY='] }],
  [['-e', 'A=1', '-e', 'B=2', '-e', 'A=3', '-e', 'C'], { Env: ['A=3', 'B=2', 'C'] }],
  [['-e', 'SECRET'], { Env: ['SECRET=s3cr3t'] }],
  [['-e=X=1'], { Env: ['X=1'] }],
  [
    ['--env-file', 'envfile', '-e', 'FOO=override'],
    { Env: ['FOO=bar', 'BAR=with spaces = ok', 'HOME=/root', 'QUOTED="q"', 'FOO=override'] },
  ],
  [
    ['-e', 'A=1', '--env-file', 'envfile', '-e', 'A=2'],
    { Env: ['FOO=bar', 'BAR=with spaces = ok', 'HOME=/root', 'QUOTED="q"', 'A=2'] },
  ],
  [['--env-file', 'bomfile'], { Env: ['A=1', '\uFEFFB=2', 'C=3 ', 'Q="q"', 'E=a=b'] }],
  [['-l', 'x=1', '--label', 'y'], { Labels: { x: '1', y: '' } }],
  [['-l', ' a=1', '-l', 'b', '-l', 'b=2'], { Labels: { ' a': '1', b: '2' } }],
  [['--label-file', 'labelfile', '-l', 'com.example.a=2'], { Labels: { 'com.example.a': '2' } }],
  [['--label-file', 'labelfile'], { Labels: { 'com.example.a': '1' } }],
  [
    [
      '-p',
      '8080:80',
      '-p',
      '127.0.0.1:8443:443/tcp',
      '-p',
      '53/udp',
      '-p',
      '127.0.0.1::9000',
      '-p',
      '7000-7001:8000-8001',
      '-p',
      '[::1]:6000:6000',
      '-P',
    ],
    {
      ExposedPorts: {
        '443/tcp': {},
        '53/udp': {},
        '6000/tcp': {},
        '80/tcp': {},
        '8000/tcp': {},
        '8001/tcp': {},
        '9000/tcp': {},
      },
      'HostConfig.PortBindings': {
        '443/tcp': [{ HostIp: '127.0.0.1', HostPort: '8443' }],
        '53/udp': [{ HostIp: '', HostPort: '' }],
        '6000/tcp': [{ HostIp: '::1', HostPort: '6000' }],
        '80/tcp': [{ HostIp: '', HostPort: '8080' }],
        '8000/tcp': [{ HostIp: '', HostPort: '7000' }],
        '8001/tcp': [{ HostIp: '', HostPort: '7001' }],
        '9000/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }],
      },
      'HostConfig.PublishAllPorts': true,
    },
  ],
  [
    ['--publish', 'published=8081,target=81,protocol=udp'],
    { ExposedPorts: { '81/udp': {} }, 'HostConfig.PortBindings': { '81/udp': [{ HostIp: '', HostPort: '8081' }] } },
  ],
  [['-p', '8000-8001:9000'], { 'HostConfig.PortBindings': { '9000/tcp': [{ HostIp: '', HostPort: '8000-8001' }] } }],
  [
    ['-p', '80:80', '-p', '8080:80'],
    {
      'HostConfig.PortBindings': {
        '80/tcp': [
          { HostIp: '', HostPort: '80' },
          { HostIp: '', HostPort: '8080' },
        ],
      },
    },
  ],
  [['-p', '80/UDP'], { ExposedPorts: { '80/udp': {} } }],
  [['-dp80:80'], { 'HostConfig.PortBindings': { '80/tcp': [{ HostIp: '', HostPort: '80' }] }, AttachStdout: false }],
  [
    ['--expose', '3000', '--expose', '4000-4001/udp'],
    { ExposedPorts: { '3000/tcp': {}, '4000/udp': {}, '4001/udp': {} }, 'HostConfig.PortBindings': {} },
  ],
  [
    ['-v', '/tmp:/host-tmp:ro', '-v', 'named-vol:/data:rw,nocopy', '-v', '/anon', '-v', './rel:/rel'],
    {
      Volumes: { '/anon': {} },
      'HostConfig.Binds': ['/tmp:/host-tmp:ro', 'named-vol:/data:rw,nocopy', '<cwd>/rel:/rel'],
    },
  ],
  [
    ['-v', '.:/v', '-v', '../q:/w', '-v', '/t:/u', '-v', '/t:/u'],
    { 'HostConfig.Binds': ['<cwd>:/v', '<parent>/q:/w', '/t:/u'] },
  ],
  [['-v', 'a:b:c:d'], { 'HostConfig.Binds': ['a:b:c:d'] }],
  [['-v', 'a::b'], { 'HostConfig.Binds': ['a::b'] }],
  [['-v', '/x:ro'], { 'HostConfig.Binds': ['/x:ro'] }],
  [['-v', 'ab'], { Volumes: { ab: {} }, 'HostConfig.Binds': null }],
  [['-v', '::'], { Volumes: { '::': {} } }],
  [['-v', '~/x:/y'], { 'HostConfig.Binds': ['~/x:/y'] }],
  [
    ['--mount', 'type=bind,source=/tmp,target=/m,readonly,bind-propagation=rslave'],
    {
      'HostConfig.Mounts': [
        { Type: 'bind', Source: '/tmp', Target: '/m', ReadOnly: true, BindOptions: { Propagation: 'rslave' } },
      ],
    },
  ],
  [
    ['--mount', 'type=volume,source=v1,target=/v,volume-opt=type=none,volume-nocopy'],
    {
      'HostConfig.Mounts': [
        {
          Type: 'volume',
          Source: 'v1',
          Target: '/v',
          VolumeOptions: { NoCopy: true, DriverConfig: { Options: { type: 'none' } } },
        },
      ],
    },
  ],
  [
    ['--mount', 'type=tmpfs,target=/t,tmpfs-size=64m,tmpfs-mode=1770'],
    {
      'HostConfig.Mounts': [{ Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 67108864, Mode: 1016 } }],
    },
  ],
  [
    ['--mount', 'type=volume,target=/v,volume-nocopy'],
    { 'HostConfig.Mounts': [{ Type: 'volume', Target: '/v', VolumeOptions: { NoCopy: true, DriverConfig: {} } }] },
  ],
  [
    ['--mount', 'target=/v,volume-label=a=b'],
    {
      'HostConfig.Mounts': [{ Type: 'volume', Target: '/v', VolumeOptions: { Labels: { a: 'b' }, DriverConfig: {} } }],
    },
  ],
  [
    ['--mount', 'type=bind,src=./x,dst=/x,ro=false,consistency=Cached'],
    { 'HostConfig.Mounts': [{ Type: 'bind', Source: '<cwd>/x', Target: '/x', Consistency: 'cached' }] },
  ],
  [
    ['--tmpfs', '/run', '--tmpfs', '/tmp:rw,noexec,nosuid,size=65536k'],
    { 'HostConfig.Tmpfs': { '/run': '', '/tmp': 'rw,noexec,nosuid,size=65536k' } },
  ],
  [['--tmpfs', '/a:x', '--tmpfs', '/a'], { 'HostConfig.Tmpfs': { '/a': '' } }],
  [
    ['-m', '512m', '--memory-reservation', '1.5g', '--memory-swap', '1g', '--shm-size', '64MiB'],
    {
      'HostConfig.Memory': 536870912,
      'HostConfig.MemoryReservation': 1610612736,
      'HostConfig.MemorySwap': 1073741824,
      'HostConfig.ShmSize': 67108864,
    },
  ],
  [['-m', '100m', '--memory-swap', '-1'], { 'HostConfig.Memory': 104857600, 'HostConfig.MemorySwap': -1 }],
  [['-m', '1g', '-m', '2g'], { 'HostConfig.Memory': 2147483648 }],
  [['--cpus', '1.5'], { 'HostConfig.NanoCpus': 1500000000 }],
  [['--cpus', '3/2'], { 'HostConfig.NanoCpus': 1500000000 }],
  [['--pids-limit', '100'], { 'HostConfig.PidsLimit': 100 }],
  [['--pids-limit', '-1'], { 'HostConfig.PidsLimit': -1 }],
  [['--pids-limit', '0x10'], { 'HostConfig.PidsLimit': 16 }],
  [['--pids-limit', '010'], { 'HostConfig.PidsLimit': 8 }],
  [
    ['--ulimit', 'nofile=1024:2048', '--ulimit', 'nproc=100'],
    {
      'HostConfig.Ulimits': [
        { Name: 'nofile', Hard: 2048, Soft: 1024 },
        { Name: 'nproc', Hard: 100, Soft: 100 },
      ],
    },
  ],
  [
    ['--ulimit', 'nproc=1', '--ulimit', 'nofile=2', '--ulimit', 'core=3:4', '--ulimit', 'nproc=5'],
    {
      'HostConfig.Ulimits': [
        { Name: 'core', Hard: 4, Soft: 3 },
        { Name: 'nofile', Hard: 2, Soft: 2 },
        { Name: 'nproc', Hard: 5, Soft: 5 },
      ],
    },
  ],
  [['--ulimit', 'nofile=-1:-1'], { 'HostConfig.Ulimits': [{ Name: 'nofile', Hard: -1, Soft: -1 }] }],
  [
    ['--cap-add', 'net_admin', '--cap-add', 'CAP_SYS_TIME', '--cap-drop', 'ALL', '--cap-drop', 'chown'],
    {
      'HostConfig.CapAdd': ['CAP_NET_ADMIN', 'CAP_SYS_TIME'],
      'HostConfig.CapDrop': ['ALL', 'CAP_CHOWN'],
    },
  ],
  [
    ['--cap-add', 'sys_time', '--cap-add', 'a', '--cap-add', 'A', '--cap-drop', ' all'],
    { 'HostConfig.CapAdd': ['CAP_A', 'CAP_SYS_TIME'], 'HostConfig.CapDrop': ['CAP_ ALL'] },
  ],
  [['--cap-add', 'all'], { 'HostConfig.CapAdd': ['ALL'], 'HostConfig.CapDrop': null }],
  [['--privileged'], { 'HostConfig.Privileged': true }],
  [
    [
      '--security-opt',
      'no-new-privileges',
      '--security-opt',
      'apparmor=unconfined',
      '--security-opt',
      'label=disable',
      '--security-opt',
      'label:type:svirt_t',
    ],
    {
      'HostConfig.SecurityOpt': ['no-new-privileges', 'apparmor=unconfined', 'label=disable', 'label:type:svirt_t'],
    },
  ],
  [
    ['--security-opt', 'seccomp=seccomp.json'],
    {
      'HostConfig.SecurityOpt': [
        'seccomp={"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["chmod"],"action":"SCMP_ACT_ERRNO"}]}',
      ],
    },
  ],
  [
    ['--security-opt', 'seccomp:seccomp.json'],
    {
      'HostConfig.SecurityOpt': [
        'seccomp={"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["chmod"],"action":"SCMP_ACT_ERRNO"}]}',
      ],
    },
  ],
  [['--security-opt', 'seccomp=unconfined'], { 'HostConfig.SecurityOpt': ['seccomp=unconfined'] }],
  [['--security-opt', 'seccomp=builtin'], { 'HostConfig.SecurityOpt': ['seccomp=builtin'] }],
  [
    ['--security-opt', 'systempaths=unconfined'],
    { 'HostConfig.SecurityOpt': [], 'HostConfig.MaskedPaths': [], 'HostConfig.ReadonlyPaths': [] },
  ],
  [
    ['--security-opt', 'systempaths=unconfined', '--security-opt', 'no-new-privileges=true'],
    {
      'HostConfig.SecurityOpt': ['no-new-privileges=true'],
      'HostConfig.MaskedPaths': [],
    },
  ],
  [['-u', '1000:1000'], { User: '1000:1000' }],
  [
    ['-w', '/app', '-h', 'myhost', '--domainname', 'example.org', '--entrypoint', '/bin/sh'],
    {
      Hostname: 'myhost',
      Domainname: 'example.org',
      WorkingDir: '/app',
      Entrypoint: ['/bin/sh'],
    },
  ],
  [['--entrypoint='], { Entrypoint: [''] }],
  [['--entrypoint', 'a b'], { Entrypoint: ['a b'] }],
  [['-w', 'rel'], { WorkingDir: 'rel' }],
  [['--restart', 'on-failure:3'], { 'HostConfig.RestartPolicy': { Name: 'on-failure', MaximumRetryCount: 3 } }],
  [['--restart', 'unless-stopped'], { 'HostConfig.RestartPolicy': { Name: 'unless-stopped', MaximumRetryCount: 0 } }],
  [['--restart', 'always:'], { 'HostConfig.RestartPolicy': { Name: 'always', MaximumRetryCount: 0 } }],
  [['--restart', ''], { 'HostConfig.RestartPolicy': { Name: '', MaximumRetryCount: 0 } }],
  [['--restart', '', '--rm'], { 'HostConfig.AutoRemove': true }],
  [['--restart', 'no', '--rm'], { 'HostConfig.AutoRemove': true }],
  [
    ['--log-driver', 'json-file', '--log-opt', 'max-size=10m', '--log-opt', 'max-file=3'],
    {
      'HostConfig.LogConfig': { Type: 'json-file', Config: { 'max-file': '3', 'max-size': '10m' } },
    },
  ],
  [['--network', 'none'], { 'HostConfig.NetworkMode': 'none', 'NetworkingConfig.EndpointsConfig': {} }],
  [['--network', 'host'], { 'HostConfig.NetworkMode': 'host', 'NetworkingConfig.EndpointsConfig': {} }],
  [['--net', 'mynet'], { 'HostConfig.NetworkMode': 'mynet', 'NetworkingConfig.EndpointsConfig': {} }],
  [
    ['--network', 'name=lr-net,alias=web,ip=172.30.0.10'],
    {
      'HostConfig.NetworkMode': 'lr-net',
      'NetworkingConfig.EndpointsConfig.lr-net.IPAMConfig': { IPv4Address: '172.30.0.10' },
      'NetworkingConfig.EndpointsConfig.lr-net.Aliases': ['web'],
    },
  ],
  [
    ['--network', 'name=Mynet,ALIAS=Web'],
    { 'HostConfig.NetworkMode': 'mynet', 'NetworkingConfig.EndpointsConfig.mynet.Aliases': ['web'] },
  ],
  [
    ['--network', 'n1', '--network', 'n2', '--network-alias', 'x'],
    {
      'NetworkingConfig.EndpointsConfig.n1.Aliases': ['x'],
      'NetworkingConfig.EndpointsConfig.n2.Aliases': null,
      'HostConfig.NetworkMode': 'n1',
    },
  ],
  [
    ['--net', 'host', '--network', 'none'],
    { 'HostConfig.NetworkMode': 'host', 'NetworkingConfig.EndpointsConfig.none.NetworkID': '' },
  ],
  [
    ['--network', 'name=n1,ip=1.2.3.4,ip6=::1,link-local-ip=169.254.0.5,driver-opt=a=b'],
    {
      'NetworkingConfig.EndpointsConfig.n1.IPAMConfig': {
        IPv4Address: '1.2.3.4',
        IPv6Address: '::1',
        LinkLocalIPs: ['169.254.0.5'],
      },
      'NetworkingConfig.EndpointsConfig.n1.DriverOpts': { a: 'b' },
    },
  ],
  [
    ['--pid', 'host', '--ipc', 'shareable', '--uts', 'host', '--userns', 'host', '--cgroupns', 'private'],
    {
      'HostConfig.PidMode': 'host',
      'HostConfig.IpcMode': 'shareable',
      'HostConfig.UTSMode': 'host',
      'HostConfig.UsernsMode': 'host',
      'HostConfig.CgroupnsMode': 'private',
    },
  ],
  [
    ['--pid', 'container:lr-src', '--ipc', 'container:lr-src'],
    { 'HostConfig.PidMode': 'container:lr-src', 'HostConfig.IpcMode': 'container:lr-src' },
  ],
  [['--ipc', 'foo'], { 'HostConfig.IpcMode': 'foo' }],
  [['--init'], { 'HostConfig.Init': true }],
  [['--init=false'], { 'HostConfig.Init': false }],
  [['--init', '--init=false'], { 'HostConfig.Init': false }],
  [[], { 'HostConfig.Init': undefined }],
  [['-t', '-i'], { AttachStdin: true, Tty: true, OpenStdin: true, StdinOnce: true }],
  [['-i'], { AttachStdin: true, OpenStdin: true, StdinOnce: true, AttachStdout: true }],
  [
    ['-a', 'stdin'],
    { AttachStdin: true, OpenStdin: false, StdinOnce: false, AttachStdout: false, AttachStderr: false },
  ],
  [['-a', 'stdout'], { AttachStdout: true, AttachStderr: false }],
  [['-a', 'STDIN', '-a', 'stderr'], { AttachStdin: true, AttachStdout: false, AttachStderr: true }],
  [
    ['-dit'],
    { AttachStdin: false, AttachStdout: false, AttachStderr: false, Tty: true, OpenStdin: true, StdinOnce: false },
  ],
  [['--tty=false', '-t'], { Tty: true }],
  [['--read-only', '--rm'], { 'HostConfig.AutoRemove': true, 'HostConfig.ReadonlyRootfs': true }],
  [['--rm=false'], { 'HostConfig.AutoRemove': false }],
  [['--stop-signal', 'SIGUSR1', '--stop-timeout', '5'], { StopSignal: 'SIGUSR1', StopTimeout: 5 }],
  [['--stop-timeout', '0x1f'], { StopTimeout: 31 }],
  [
    [],
    {
      StopSignal: undefined,
      StopTimeout: undefined,
      ExposedPorts: undefined,
      'HostConfig.Mounts': undefined,
      'HostConfig.Tmpfs': undefined,
    },
  ],
  [['--group-add', 'audio', '--group-add', '1234'], { 'HostConfig.GroupAdd': ['audio', '1234'] }],
  [['--cidfile', '/x/cid.txt'], { 'HostConfig.ContainerIDFile': '/x/cid.txt' }],
  [['--dns-option', 'ndots:2', '--dns-opt', 'x'], { 'HostConfig.DnsOptions': ['ndots:2', 'x'] }],
];

describe('toRunRequest: body fragments (docker CLI 28.2.2 oracle)', () => {
  it.each(ROWS)('%j', (argv, fragments) => {
    const body = run(argv).body;
    for (const [path, raw] of Object.entries(fragments)) {
      const expected = JSON.parse(
        JSON.stringify(raw ?? null)
          .replaceAll('<cwd>', dir)
          .replaceAll('<parent>', join(dir, '..')),
      ) as unknown;
      expect(at(body, path), path).toStrictEqual(raw === undefined ? undefined : expected);
    }
  });
});

describe('toRunRequest: request fields and client options', () => {
  it('--name and --platform go to the request, not the body', () => {
    const r = run(['--name', 'lr-named', '--platform', 'linux/amd64']);
    expect(r.name).toBe('lr-named');
    expect(r.platform).toBe('linux/amd64');
    expect(JSON.stringify(r.body)).not.toContain('lr-named');
  });
  it('empty --name / --platform are not sent', () => {
    const r = run(['--name', '', '--platform', '']);
    expect('name' in r).toBe(false);
    expect('platform' in r).toBe(false);
  });
  it.each([
    [[], { detach: false, pull: 'missing', sigProxy: true, quiet: false }],
    [['-d'], { detach: true, pull: 'missing', sigProxy: true, quiet: false }],
    [['--pull', 'always', '-q'], { detach: false, pull: 'always', sigProxy: true, quiet: true }],
    [['--pull', 'never'], { detach: false, pull: 'never', sigProxy: true, quiet: false }],
    [['--pull', ''], { detach: false, pull: 'missing', sigProxy: true, quiet: false }],
    [['--sig-proxy=false'], { detach: false, pull: 'missing', sigProxy: false, quiet: false }],
    [['-t'], { detach: false, pull: 'missing', sigProxy: false, quiet: false }],
    [
      ['--detach-keys', 'ctrl-a'],
      { detach: false, pull: 'missing', sigProxy: true, quiet: false, detachKeys: 'ctrl-a' },
    ],
    [['--cidfile', '/x/cid'], { detach: false, pull: 'missing', sigProxy: true, quiet: false, cidfile: '/x/cid' }],
  ])('%j', (argv, client) => {
    expect(run(argv).client).toStrictEqual(client);
  });
});

// Appendix B (client-side rows) plus measured edge cases.
const ERRORS: [string[], string][] = [
  [['-m', '12x'], `invalid argument "12x" for "-m, --memory" flag: invalid suffix: 'x'`],
  [['-m', '-1'], `invalid argument "-1" for "-m, --memory" flag: invalid size: '-1'`],
  [['-m', ''], `invalid argument "" for "-m, --memory" flag: invalid size: ''`],
  [['--memory-swap', 'x'], `invalid argument "x" for "--memory-swap" flag: invalid size: 'x'`],
  [['--cpus', 'abc'], 'invalid argument "abc" for "--cpus" flag: failed to parse abc as a rational number'],
  [['--cpus', '0.0000000001'], 'invalid argument "0.0000000001" for "--cpus" flag: value is too precise'],
  [['-p', '80:80:80:80'], 'invalid IP address: 80:80'],
  [['-p', '80/foo'], 'invalid proto: foo'],
  [['-p', '1.2.3:80:80'], 'invalid IP address: 1.2.3'],
  [['-p', '[::1:80:80'], "invalid IP address [::1: address [::1:: missing ']' in address"],
  [['-p', '70000:80'], 'invalid hostPort: 70000'],
  [['-p', '80-79:80'], 'invalid hostPort: 80-79'],
  [['-p', '80:'], 'no port specified: 80:<empty>'],
  [['-p', '3-5:1-2'], 'invalid ranges specified for container and host Ports: 1-2 and 3-5'],
  [['-p', '1-2:3-5'], 'invalid ranges specified for container and host Ports: 3-5 and 1-2'],
  [['-p', 'published=1,target'], "invalid publish opts format (should be name=value but got 'target')"],
  [['--expose', '1:2'], 'invalid port format for --expose: 1:2'],
  [['--restart', 'on-failure:x'], 'invalid restart policy format: maximum retry count must be an integer'],
  [['--restart', ':3'], 'invalid restart policy format: no policy provided before colon'],
  [['--restart', 'always', '--rm'], 'conflicting options: cannot specify both --restart and --rm'],
  [['--ulimit', 'nofile'], 'invalid argument "nofile" for "--ulimit" flag: invalid ulimit argument: nofile'],
  [
    ['--ulimit', 'nofile=2048:1024'],
    'invalid argument "nofile=2048:1024" for "--ulimit" flag: ulimit soft limit must be less than or equal to hard limit: 2048 > 1024',
  ],
  [['--ulimit', 'foo=1'], 'invalid argument "foo=1" for "--ulimit" flag: invalid ulimit type: foo'],
  [['--security-opt', 'apparmor'], 'Invalid --security-opt: "apparmor"'],
  [['--security-opt', 'label='], 'Invalid --security-opt: "label="'],
  [
    ['--security-opt', 'seccomp=/nonexistent.json'],
    'opening seccomp profile (/nonexistent.json) failed: open /nonexistent.json: no such file or directory',
  ],
  [['-l', '=x'], `invalid argument "=x" for "-l, --label" flag: invalid label '=x': empty name`],
  [['-l', 'a b=1'], `invalid argument "a b=1" for "-l, --label" flag: label 'a b' contains whitespaces`],
  [['-l', 'a\tb=1'], `invalid argument "a\\tb=1" for "-l, --label" flag: label 'a\tb' contains whitespaces`],
  [['--env-file', '/nonexistent'], 'open /nonexistent: no such file or directory'],
  [['--label-file', '/nonexistent'], 'open /nonexistent: no such file or directory'],
  [['--env-file', 'spaced'], "invalid env file (spaced): variable 'A B' contains whitespaces"],
  [['--label-file', 'spaced'], "invalid env file (spaced): variable 'A B' contains whitespaces"],
  [['--env-file', 'badutf'], 'invalid env file (badutf): invalid utf8 bytes at line 2'],
  [['--env-file', 'adir'], 'invalid env file (adir): read adir: is a directory'],
  [['--pid', 'foo'], '--pid: invalid PID mode'],
  [['--pid', 'container:'], '--pid: invalid PID mode'],
  [['--uts', 'foo'], '--uts: invalid UTS mode'],
  [['--userns', 'foo'], '--userns: invalid USER mode'],
  [['--cgroupns', 'foo'], '--cgroupns: invalid CGROUP mode'],
  [['--network', 'alias=x'], 'invalid argument "alias=x" for "--network" flag: network name/id is not specified'],
  [['--network', 'n1,a=b'], 'invalid argument "n1,a=b" for "--network" flag: invalid field n1'],
  [['--network', 'name=n1,foo=x'], 'invalid argument "name=n1,foo=x" for "--network" flag: invalid field key foo'],
  [
    ['--network', 'name=n1,driver-opt=x'],
    'invalid argument "name=n1,driver-opt=x" for "--network" flag: invalid key value pair format in driver options',
  ],
  [
    ['--network', 'name=n1,gw-priority=x'],
    'invalid argument "name=n1,gw-priority=x" for "--network" flag: invalid gw-priority (x): invalid syntax',
  ],
  [
    ['--network', 'n1', '--network', 'host'],
    'conflicting options: cannot attach both user-defined and non-user-defined network-modes',
  ],
  [['--network', 'n1', '--network', 'n1'], 'network "n1" is specified multiple times'],
  [['--network', ''], 'no name set for network'],
  [['--network-alias', 'x'], 'network-scoped aliases are only supported for user-defined networks'],
  [
    ['--network', 'bridge', '--network-alias', 'x'],
    'network-scoped aliases are only supported for user-defined networks',
  ],
  [
    ['--network', 'name=n1,mac-address=92:d0:c6:0a:29:33'],
    '"specify mac-address per network" requires API version 1.44, but the Docker daemon API version is 1.41',
  ],
  [['--log-driver', 'none', '--log-opt', 'max-size=1m'], 'invalid logging opts for driver none'],
  [['-a', 'foo'], 'invalid argument "foo" for "-a, --attach" flag: valid streams are STDIN, STDOUT and STDERR'],
  [
    ['--stop-timeout', 'x'],
    'invalid argument "x" for "--stop-timeout" flag: strconv.ParseInt: parsing "x": invalid syntax',
  ],
  [
    ['--pids-limit', '9223372036854775808'],
    'invalid argument "9223372036854775808" for "--pids-limit" flag: strconv.ParseInt: parsing "9223372036854775808": value out of range',
  ],
  [['--pull', 'sometimes'], `invalid pull option: 'sometimes': must be one of "always", "missing" or "never"`],
  [['-v', ''], 'invalid empty volume spec'],
  [['-v', ':/volume'], 'invalid spec: :/volume: empty section between colons'],
  [['-v', '/foo::ro'], 'invalid spec: /foo::ro: empty section between colons'],
  [['-v', '/a:/b:ro:x'], 'invalid spec: /a:/b:ro:x: too many colons'],
  [
    ['--mount', 'type=bind,target=/x,foo=bar'],
    `invalid argument "type=bind,target=/x,foo=bar" for "--mount" flag: unexpected key 'foo' in 'foo=bar'`,
  ],
  [
    ['--mount', 'type=tmpfs,target=/x,tmpfs-mode=9'],
    'invalid argument "type=tmpfs,target=/x,tmpfs-mode=9" for "--mount" flag: invalid value for tmpfs-mode: 9',
  ],
  [
    ['--mount', 'type=tmpfs,target=/x,tmpfs-size=x'],
    'invalid argument "type=tmpfs,target=/x,tmpfs-size=x" for "--mount" flag: invalid value for tmpfs-size: x',
  ],
  [
    ['--mount', 'type=bind,volume-nocopy,target=/x'],
    `invalid argument "type=bind,volume-nocopy,target=/x" for "--mount" flag: cannot mix 'volume-*' options with mount type 'bind'`,
  ],
  [['--mount', 'bogus'], `invalid argument "bogus" for "--mount" flag: invalid field 'bogus' must be a key=value pair`],
  [
    ['--mount', 'type=bind,source=a"b,target=/x'],
    'invalid argument "type=bind,source=a\\"b,target=/x" for "--mount" flag: parse error on line 1, column 19: bare " in non-quoted-field',
  ],
  [['--mount', ''], 'invalid argument "" for "--mount" flag: EOF'],
  [['--mount', 'type=,target=/x'], 'invalid argument "type=,target=/x" for "--mount" flag: type is required'],
  [
    ['--mount', 'type=bind,target=/x,bind-recursive=writable'],
    `invalid argument "type=bind,target=/x,bind-recursive=writable" for "--mount" flag: option 'bind-recursive=writable' requires 'readonly' to be specified in conjunction`,
  ],
  [
    ['--mount', 'type=bind,target=/x,readonly=maybe'],
    'invalid argument "type=bind,target=/x,readonly=maybe" for "--mount" flag: invalid value for readonly: maybe',
  ],
];

describe('toRunRequest: docker error texts (exit 125)', () => {
  it.each(ERRORS)('%j → %s', (argv, message) => {
    const e = errorOf(argv);
    expect(e.message).toBe(message);
    expect(e.exitCode).toBe(125);
    expect(e.code).toBe('usage');
  });
  it('-d with -a: exit 1 like docker', () => {
    const e = errorOf(['-d', '-a', 'stdout']);
    expect(e.message).toBe('conflicting options: cannot specify both --attach and --detach');
    expect(e.exitCode).toBe(1);
  });
});

describe('toRunRequest: secrets never reach an error message', () => {
  it('-e =value', () => {
    const e = errorOf(['-e', '=s3cr3t']);
    expect(e.message).toBe('invalid argument "=***" for "-e, --env" flag: invalid environment variable: =***');
    expect(e.message).not.toContain('s3cr3t');
  });
  it('env-file line without a name', () => {
    const e = errorOf(['--env-file', 'noname']);
    expect(e.message).toBe("invalid env file (noname): no variable name on line '=***'");
    expect(e.message).not.toContain('secret-value');
  });
});
