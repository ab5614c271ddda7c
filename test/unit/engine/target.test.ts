import { describe, expect, it } from 'vitest';
import { SafedockError } from '../../../src/errors.js';
import {
  compareApiVersions,
  connectionError,
  engineKind,
  isRootless,
  negotiateApiVersion,
} from '../../../src/engine/negotiate.js';
import { hideSecret, parseHost, targetOf } from '../../../src/engine/target.js';

// docker CLI 28.2's opts.ParseHost, checked against `docker -H VALUE ps` on this machine (the
// address in its "Cannot connect to the Docker daemon at …" message).
describe('parseHost (docker -H / DOCKER_HOST)', () => {
  it.each([
    ['', false, 'unix:///var/run/docker.sock'],
    ['  ', false, 'unix:///var/run/docker.sock'],
    ['', true, 'tcp://localhost:2376'],
    ['unix://', false, 'unix:///var/run/docker.sock'],
    ['unix:///tmp/x.sock', false, 'unix:///tmp/x.sock'],
    ['unix://relative.sock', false, 'unix://relative.sock'],
    ['tcp://127.0.0.1', false, 'tcp://127.0.0.1:2375'],
    // docker keeps 2375 for tcp without a port even with TLS; only an empty host defaults to 2376.
    ['tcp://127.0.0.1', true, 'tcp://127.0.0.1:2375'],
    ['tcp://', false, 'tcp://localhost:2375'],
    ['tcp://:2376', false, 'tcp://localhost:2376'],
    ['127.0.0.1:1', false, 'tcp://127.0.0.1:1'],
    ['engine.example', false, 'tcp://engine.example:2375'],
    ['tcp://[::1]:2376', false, 'tcp://[::1]:2376'],
    ['tcp://::1', false, 'tcp://[::1]:2375'],
    ['unix://unix:///x.sock', false, 'unix:///x.sock'],
    ['tcp://[::1]:', false, 'tcp://[::1]:2375'],
    ['tcp://host:2376/prefix', false, 'tcp://host:2376/prefix'],
    ['tcp://1.2.3.4:99999', false, 'tcp://1.2.3.4:99999'],
    ['tcp://tcp://h', false, 'tcp://h:2375'],
    ['ssh://me@host', false, 'ssh://me@host'],
    ['fd://', false, 'fd://'],
  ])('%j (TLS %s) -> %s', (value, tls, expected) => {
    expect(parseHost(value, tls)).toBe(expected);
  });

  it.each([
    ['foo://x', 'Failed to initialize: unable to resolve docker endpoint: invalid bind address format: foo://x'],
    ['http://h:1', 'Failed to initialize: unable to resolve docker endpoint: invalid bind address format: http://h:1'],
    [
      'tcp://h:port',
      'Failed to initialize: unable to resolve docker endpoint: parse "tcp://h:port": invalid port ":port" after host',
    ],
    [
      'h:port',
      'Failed to initialize: unable to resolve docker endpoint: parse "tcp://h:port": invalid port ":port" after host',
    ],
    ['tcp://[::1]', 'Failed to initialize: unable to resolve docker endpoint: invalid bind address format: [::1]'],
    [
      'tcp://http://h',
      'Failed to initialize: unable to resolve docker endpoint: invalid proto, expected tcp: http://h',
    ],
    [
      'unix://tcp://x',
      'Failed to initialize: unable to resolve docker endpoint: invalid proto, expected unix: tcp://x',
    ],
  ])('refuses %s with docker’s words and exit 1', (value, message) => {
    const run = (): string => parseHost(value, false);
    expect(run).toThrow(SafedockError);
    expect(run).toThrow(message);
    try {
      run();
    } catch (err) {
      expect((err as SafedockError).exitCode).toBe(1);
    }
  });
});

describe('targetOf', () => {
  it('unix, tcp and ssh addresses', () => {
    expect(targetOf('unix:///tmp/x.sock', undefined)).toEqual({
      kind: 'unix',
      socketPath: '/tmp/x.sock',
      display: 'unix:///tmp/x.sock',
    });
    expect(targetOf('tcp://[::1]:2376', undefined)).toMatchObject({ kind: 'tcp', host: '::1', port: 2376 });
    expect(targetOf('ssh://me@host:2222', undefined)).toMatchObject({
      kind: 'ssh',
      host: 'host',
      port: 2222,
      user: 'me',
    });
    expect(targetOf('ssh://host', undefined)).toMatchObject({
      kind: 'ssh',
      host: 'host',
      port: undefined,
      user: undefined,
    });
  });
  it('a port that cannot be dialled is refused before any connection', () => {
    expect(() => targetOf('tcp://1.2.3.4:99999', undefined)).toThrow(
      /invalid bind address format: tcp:\/\/1\.2\.3\.4:99999/,
    );
  });
  it('refuses an ssh password without printing it, as docker does', () => {
    expect(() => targetOf('ssh://admin:hunter2@host', undefined)).toThrow('plain-text password is not supported');
    expect(() => targetOf('ssh://admin:hunter2@host', undefined)).not.toThrow(/hunter2/);
  });
  it.each([['npipe:////./pipe/docker_engine'], ['fd://']])('%s: a clear error naming the address', (host) => {
    expect(() => targetOf(host, undefined)).toThrow(/safedock reaches engines over unix:\/\/, tcp:\/\/ and ssh:\/\//);
  });
  it('never shows a password of an address', () => {
    expect(hideSecret('tcp://u:secret@h:1')).toBe('tcp://u:***@h:1');
    expect(hideSecret('ssh://u@h')).toBe('ssh://u@h');
  });
});

describe('what the engine says of itself', () => {
  it('Podman names itself in /version Components', () => {
    expect(engineKind({ Components: [{ Name: 'Podman Engine', Version: '4.3.1' }] })).toBe('podman');
    expect(engineKind({ Components: [{ Name: 'Engine', Version: '20.10.24' }] })).toBe('docker');
    expect(engineKind({})).toBe('docker');
  });
  it('rootless from SecurityOptions', () => {
    expect(isRootless({ SecurityOptions: ['name=seccomp,profile=default', 'name=rootless'] })).toBe(true);
    expect(isRootless({ SecurityOptions: ['name=seccomp,profile=default'] })).toBe(false);
    expect(isRootless({ SecurityOptions: null })).toBe(false);
  });
});

describe('API version negotiation', () => {
  const target = targetOf('unix:///var/run/docker.sock', undefined);
  it.each([
    ['1.41', '1.41'],
    ['1.43', '1.43'],
    ['1.50', '1.50'],
    ['1.51', '1.50'],
    ['2.0', '1.50'],
  ])('engine %s -> %s', (engine, expected) => {
    expect(negotiateApiVersion(engine, target)).toBe(expected);
  });
  it('refuses engines older than 20.10', () => {
    expect(() => negotiateApiVersion('1.40', target)).toThrow(/needs 1\.41/);
  });
  it('compares numerically, not as text', () => {
    expect(compareApiVersions('1.9', '1.41')).toBeLessThan(0);
  });
});

describe('connection errors', () => {
  const target = targetOf('unix:///tmp/none.sock', undefined);
  it.each([['ENOENT'], ['ECONNREFUSED']])('%s names the socket and how to start or choose an engine', (code) => {
    const err = connectionError(Object.assign(new Error('x'), { code }), target);
    expect(err.message).toContain('unix:///tmp/none.sock');
    expect(err.hint).toMatch(/dockerd|systemctl/);
    expect(err.hint).toMatch(/docker context use/);
    expect(err.exitCode).toBe(125);
  });
  it('EACCES explains the docker group', () => {
    const err = connectionError(Object.assign(new Error('x'), { code: 'EACCES' }), target);
    expect(err.message).toMatch(/permission denied.*\/tmp\/none\.sock/);
    expect(err.hint).toMatch(/docker/);
  });
});
