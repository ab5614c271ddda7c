import { describe, expect, it } from 'vitest';
import { answersFromFlags, type InitOptions } from '../../../src/init/answers-from-flags.js';
import {
  checkAddress,
  checkCpus,
  checkMemory,
  checkPort,
  checkPresetName,
  checkUser,
  defaultPresetName,
  normalizeAddress,
  parseWritable,
} from '../../../src/init/checks.js';

const BUILTINS = ['compat', 'none', 'sandbox', 'strict'];

describe('init answers are checked as docker run would take them', () => {
  it.each(['8080:80', '80', '8080:80/udp', '127.0.0.1:8080:80', '[::1]:8080:80', '8000-8001:80-81'])(
    'port %s is fine',
    (spec) => {
      expect(checkPort(spec)).toBeUndefined();
    },
  );
  it.each([
    ['', /expected a port such as 8080:80/],
    ['published=8080,target=80', /give the short form HOST:CONTAINER/],
    ['80:http', /invalid/],
    ['99999:80', /invalid/],
  ])('port %j is refused', (spec, message) => {
    expect(checkPort(spec)).toMatch(message);
  });

  it('addresses: IPv4 or IPv6, which a -p spec carries in brackets', () => {
    expect(checkAddress('127.0.0.1')).toBeUndefined();
    expect(checkAddress('0.0.0.0')).toBeUndefined();
    expect(checkAddress('::1')).toBeUndefined();
    expect(checkAddress('localhost')).toBe(
      '"localhost" is not an IP address; expected 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or another address of this host',
    );
    expect(checkAddress('300.1.1.1')).toMatch(/not an IP address/);
    expect(normalizeAddress('::1')).toBe('[::1]');
    expect(normalizeAddress('[::1]')).toBe('[::1]');
    expect(normalizeAddress('10.0.0.1')).toBe('10.0.0.1');
  });

  it('writable paths: PATH, PATH:tmpfs or PATH:volume, absolute, mountable', () => {
    expect(parseWritable('/var/cache/app')).toEqual({ path: '/var/cache/app', kind: 'tmpfs' });
    expect(parseWritable('/data:volume')).toEqual({ path: '/data', kind: 'volume' });
    expect(parseWritable('/run/x:tmpfs')).toEqual({ path: '/run/x', kind: 'tmpfs' });
    expect(parseWritable('data')).toBe(
      '"data" is not an absolute path inside the container; expected e.g. /var/cache/app',
    );
    expect(parseWritable('/')).toMatch(/the whole root cannot be a writable mount/);
    expect(parseWritable('/a,b')).toMatch(/holds a ":", "," or a space/);
    expect(parseWritable('/a:weird')).toMatch(/holds a ":"/);
  });

  it('a fixed user is numeric and not root', () => {
    expect(checkUser('1000')).toBeUndefined();
    expect(checkUser('1000:1000')).toBeUndefined();
    expect(checkUser('www-data')).toBe('"www-data" is not UID or UID:GID; expected numbers such as 1000 or 1000:1000');
    expect(checkUser('0:0')).toMatch(
      /uid 0 is root; for software that must start as root, answer yes to "starts as root"/,
    );
  });

  it("memory and cpus with docker's own conversion and messages", () => {
    expect(checkMemory('1g')).toBeUndefined();
    expect(checkMemory('12q')).toMatch(/invalid argument "12q" for "-m, --memory" flag/);
    expect(checkCpus('0.5')).toBeUndefined();
    expect(checkCpus('lots')).toMatch(/invalid argument "lots" for "--cpus" flag/);
  });

  it("preset names: valid, and not hiding another built-in (the base's own name tightens it)", () => {
    expect(checkPresetName('web', 'strict', BUILTINS)).toBeUndefined();
    expect(checkPresetName('strict', 'strict', BUILTINS)).toBeUndefined();
    expect(checkPresetName('sandbox', 'strict', BUILTINS)).toMatch(
      /"sandbox" is a built-in preset, which this project preset would hide/,
    );
    expect(checkPresetName('Web App', 'strict', BUILTINS)).toMatch(/is not a preset name/);
    expect(defaultPresetName('/home/me/My App', BUILTINS)).toBe('my-app');
    expect(defaultPresetName('/srv/strict', BUILTINS)).toBe('project');
    expect(defaultPresetName('/', BUILTINS)).toBe('project');
  });
});

describe('answers from flags (safedock init --yes …)', () => {
  const flags = (more: Partial<InitOptions> = {}): InitOptions => ({
    yes: true,
    force: false,
    port: [],
    writable: [],
    ...more,
  });

  it('fills what no flag gives with the safe defaults', () => {
    expect(answersFromFlags(flags(), '/srv/web', BUILTINS)).toEqual({
      network: undefined,
      ports: [],
      address: '127.0.0.1',
      startsAsRoot: false,
      writable: [],
      user: undefined,
      memory: undefined,
      cpus: undefined,
      base: undefined,
      name: 'web',
    });
  });

  it('takes every answer from its flag', () => {
    const answers = answersFromFlags(
      flags({
        preset: 'compat',
        network: true,
        port: ['8080:80'],
        address: '0.0.0.0',
        writable: ['/cache', '/data:volume'],
        user: '1000:1000',
        memory: '1g',
        cpus: '2',
        startsAsRoot: true,
        name: 'api',
      }),
      '/srv/web',
      BUILTINS,
    );
    expect(answers).toEqual({
      network: true,
      ports: ['8080:80'],
      address: '0.0.0.0',
      startsAsRoot: true,
      writable: [
        { path: '/cache', kind: 'tmpfs' },
        { path: '/data', kind: 'volume' },
      ],
      user: '1000:1000',
      memory: '1g',
      cpus: '2',
      base: 'compat',
      name: 'api',
    });
  });

  it('ports imply the network; without either flag the base decides', () => {
    expect(answersFromFlags(flags({ port: ['80'] }), '/srv/web', BUILTINS).network).toBe(true);
    expect(answersFromFlags(flags({ network: false }), '/srv/web', BUILTINS).network).toBe(false);
    expect(answersFromFlags(flags(), '/srv/web', BUILTINS).network).toBeUndefined();
  });

  it("a uid alone gets the same gid, not root's group", () => {
    expect(answersFromFlags(flags({ user: '1000' }), '/srv/web', BUILTINS).user).toBe('1000:1000');
    expect(answersFromFlags(flags({ user: '1000:50' }), '/srv/web', BUILTINS).user).toBe('1000:50');
  });

  it.each([
    [
      { network: false, port: ['80'] },
      '--no-network and --port 80 contradict each other: a container without network publishes no port',
    ],
    [{ port: ['http'] }, /^invalid argument "http" for --port: /],
    [
      { address: 'anywhere' },
      'invalid argument "anywhere" for --address: "anywhere" is not an IP address; expected 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or another address of this host',
    ],
    [
      { writable: ['cache'] },
      'invalid argument "cache" for --writable: "cache" is not an absolute path inside the container; expected e.g. /var/cache/app (PATH, PATH:tmpfs or PATH:volume)',
    ],
    [{ user: 'root' }, /^invalid argument "root" for --user: /],
    [{ memory: 'much' }, /^invalid argument "much" for --memory: /],
  ] as const)('refuses %j', (more, message) => {
    expect(() => answersFromFlags(flags(more as Partial<InitOptions>), '/srv/web', BUILTINS)).toThrow(message);
  });
});
