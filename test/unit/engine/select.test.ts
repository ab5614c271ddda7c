import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EngineFs } from '../../../src/engine/engine-fs.js';
import type { EngineGlobals } from '../../../src/engine/global-options.js';
import { contextDirName, resolveEngine, type EngineSelection } from '../../../src/engine/select.js';
import { SafedockError } from '../../../src/errors.js';

/** An in-memory machine: HOME is /home/u, files as given. */
function machine(files: Record<string, string>): EngineFs {
  return {
    readFile: (path) => (path in files ? Buffer.from(files[path] ?? '') : undefined),
    homedir: () => '/home/u',
  };
}

const sha = (name: string): string => createHash('sha256').update(name).digest('hex');

function meta(name: string, host: string, skip = false): string {
  return JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: skip } } });
}

/** A docker config folder with contexts `rootless` and `remote`, and `docker context use` set to `current`. */
function store(dir: string, current?: string): Record<string, string> {
  return {
    ...(current === undefined
      ? {}
      : { [`${dir}/config.json`]: JSON.stringify({ auths: {}, currentContext: current }) }),
    [`${dir}/contexts/meta/${sha('rootless')}/meta.json`]: meta('rootless', 'unix:///run/user/1000/docker.sock'),
    [`${dir}/contexts/meta/${sha('current')}/meta.json`]: meta('current', 'unix:///run/current.sock'),
    [`${dir}/contexts/meta/${sha('remote')}/meta.json`]: meta('remote', 'tcp://10.0.0.5:2376'),
    [`${dir}/contexts/tls/${sha('remote')}/docker/ca.pem`]: 'CA',
    [`${dir}/contexts/tls/${sha('remote')}/docker/cert.pem`]: 'CERT',
    [`${dir}/contexts/tls/${sha('remote')}/docker/key.pem`]: 'KEY',
  };
}

const HOME_STORE = store('/home/u/.docker', 'current');

function pick(globals: EngineGlobals, env: NodeJS.ProcessEnv, files = HOME_STORE): EngineSelection {
  return resolveEngine(globals, env, machine(files));
}

describe('resolveEngine: which engine, in docker’s order', () => {
  // Each row: what is given, and the engine docker CLI 28.2 talks to with the same inputs.
  it.each<[string, EngineGlobals, NodeJS.ProcessEnv, string, string, EngineSelection['source']]>([
    ['nothing set, no config', {}, { HOME: '/nowhere' }, 'unix:///var/run/docker.sock', 'default', 'default'],
    [
      'config.json currentContext (docker context use)',
      {},
      {},
      'unix:///run/current.sock',
      'current',
      'current-context',
    ],
    [
      'DOCKER_CONTEXT over currentContext',
      {},
      { DOCKER_CONTEXT: 'rootless' },
      'unix:///run/user/1000/docker.sock',
      'rootless',
      'DOCKER_CONTEXT',
    ],
    [
      'DOCKER_HOST over DOCKER_CONTEXT',
      {},
      { DOCKER_HOST: 'unix:///h.sock', DOCKER_CONTEXT: 'rootless' },
      'unix:///h.sock',
      'default',
      'DOCKER_HOST',
    ],
    [
      '-H over DOCKER_HOST',
      { hosts: ['unix:///flag.sock'] },
      { DOCKER_HOST: 'unix:///h.sock' },
      'unix:///flag.sock',
      'default',
      'host-flag',
    ],
    [
      '--context over DOCKER_HOST',
      { context: 'rootless' },
      { DOCKER_HOST: 'unix:///h.sock' },
      'unix:///run/user/1000/docker.sock',
      'rootless',
      'context-flag',
    ],
    [
      '--context over DOCKER_CONTEXT',
      { context: 'rootless' },
      { DOCKER_CONTEXT: 'current' },
      'unix:///run/user/1000/docker.sock',
      'rootless',
      'context-flag',
    ],
    [
      '--context default: DOCKER_HOST applies',
      { context: 'default' },
      { DOCKER_HOST: 'unix:///h.sock' },
      'unix:///h.sock',
      'default',
      'context-flag',
    ],
    [
      'DOCKER_CONTEXT=default: the default socket',
      {},
      { DOCKER_CONTEXT: 'default' },
      'unix:///var/run/docker.sock',
      'default',
      'DOCKER_CONTEXT',
    ],
    [
      'an empty DOCKER_HOST counts as unset',
      {},
      { DOCKER_HOST: '' },
      'unix:///run/current.sock',
      'current',
      'current-context',
    ],
    [
      'an empty DOCKER_CONTEXT counts as unset',
      {},
      { DOCKER_CONTEXT: '' },
      'unix:///run/current.sock',
      'current',
      'current-context',
    ],
    ['--context "" counts as not given', { context: '' }, {}, 'unix:///run/current.sock', 'current', 'current-context'],
    ['-H "" is the default socket', { hosts: [''] }, {}, 'unix:///var/run/docker.sock', 'default', 'host-flag'],
  ])('%s', (_name, globals, env, display, context, source) => {
    const selection = pick(globals, env);
    expect(selection.target.display).toBe(display);
    expect(selection.context).toBe(context);
    expect(selection.source).toBe(source);
  });

  it('DOCKER_CONFIG moves config.json and the context store', () => {
    const files = store('/etc/dk', 'rootless');
    expect(pick({}, { DOCKER_CONFIG: '/etc/dk' }, files).target.display).toBe('unix:///run/user/1000/docker.sock');
    // Without it, ~/.docker has no config here: the default socket.
    expect(pick({}, {}, files).target.display).toBe('unix:///var/run/docker.sock');
  });
  it('--config moves them too, over DOCKER_CONFIG', () => {
    const files = { ...store('/etc/dk', 'rootless'), ...store('/other') };
    const selection = pick({ config: '/etc/dk' }, { DOCKER_CONFIG: '/other' }, files);
    expect(selection.context).toBe('rootless');
    expect(selection.configFile).toBe('/etc/dk/config.json');
  });
  it('HOME is read from the environment first', () => {
    const files = store('/root2/.docker', 'rootless');
    expect(pick({}, { HOME: '/root2' }, files).context).toBe('rootless');
  });
  it('the store folder is the SHA-256 of the context name', () => {
    expect(contextDirName('nope')).toBe('ca3704aa0b06f5954c79ee837faa152d84d6b2d42838f0637a15eda8337dbdce');
  });
});

describe('resolveEngine: docker’s errors', () => {
  function failure(globals: EngineGlobals, env: NodeJS.ProcessEnv, files = HOME_STORE): SafedockError {
    try {
      pick(globals, env, files);
    } catch (err) {
      expect(err).toBeInstanceOf(SafedockError);
      return err as SafedockError;
    }
    throw new Error('expected resolveEngine to refuse');
  }

  it('-H with --context', () => {
    const err = failure({ hosts: ['unix:///x'], context: 'rootless' }, {});
    expect(err.message).toBe('conflicting options: cannot specify both --host and --context');
    expect(err.exitCode).toBe(1);
  });
  it('-H twice', () => {
    expect(failure({ hosts: ['unix:///a', 'unix:///b'] }, {}).message).toBe(
      'Failed to initialize: unable to resolve docker endpoint: Specify only one -H',
    );
  });
  it.each<[string, EngineGlobals, NodeJS.ProcessEnv]>([
    ['--context', { context: 'nope' }, {}],
    ['DOCKER_CONTEXT', {}, { DOCKER_CONTEXT: 'nope' }],
    ['currentContext', {}, {}],
  ])('a context that does not exist (%s): its name and the file docker looked for', (_how, globals, env) => {
    const files = { ...HOME_STORE, '/home/u/.docker/config.json': JSON.stringify({ currentContext: 'nope' }) };
    const err = failure(globals, env, files);
    expect(err.message).toBe(
      'Failed to initialize: unable to resolve docker endpoint: context "nope": context not found: open /home/u/.docker/contexts/meta/ca3704aa0b06f5954c79ee837faa152d84d6b2d42838f0637a15eda8337dbdce/meta.json: no such file or directory',
    );
    expect(err.exitCode).toBe(1);
    expect(err.hint).toMatch(/docker context ls/);
  });
  it('a context without a docker endpoint', () => {
    const files = { [`/home/u/.docker/contexts/meta/${sha('k8s')}/meta.json`]: '{"Name":"k8s","Endpoints":{}}' };
    expect(failure({ context: 'k8s' }, {}, files).message).toBe(
      'Failed to initialize: unable to resolve docker endpoint: cannot find docker endpoint in context',
    );
  });
  it('a context whose meta.json is not JSON', () => {
    const file = `/home/u/.docker/contexts/meta/${sha('bad')}/meta.json`;
    expect(failure({ context: 'bad' }, {}, { [file]: '{bad' }).message).toBe(
      `Failed to initialize: unable to resolve docker endpoint: context "bad": parsing ${file}: invalid character 'b' looking for beginning of object key string`,
    );
  });
  it('a config.json docker cannot parse: warned about and ignored, as docker does', () => {
    const files = { ...HOME_STORE, '/home/u/.docker/config.json': '{bad' };
    const selection = pick({}, {}, files);
    expect(selection.target.display).toBe('unix:///var/run/docker.sock');
    expect(selection.warnings).toEqual([
      "WARNING: Error parsing config file (/home/u/.docker/config.json): invalid character 'b' looking for beginning of object key string",
    ]);
  });
  it('never prints the credentials config.json holds', () => {
    const files = { '/home/u/.docker/config.json': '{"auths":{"r":{"auth":"c2VjcmV0"}},"currentContext":"nope"}' };
    const err = failure({}, {}, files);
    expect(err.message).not.toContain('c2VjcmV0');
  });
});

describe('resolveEngine: TLS as docker reads it', () => {
  const certs = {
    '/home/u/.docker/ca.pem': 'CA',
    '/home/u/.docker/cert.pem': 'CERT',
    '/home/u/.docker/key.pem': 'KEY',
  };
  const tlsOf = (s: EngineSelection): unknown =>
    s.target.kind === 'tcp' && s.target.tls !== undefined
      ? {
          ca: s.target.tls.ca?.toString(),
          cert: s.target.tls.cert?.toString(),
          key: s.target.tls.key?.toString(),
          skipVerify: s.target.tls.skipVerify,
        }
      : undefined;

  it.each<[string, EngineGlobals, NodeJS.ProcessEnv, Record<string, string>, unknown]>([
    ['no TLS', { hosts: ['tcp://h:2375'] }, {}, certs, undefined],
    [
      '--tlsverify: CA, certificate and key from ~/.docker',
      { hosts: ['tcp://h:2376'], tlsVerify: true },
      {},
      certs,
      { ca: 'CA', cert: 'CERT', key: 'KEY', skipVerify: false },
    ],
    [
      'DOCKER_TLS_VERIFY=1',
      {},
      { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1' },
      certs,
      { ca: 'CA', cert: 'CERT', key: 'KEY', skipVerify: false },
    ],
    // docker only tests that the variable is non-empty.
    [
      'DOCKER_TLS_VERIFY=0 still verifies',
      {},
      { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '0' },
      certs,
      { ca: 'CA', cert: 'CERT', key: 'KEY', skipVerify: false },
    ],
    [
      '--tls alone: TLS without verifying the server',
      { hosts: ['tcp://h:2376'], tls: true },
      {},
      certs,
      { ca: 'CA', cert: 'CERT', key: 'KEY', skipVerify: true },
    ],
    [
      '--tlsverify=false: TLS on, server not verified',
      { hosts: ['tcp://h:2376'], tlsVerify: false },
      {},
      certs,
      { ca: 'CA', cert: 'CERT', key: 'KEY', skipVerify: true },
    ],
    [
      'DOCKER_TLS=1: TLS without verifying',
      {},
      { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS: '1' },
      certs,
      { ca: 'CA', cert: 'CERT', key: 'KEY', skipVerify: true },
    ],
    [
      'DOCKER_CERT_PATH',
      {},
      { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/c' },
      { '/c/ca.pem': 'C2', '/c/cert.pem': 'T2', '/c/key.pem': 'K2' },
      { ca: 'C2', cert: 'T2', key: 'K2', skipVerify: false },
    ],
    [
      'no default client certificate: only the CA',
      { hosts: ['tcp://h:2376'], tlsVerify: true },
      {},
      { '/home/u/.docker/ca.pem': 'CA' },
      { ca: 'CA', cert: undefined, key: undefined, skipVerify: false },
    ],
    [
      '--tlscacert, --tlscert, --tlskey',
      { hosts: ['tcp://h:2376'], tlsVerify: true, tlsCaCert: '/x/a', tlsCert: '/x/b', tlsKey: '/x/c' },
      {},
      { '/x/a': 'A', '/x/b': 'B', '/x/c': 'C' },
      { ca: 'A', cert: 'B', key: 'C', skipVerify: false },
    ],
  ])('%s', (_name, globals, env, files, expected) => {
    expect(tlsOf(pick(globals, env, files))).toEqual(expected);
  });

  it('TLS on and no host: tcp://localhost:2376', () => {
    expect(pick({ tlsVerify: true }, {}, certs).target.display).toBe('tcp://localhost:2376');
  });
  it('--config does not move the certificates (docker takes them from DOCKER_CONFIG or ~/.docker)', () => {
    const s = pick({ config: '/elsewhere', hosts: ['tcp://h:1'], tlsVerify: true }, {}, certs);
    expect(tlsOf(s)).toMatchObject({ ca: 'CA' });
  });
  it.each<[string, EngineGlobals, string]>([
    [
      'a missing CA',
      { hosts: ['tcp://h:2376'], tlsVerify: true },
      'open /home/u/.docker/ca.pem: no such file or directory',
    ],
    [
      'a named certificate that is missing',
      { hosts: ['tcp://h:2376'], tlsVerify: true, tlsCert: '/x/none.pem' },
      'open /x/none.pem: no such file or directory',
    ],
    // docker reads the CA for any host once TLS is on, a socket too.
    [
      'TLS on for a socket still reads the CA',
      { hosts: ['unix:///var/run/docker.sock'], tlsVerify: true },
      'open /home/u/.docker/ca.pem: no such file or directory',
    ],
  ])('%s: docker’s error', (_name, globals, file) => {
    const files = { '/home/u/.docker/ca.pem': 'CA' };
    const given = globals.tlsCert === undefined ? {} : files;
    expect(() => pick(globals, {}, given)).toThrow(`Failed to initialize: unable to resolve docker endpoint: ${file}`);
  });

  it('a context’s TLS files come from the store', () => {
    expect(tlsOf(pick({ context: 'remote' }, {}))).toEqual({ ca: 'CA', cert: 'CERT', key: 'KEY', skipVerify: false });
  });
  it('a context with skip-tls-verify and no files: TLS without verifying', () => {
    const files = { [`/home/u/.docker/contexts/meta/${sha('sk')}/meta.json`]: meta('sk', 'tcp://h:2376', true) };
    expect(tlsOf(pick({ context: 'sk' }, {}, files))).toEqual({
      ca: undefined,
      cert: undefined,
      key: undefined,
      skipVerify: true,
    });
  });
  it('a tcp context without TLS files: plain tcp', () => {
    const files = { [`/home/u/.docker/contexts/meta/${sha('p')}/meta.json`]: meta('p', 'tcp://h:2375') };
    expect(tlsOf(pick({ context: 'p' }, {}, files))).toBeUndefined();
  });
  it('a context ignores the TLS options and variables of the default context', () => {
    const s = pick({ context: 'rootless', tlsVerify: true }, { DOCKER_TLS_VERIFY: '1' });
    expect(s.target).toMatchObject({ kind: 'unix', socketPath: '/run/user/1000/docker.sock' });
  });
  it('a context whose host is empty: the default socket', () => {
    const files = { [`/home/u/.docker/contexts/meta/${sha('e')}/meta.json`]: '{"Name":"e","Endpoints":{"docker":{}}}' };
    expect(pick({ context: 'e' }, {}, files).target.display).toBe('unix:///var/run/docker.sock');
  });
});

describe('resolveEngine: debug', () => {
  it.each<[EngineGlobals, boolean]>([
    [{}, false],
    [{ debug: true }, true],
    [{ logLevel: 'debug' }, true],
    [{ logLevel: 'info' }, false],
  ])('%j -> %s', (globals, debug) => {
    expect(pick(globals, {}).debug).toBe(debug);
  });
});
