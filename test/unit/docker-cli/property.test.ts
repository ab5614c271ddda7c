import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RUN_FLAGS } from '../../../src/docker-cli/run-flags.js';
import { parseRunArgv } from '../../../src/docker-cli/parse-argv.js';
import { dockerRequest as toRunRequest } from '../../../src/run/pipeline.js';
import { SafedockError } from '../../../src/errors.js';

// Values that exercise every converter: valid forms, near misses, units, ranges, IPv6, csv quoting.
const VALUES = [
  '',
  '0',
  '1',
  '-1',
  '512',
  '0x10',
  '1.5',
  '200',
  '70000',
  'abc',
  '10',
  '30s',
  '-5s',
  '1h2m3.5s',
  '1µs',
  '.5s',
  '512m',
  '1.5g',
  '12x',
  '64MiB',
  'all',
  '2',
  'device=0,1',
  'foo=bar',
  'count=2,driver=nvidia',
  '"device=0,1",capabilities=utility',
  'a=b',
  'a',
  '=x',
  'K=V',
  'net.ipv4.ip_forward=1',
  'kernel.foo=1',
  'kernel.shmmax=1',
  'size=10G',
  'db:10.0.0.5',
  'gw=192.168.0.1',
  'v6:[::1]',
  'h:host-gateway',
  'foo:bar',
  '8.8.8.8',
  '2001:db8::1',
  '::ffff:1.2.3.4',
  'example.com',
  '-bad',
  '.',
  '/dev/null',
  '/dev/zero:/dev/z:r',
  '/dev/full:rw',
  'rel',
  '/dev/a:/b:r:x',
  'vendor.com/class=name',
  'a/b=c',
  'c 1:3 rwm',
  'x 1:3 rwm',
  '/dev/sda:200',
  '/dev/sda:5',
  '/dev/sda:1mb',
  'sda:1',
  '/dev/sda:-1',
  'lr-src:src',
  'a:b:c',
  '92:d0:c6:0a:29:33',
  'zz',
  'host',
  'none',
  'bridge',
  'mynet',
  'container:x',
  'name=n,ip=1.2.3.4',
  'name=n,alias=a',
  'name=n,mac-address=92:d0:c6:0a:29:33',
  'alias=x',
  '8080:80',
  '127.0.0.1::9000',
  '[::1]:6000:6000',
  '7000-7001:8000-8001',
  '80/foo',
  'published=8081,target=81',
  '/tmp:/t:ro',
  './rel:/rel',
  'type=bind,source=/tmp,target=/m',
  'type=tmpfs,target=/t,tmpfs-mode=1770',
  'type=foo',
  '/run',
  'nofile=1024:2048',
  'nofile',
  'on-failure:3',
  'always',
  'no-new-privileges',
  'apparmor',
  'seccomp=unconfined',
  'systempaths=unconfined',
  'stdin',
  'STDOUT',
  'foo',
  'missing',
  'never',
  'sometimes',
  'linux/amd64',
  'true',
  'false',
  'T',
  'net_admin',
  'ALL',
  'private',
  'shareable',
  'json-file',
  'max-size=1m',
  'unix:///x',
  '"unterminated',
  'a,"b',
  '\u0000',
  'é=1',
  ' 1.1.1.1 ',
];
const FLAGS = RUN_FLAGS;
const SHORT = FLAGS.filter((f) => f.short !== undefined);

const option = fc.oneof(
  // --name value / --name=value / bool forms
  fc
    .record({ flag: fc.constantFrom(...FLAGS), value: fc.constantFrom(...VALUES), eq: fc.boolean() })
    .map(({ flag, value, eq }) =>
      flag.kind === 'bool'
        ? eq
          ? [`--${flag.name}=${value === '' ? 'false' : value}`]
          : [`--${flag.name}`]
        : eq
          ? [`--${flag.name}=${value}`]
          : [`--${flag.name}`, value],
    ),
  // short clusters: -dit, -c512, -e=X, -dp 80:80
  fc
    .record({
      letters: fc.array(fc.constantFrom(...SHORT), { minLength: 1, maxLength: 4 }),
      value: fc.constantFrom(...VALUES),
      glue: fc.constantFrom('', '=', ' '),
    })
    .map(({ letters, value, glue }) => {
      const cluster = `-${letters.map((f) => f.short).join('')}`;
      return glue === ' ' ? [cluster, value] : [`${cluster}${glue}${value}`];
    }),
  // aliases and typos
  fc.constantFrom(['--net', 'host'], ['--dns-opt', 'ndots:2'], ['--net-alias', 'x'], ['--bogus'], ['-Z'], ['--']),
);

const argv = fc
  .tuple(fc.array(option, { maxLength: 8 }), fc.boolean(), fc.constantFrom('1.41', '1.43', '1.44'))
  .map(([opts, withImage, api]) => ({
    argv: [...opts.flat(), ...(withImage ? ['img', 'cmd'] : [])],
    api,
  }));

describe('property: random docker run command lines', () => {
  it('yield a RunRequest whose body survives JSON, or a SafedockError with exit 125 or 1, nothing else', () => {
    fc.assert(
      fc.property(argv, ({ argv: args, api }) => {
        try {
          const parsed = parseRunArgv(args);
          const req = toRunRequest(parsed, { env: { HOME: '/root' }, cwd: '/work', apiVersion: api });
          expect(req.body.Image).toBe(parsed.image ?? '');
          // The body is sent as JSON: no value may be lost or changed on the way (undefined, NaN,
          // Infinity, a bigint or a class instance would be).
          expect(JSON.parse(JSON.stringify(req.body))).toStrictEqual(req.body);
        } catch (e) {
          if (!(e instanceof SafedockError)) throw e;
          expect([125, 1]).toContain(e.exitCode);
          expect(e.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
