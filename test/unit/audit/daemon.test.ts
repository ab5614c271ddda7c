import { describe, expect, it } from 'vitest';
import type { DaemonFacts, DaemonFile, DaemonHost } from '../../../src/audit/daemon/daemon-facts.js';
import { checkFile } from '../../../src/audit/daemon/file-checks.js';
import { judgeDaemon } from '../../../src/audit/daemon/judge-daemon.js';
import { ruleById } from '../../../src/policy/catalog.js';

/** A hardened engine: every daemon rule passes. Tests loosen one thing at a time. */
function hardened(): DaemonFacts {
  return {
    connection: { kind: 'unix', display: 'unix:///var/run/docker.sock', tls: false },
    info: {
      Name: 'host',
      Driver: 'overlay2',
      Debug: false,
      LoggingDriver: 'syslog',
      ExperimentalBuild: false,
      LiveRestoreEnabled: true,
      SecurityOptions: ['name=seccomp,profile=default', 'name=userns', 'name=rootless'],
      Plugins: { Authorization: ['authz-broker'] },
      RegistryConfig: {
        InsecureRegistryCIDRs: ['127.0.0.0/8'],
        IndexConfigs: { 'docker.io': { Name: 'docker.io', Secure: true } },
      },
      Swarm: { LocalNodeState: 'inactive', ControlAvailable: false },
    },
    bridge: { Name: 'bridge', Options: { 'com.docker.network.bridge.enable_icc': 'false' } },
    swarm: undefined,
    host: {
      pid: 100,
      uid: 0,
      argv: ['dockerd'],
      flags: {},
      flagProblems: [],
      daemonJson: {
        file: '/etc/docker/daemon.json',
        state: 'read',
        settings: {
          'no-new-privileges': true,
          'userland-proxy': false,
          'default-ulimits': { nofile: { Name: 'nofile', Soft: 1024, Hard: 4096 } },
        },
      },
      listeners: [],
      files: [
        {
          role: 'engine-socket',
          facts: { path: '/run/docker.sock', state: 'present', kind: 'socket', uid: 0, gid: 998, mode: 0o660 },
        },
        {
          role: 'daemon-json',
          facts: { path: '/etc/docker/daemon.json', state: 'present', kind: 'file', uid: 0, gid: 0, mode: 0o644 },
        },
        {
          role: 'etc-docker',
          facts: { path: '/etc/docker', state: 'present', kind: 'dir', uid: 0, gid: 0, mode: 0o755 },
        },
      ],
      socketGid: 998,
    },
  };
}

const hostOf = (f: DaemonFacts): DaemonHost => {
  if ('unavailable' in f.host) throw new Error('no host');
  return f.host;
};
const ids = (f: DaemonFacts) => judgeDaemon(f).hits.map((h) => h.rule);

describe('judgeDaemon', () => {
  it('a hardened engine has no finding and nothing unchecked', () => {
    const v = judgeDaemon(hardened());
    expect(v.hits).toEqual([]);
    expect(v.unchecked).toEqual([]);
    expect(v.notes).toEqual([]);
  });

  const loosen: [string, (f: DaemonFacts) => void][] = [
    [
      'SD210',
      (f) => {
        f.info.SecurityOptions = ['name=seccomp,profile=unconfined', 'name=userns'];
      },
    ],
    [
      'SD210',
      (f) => {
        f.info.SecurityOptions = ['name=userns', 'name=rootless'];
      },
    ],
    [
      'SD211',
      (f) => {
        f.bridge = { Options: { 'com.docker.network.bridge.enable_icc': 'true' } };
      },
    ],
    [
      'SD211',
      (f) => {
        f.bridge = { Options: {} };
      },
    ],
    [
      'SD212',
      (f) => {
        f.info.SecurityOptions = ['name=seccomp,profile=default'];
      },
    ],
    [
      'SD213',
      (f) => {
        hostOf(f).daemonJson = { file: '/etc/docker/daemon.json', state: 'absent' };
      },
    ],
    [
      'SD214',
      (f) => {
        f.info.RegistryConfig = { InsecureRegistryCIDRs: ['127.0.0.0/8', '10.0.0.0/8'] };
      },
    ],
    [
      'SD214',
      (f) => {
        f.info.RegistryConfig = { IndexConfigs: { 'reg:5000': { Secure: false } } };
      },
    ],
    [
      'SD216',
      (f) => {
        f.info.LiveRestoreEnabled = false;
      },
    ],
    [
      'SD217',
      (f) => {
        hostOf(f).flags = { 'userland-proxy': true };
      },
    ],
    [
      'SD219',
      (f) => {
        f.info.LoggingDriver = 'json-file';
      },
    ],
    [
      'SD219',
      (f) => {
        f.info.LoggingDriver = 'none';
      },
    ],
    [
      'SD219',
      (f) => {
        f.info.LoggingDriver = 'local';
      },
    ],
    [
      'SD220',
      (f) => {
        f.info.Debug = true;
      },
    ],
    [
      'SD220',
      (f) => {
        hostOf(f).flags = { 'log-level': 'warn' };
      },
    ],
    [
      'SD221',
      (f) => {
        f.info.Plugins = { Authorization: null };
      },
    ],
    [
      'SD222',
      (f) => {
        f.info.ExperimentalBuild = true;
      },
    ],
    [
      'SD224',
      (f) => {
        hostOf(f).flags = { iptables: false };
      },
    ],
    [
      'SD225',
      (f) => {
        f.info.Driver = 'aufs';
      },
    ],
  ];
  it.each(loosen)('%s fires when the engine says so', (rule, change) => {
    const f = hardened();
    change(f);
    expect(ids(f)).toContain(rule);
  });

  it('SD212 and SD223: a userns-remapped rootful engine passes SD212 only; a rootless one passes both', () => {
    const f = hardened();
    f.info.SecurityOptions = ['name=seccomp,profile=default', 'name=userns'];
    expect(ids(f)).toEqual(['SD223']);
    f.info.SecurityOptions = ['name=seccomp,profile=default', 'name=rootless'];
    expect(ids(f)).toEqual([]);
  });

  it('SD215: a swarm manager without autolock; live restore is not asked of a swarm node', () => {
    const f = hardened();
    f.info.Swarm = { LocalNodeState: 'active', ControlAvailable: true };
    f.info.LiveRestoreEnabled = false;
    f.swarm = { Spec: { EncryptionConfig: { AutoLockManagers: false } } };
    expect(ids(f)).toEqual(['SD215']);
    f.swarm = { Spec: { EncryptionConfig: { AutoLockManagers: true } } };
    expect(ids(f)).toEqual([]);
    f.info.Swarm = { LocalNodeState: 'active', ControlAvailable: false };
    f.swarm = undefined;
    expect(ids(f)).toEqual([]);
  });

  it('the command line wins over daemon.json', () => {
    const f = hardened();
    hostOf(f).flags = { 'no-new-privileges': false };
    expect(judgeDaemon(f).hits).toEqual([{ rule: 'SD213', detail: 'no-new-privileges is false' }]);
  });

  describe('SD201: the API on TCP', () => {
    it('a tcp:// host without tlsverify is critical; on loopback high', () => {
      const f = hardened();
      hostOf(f).flags = { hosts: ['unix:///var/run/docker.sock', 'tcp://0.0.0.0:2375', 'tcp://127.0.0.1:2380'] };
      hostOf(f).listeners = [{ address: '0.0.0.0', port: 2375, inode: 1 }];
      expect(judgeDaemon(f).hits).toEqual([
        { rule: 'SD201', detail: 'hosts has tcp://0.0.0.0:2375: no TLS (listening on 0.0.0.0:2375)' },
        { rule: 'SD201', detail: 'hosts has tcp://127.0.0.1:2380: no TLS', severity: 'high' },
      ]);
    });
    it('tls without tlsverify lets any client in; tlsverify passes', () => {
      const f = hardened();
      hostOf(f).daemonJson = {
        file: '/etc/docker/daemon.json',
        state: 'read',
        settings: { ...settingsOf(f), hosts: ['tcp://:2376'], tls: true },
      };
      expect(judgeDaemon(f).hits).toEqual([
        { rule: 'SD201', detail: 'hosts has tcp://:2376: TLS without tlsverify: any client gets in' },
      ]);
      hostOf(f).flags = { tlsverify: true };
      expect(judgeDaemon(f).hits).toEqual([]);
    });
    it('a listener no setting explains (socket activation) is reported; swarm and metrics ports are not', () => {
      const f = hardened();
      hostOf(f).flags = { hosts: ['fd://'], 'metrics-addr': '127.0.0.1:9323' };
      hostOf(f).listeners = [
        { address: '::', port: 2375, inode: 1 },
        { address: '127.0.0.1', port: 9323, inode: 2 },
      ];
      expect(judgeDaemon(f).hits).toEqual([
        { rule: 'SD201', detail: 'dockerd listens on TCP :::2375 and tlsverify is off' },
      ]);
    });
    it('reaching the engine over tcp without TLS is a finding by itself', () => {
      const f = hardened();
      f.connection = { kind: 'tcp', display: 'tcp://10.1.2.3:2375', tls: false };
      f.host = { unavailable: 'remote' };
      const v = judgeDaemon(f);
      expect(v.hits).toEqual([
        { rule: 'SD201', detail: 'safedock reached the engine at tcp://10.1.2.3:2375 without TLS' },
      ]);
      expect(v.unchecked).toEqual([
        {
          rules: [
            'SD202',
            'SD203',
            'SD204',
            'SD205',
            'SD206',
            'SD207',
            'SD208',
            'SD209',
            'SD213',
            'SD217',
            'SD218',
            'SD224',
          ],
          reason: 'remote',
        },
      ]);
    });
  });

  it('without the host, what only the host shows is reported as not checked, never as passed', () => {
    const f = hardened();
    f.host = { unavailable: 'no dockerd process is visible from here' };
    const v = judgeDaemon(f);
    expect(v.hits).toEqual([]);
    expect(v.unchecked).toEqual([
      {
        rules: [
          'SD201',
          'SD202',
          'SD203',
          'SD204',
          'SD205',
          'SD206',
          'SD207',
          'SD208',
          'SD209',
          'SD213',
          'SD217',
          'SD218',
          'SD224',
        ],
        reason: 'no dockerd process is visible from here',
      },
    ]);
  });

  it('a daemon.json the engine would refuse: its settings are not checked, and a note says why', () => {
    const f = hardened();
    hostOf(f).daemonJson = { file: '/etc/docker/daemon.json', state: 'invalid', error: 'Unexpected token' };
    const v = judgeDaemon(f);
    expect(v.unchecked).toEqual([
      {
        rules: ['SD201', 'SD213', 'SD217', 'SD218', 'SD224'],
        reason: 'the settings in /etc/docker/daemon.json could not be read',
      },
    ]);
    expect(v.notes[0]).toMatch(/is not valid JSON \(Unexpected token\): the engine will refuse to start with it/);
  });
});

function settingsOf(f: DaemonFacts): Record<string, unknown> {
  const dj = hostOf(f).daemonJson;
  return dj.state === 'read' ? dj.settings : {};
}

describe('checkFile: owners and modes (CIS section 3)', () => {
  const host = { uid: 0, socketGid: 998 };
  const file = (role: DaemonFile['role'], path: string, uid: number, gid: number, mode: number): DaemonFile => ({
    role,
    facts: { path, state: 'present', kind: 'file', uid, gid, mode },
  });
  it.each([
    // role, path, uid, gid, mode → rule, severity (undefined: the rule's own), CIS ids in the detail
    ['engine-socket', '/run/docker.sock', 0, 998, 0o660, undefined],
    ['engine-socket', '/run/docker.sock', 0, 0, 0o660, undefined],
    ['engine-socket', '/run/docker.sock', 0, 998, 0o600, undefined],
    ['engine-socket', '/run/docker.sock', 0, 998, 0o666, ['SD202', 'critical', 'CIS 3.16']],
    ['engine-socket', '/run/docker.sock', 0, 998, 0o664, ['SD202', 'critical', 'CIS 3.16']],
    ['engine-socket', '/run/docker.sock', 1000, 998, 0o660, ['SD202', 'critical', 'CIS 3.15']],
    ['engine-socket', '/run/docker.sock', 0, 1000, 0o660, ['SD202', 'critical', 'CIS 3.15']],
    ['engine-socket', '/run/docker.sock', 0, 1000, 0o600, ['SD202', 'low', 'CIS 3.15']],
    ['containerd-socket', '/run/containerd/containerd.sock', 0, 0, 0o660, undefined],
    ['containerd-socket', '/run/containerd/containerd.sock', 0, 998, 0o660, ['SD203', 'critical', 'CIS 3.23']],
    ['containerd-socket', '/run/containerd/containerd.sock', 0, 0, 0o666, ['SD203', 'critical', 'CIS 3.24']],
    ['daemon-json', '/etc/docker/daemon.json', 0, 0, 0o644, undefined],
    ['daemon-json', '/etc/docker/daemon.json', 0, 0, 0o600, undefined],
    ['daemon-json', '/etc/docker/daemon.json', 0, 0, 0o664, ['SD204', 'high', 'CIS 3.18']],
    ['daemon-json', '/etc/docker/daemon.json', 0, 0, 0o646, ['SD204', 'high', 'CIS 3.18']],
    ['daemon-json', '/etc/docker/daemon.json', 0, 0, 0o744, ['SD204', 'low', 'CIS 3.18']],
    ['daemon-json', '/etc/docker/daemon.json', 1000, 0, 0o644, ['SD204', 'high', 'CIS 3.17']],
    ['etc-docker', '/etc/docker', 0, 0, 0o755, undefined],
    ['etc-docker', '/etc/docker', 0, 0, 0o775, ['SD205', 'high', 'CIS 3.6']],
    ['tls-ca', '/etc/docker/ca.pem', 0, 0, 0o444, undefined],
    ['tls-ca', '/etc/docker/ca.pem', 0, 0, 0o644, ['SD206', 'low', 'CIS 3.10']],
    ['tls-ca', '/etc/docker/ca.pem', 0, 0, 0o664, ['SD206', 'high', 'CIS 3.10']],
    ['tls-cert', '/etc/docker/cert.pem', 1000, 0, 0o444, ['SD206', 'high', 'CIS 3.11']],
    ['tls-key', '/etc/docker/key.pem', 0, 0, 0o400, undefined],
    ['tls-key', '/etc/docker/key.pem', 0, 0, 0o440, ['SD206', 'high', 'CIS 3.14']],
    ['tls-key', '/etc/docker/key.pem', 0, 0, 0o600, ['SD206', 'low', 'CIS 3.14']],
    ['registry-cert', '/etc/docker/certs.d/r:5000/ca.crt', 0, 0, 0o644, ['SD207', 'low', 'CIS 3.8']],
    ['registry-cert', '/etc/docker/certs.d/r:5000/ca.crt', 0, 0, 0o666, ['SD207', 'medium', 'CIS 3.8']],
    ['systemd-unit', '/lib/systemd/system/docker.service', 0, 0, 0o644, undefined],
    ['systemd-unit', '/lib/systemd/system/docker.service', 0, 0, 0o664, ['SD208', 'high', 'CIS 3.2']],
    ['systemd-unit', '/lib/systemd/system/docker.socket', 1000, 0, 0o644, ['SD208', 'high', 'CIS 3.3']],
    ['service-defaults', '/etc/default/docker', 0, 0, 0o666, ['SD209', 'high', 'CIS 3.22']],
    ['service-defaults', '/etc/sysconfig/docker', 0, 0, 0o666, ['SD209', 'high', 'CIS 3.20']],
    ['service-defaults', '/etc/sysconfig/docker', 5, 0, 0o644, ['SD209', 'high', 'CIS 3.21']],
  ] as const)('%s %s %i:%i %o', (role, path, uid, gid, mode, expected) => {
    const h = checkFile(file(role, path, uid, gid, mode), host);
    if (expected === undefined) {
      expect(h).toBeUndefined();
      return;
    }
    const [rule, severity, cis] = expected;
    expect(h?.rule).toBe(rule);
    expect(h?.severity ?? ruleById(rule)?.severity).toBe(severity);
    expect(h?.detail).toContain(cis);
    expect(h?.detail).toContain(path);
  });

  it("a rootless engine's files belong to its user, with its user's group", () => {
    const rootless = { uid: 1000, socketGid: undefined };
    expect(checkFile(file('engine-socket', '/run/user/1000/docker.sock', 1000, 1000, 0o660), rootless)).toBeUndefined();
    expect(checkFile(file('engine-socket', '/run/user/1000/docker.sock', 0, 1000, 0o660), rootless)?.detail).toContain(
      "owned by uid 0, not the engine's user (uid 1000)",
    );
  });

  it('missing or unreadable files are not findings', () => {
    expect(checkFile({ role: 'daemon-json', facts: { path: '/x', state: 'missing' } }, host)).toBeUndefined();
    expect(
      checkFile({ role: 'daemon-json', facts: { path: '/x', state: 'unreadable', error: 'EACCES' } }, host),
    ).toBeUndefined();
  });
});
