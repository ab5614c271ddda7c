import { describe, expect, it } from 'vitest';
import { DOCKERD_FLAGS, flagForKey, parseDockerdArgs } from '../../../src/audit/daemon/dockerd-flags.js';

const parse = (...args: string[]) => parseDockerdArgs(['dockerd', ...args]);

describe('parseDockerdArgs: every spelling pflag accepts', () => {
  it.each([
    [['--icc=false'], { icc: false }],
    [['--icc=0'], { icc: false }],
    [['--icc=f'], { icc: false }],
    [['--icc=F'], { icc: false }],
    [['--icc=FALSE'], { icc: false }],
    [['--icc=False'], { icc: false }],
    [['--icc'], { icc: true }],
    [['--icc=1'], { icc: true }],
    [['--icc=t'], { icc: true }],
    [['--icc=T'], { icc: true }],
    [['--icc=TRUE'], { icc: true }],
    [['--icc=True'], { icc: true }],
    [['--icc=true'], { icc: true }],
    [['--no-new-privileges'], { 'no-new-privileges': true }],
    [['--userland-proxy=false'], { 'userland-proxy': false }],
    [['--live-restore'], { 'live-restore': true }],
    [['--iptables=false'], { iptables: false }],
    [['-D'], { debug: true }],
    [['-D=false'], { debug: false }],
    [['--debug'], { debug: true }],
    [['--tlsverify', '--tlscacert', '/c/ca.pem'], { tlsverify: true, tlscacert: '/c/ca.pem' }],
    [['--tlscacert=/c/ca.pem'], { tlscacert: '/c/ca.pem' }],
    [['-H', 'tcp://0.0.0.0:2375'], { hosts: ['tcp://0.0.0.0:2375'] }],
    [['-Htcp://0.0.0.0:2375'], { hosts: ['tcp://0.0.0.0:2375'] }],
    [['-H=tcp://0.0.0.0:2375'], { hosts: ['tcp://0.0.0.0:2375'] }],
    [
      ['--host=unix:///var/run/docker.sock', '--host', 'tcp://127.0.0.1:2375'],
      { hosts: ['unix:///var/run/docker.sock', 'tcp://127.0.0.1:2375'] },
    ],
    [['-H', 'fd://', '-H', 'tcp://:2376'], { hosts: ['fd://', 'tcp://:2376'] }],
    [['-l', 'debug'], { 'log-level': 'debug' }],
    [['-ldebug'], { 'log-level': 'debug' }],
    [['--log-level=warn'], { 'log-level': 'warn' }],
    [['-Dl', 'error'], { debug: true, 'log-level': 'error' }],
    [['-G', 'wheel'], { group: 'wheel' }],
    [['--group=wheel'], { group: 'wheel' }],
    [['--userns-remap', 'default'], { 'userns-remap': 'default' }],
    [['--userns-remap=dockremap:dockremap'], { 'userns-remap': 'dockremap:dockremap' }],
    [
      ['--default-ulimit', 'nofile=1024:4096', '--default-ulimit=nproc=512'],
      { 'default-ulimits': ['nofile=1024:4096', 'nproc=512'] },
    ],
    [['--insecure-registry', '10.0.0.0/8'], { 'insecure-registries': ['10.0.0.0/8'] }],
    [['--authorization-plugin=authz-broker'], { 'authorization-plugins': ['authz-broker'] }],
    [['--seccomp-profile', 'unconfined'], { 'seccomp-profile': 'unconfined' }],
    [['--config-file', '/srv/d.json'], { 'config-file': '/srv/d.json' }],
    [['-s', 'aufs'], { 'storage-driver': 'aufs' }],
    [['--metrics-addr', '127.0.0.1:9323'], { 'metrics-addr': '127.0.0.1:9323' }],
  ] as const)('%j', (args, settings) => {
    const parsed = parse(...args);
    expect(parsed.settings).toEqual(settings);
    expect(parsed.problems).toEqual([]);
  });

  it('the last of a repeated single flag wins', () => {
    expect(parse('--icc=false', '--icc').settings).toEqual({ icc: true });
    expect(parse('-l', 'debug', '--log-level', 'info').settings).toEqual({ 'log-level': 'info' });
  });

  it('skips the values of flags it does not read, so they are never taken for flags', () => {
    expect(parse('--label', '--icc=false', '--dns', '1.1.1.1', '--live-restore').settings).toEqual({
      'live-restore': true,
    });
    expect(parse('-p', '/run/d.pid', '-b', 'none', '--icc=false').settings).toEqual({ icc: false });
    expect(parse('--exec-opt=native.cgroupdriver=systemd', '--containerd=/run/c.sock').settings).toEqual({
      containerd: '/run/c.sock',
    });
  });

  it('a bool never takes the next argument: --icc false leaves icc on', () => {
    expect(parse('--icc', 'false').settings).toEqual({ icc: true });
  });

  it('stops at --', () => {
    expect(parse('--', '--icc=false').settings).toEqual({});
  });

  it('reports a bool it cannot read', () => {
    expect(parse('--icc=maybe').problems).toEqual(['--icc: "maybe" is not a bool']);
  });

  it('every daemon.json key has one flag', () => {
    const keys = DOCKERD_FLAGS.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(flagForKey('icc')).toBe('--icc');
    expect(flagForKey('hosts')).toBe('--host');
    expect(flagForKey('nope')).toBeUndefined();
  });
});
