import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SafedockError } from '../../../src/errors.js';
import { compareApiVersions, connectionError, negotiateApiVersion } from '../../../src/engine/negotiate.js';
import { resolveEngineTarget } from '../../../src/engine/target.js';

describe('resolveEngineTarget', () => {
  it('uses the default socket without DOCKER_HOST', () => {
    expect(resolveEngineTarget({})).toEqual({
      kind: 'unix',
      socketPath: '/var/run/docker.sock',
      display: 'unix:///var/run/docker.sock',
    });
  });
  it('takes unix:// sockets', () => {
    expect(resolveEngineTarget({ DOCKER_HOST: 'unix:///tmp/x.sock' })).toMatchObject({
      kind: 'unix',
      socketPath: '/tmp/x.sock',
    });
  });
  it('takes tcp:// with a port, and the default ports', () => {
    expect(resolveEngineTarget({ DOCKER_HOST: 'tcp://127.0.0.1:2375' })).toMatchObject({
      kind: 'tcp',
      host: '127.0.0.1',
      port: 2375,
      tls: undefined,
    });
    expect(resolveEngineTarget({ DOCKER_HOST: 'tcp://[::1]' })).toMatchObject({ kind: 'tcp', host: '::1', port: 2375 });
  });
  it('reads the TLS files when DOCKER_TLS_VERIFY is set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-tls-'));
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(dir, f), f);
    const target = resolveEngineTarget({
      DOCKER_HOST: 'tcp://engine.example:2376',
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: dir,
    });
    expect(target).toMatchObject({ kind: 'tcp', port: 2376 });
    expect(target.kind === 'tcp' && target.tls?.ca.toString()).toBe('ca.pem');
  });
  it('names the missing TLS file', () => {
    expect(() =>
      resolveEngineTarget({ DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/nonexistent' }),
    ).toThrow(/\/nonexistent\/ca\.pem/);
  });
  it('never prints a password from DOCKER_HOST', () => {
    expect(() => resolveEngineTarget({ DOCKER_HOST: 'ssh://admin:hunter2@host' })).toThrow(
      /DOCKER_HOST=ssh:\/\/\*\*\*@host /,
    );
    expect(() => resolveEngineTarget({ DOCKER_HOST: 'ssh://admin:hunter2@host' })).not.toThrow(/hunter2/);
  });
  it.each([['ssh://user@host'], ['npipe:////./pipe/docker'], ['unix://relative.sock']])(
    'refuses %s with a clear message',
    (host) => {
      expect(() => resolveEngineTarget({ DOCKER_HOST: host })).toThrow(SafedockError);
      expect(() => resolveEngineTarget({ DOCKER_HOST: host })).toThrow(/DOCKER_HOST/);
    },
  );
});

describe('API version negotiation', () => {
  const target = resolveEngineTarget({});
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
  const target = resolveEngineTarget({ DOCKER_HOST: 'unix:///tmp/none.sock' });
  it.each([['ENOENT'], ['ECONNREFUSED']])('%s names the socket and how to start an engine', (code) => {
    const err = connectionError(Object.assign(new Error('x'), { code }), target);
    expect(err.message).toContain('unix:///tmp/none.sock');
    expect(err.hint).toMatch(/dockerd|systemctl/);
    expect(err.exitCode).toBe(125);
  });
  it('EACCES explains the docker group', () => {
    const err = connectionError(Object.assign(new Error('x'), { code: 'EACCES' }), target);
    expect(err.message).toMatch(/permission denied.*\/tmp\/none\.sock/);
    expect(err.hint).toMatch(/docker/);
  });
});
