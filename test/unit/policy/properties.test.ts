/** Properties over generated spellings: whatever the case or prefix, the same rule fires. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DANGEROUS_CAPABILITIES } from '../../../src/policy/rules/privilege.js';
import { findingsFor, warnedRules } from './helpers.js';

const RUNS = { numRuns: 60 };

/** A word with each letter's case chosen at random. */
const anyCase = (word: string): fc.Arbitrary<string> =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    // eslint-disable-next-line @typescript-eslint/no-misused-spread -- the words are ASCII capability names
    .map((upper) => [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(''));

const OTHER_CAPABILITIES = [
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_RAW',
  'SETGID',
  'SETUID',
  'SETFCAP',
  'SETPCAP',
  'SYS_CHROOT',
  'AUDIT_WRITE',
  'IPC_LOCK',
  'SYS_NICE',
  'SYS_PACCT',
  'LEASE',
];

describe('capabilities', () => {
  it('a dangerous capability raises SD111 at its severity, in any case, with or without CAP_', async () => {
    const spelling = fc
      .constantFrom(...Object.keys(DANGEROUS_CAPABILITIES))
      .chain((cap) => fc.tuple(fc.constant(cap), fc.boolean(), anyCase(cap), anyCase('CAP_'), fc.boolean()))
      .map(([cap, prefixed, word, prefix, equals]) => ({
        cap,
        flag: `${prefixed && cap !== 'ALL' ? prefix : ''}${word}`,
        equals,
      }));
    await fc.assert(
      fc.asyncProperty(spelling, async ({ cap, flag, equals }) => {
        const findings = await findingsFor(equals ? `--cap-add=${flag} img` : `--cap-add ${flag} img`);
        expect(findings.filter((f) => f.rule === 'SD111').map((f) => f.severity)).toEqual([
          DANGEROUS_CAPABILITIES[cap],
        ]);
        expect(warnedRules(findings)).toEqual(['SD111']);
      }),
      RUNS,
    );
  });

  it('any other capability is SD112 (low), NET_BIND_SERVICE nothing', async () => {
    const spelling = fc
      .constantFrom(...OTHER_CAPABILITIES, 'NET_BIND_SERVICE')
      .chain((cap) => fc.tuple(fc.constant(cap), fc.boolean(), anyCase(cap)));
    await fc.assert(
      fc.asyncProperty(spelling, async ([cap, prefixed, word]) => {
        const rules = warnedRules(await findingsFor(`--cap-add ${prefixed ? 'cap_' : ''}${word} img`));
        expect(rules).toEqual(cap === 'NET_BIND_SERVICE' ? [] : ['SD112']);
      }),
      RUNS,
    );
  });
});

describe('users', () => {
  it('uid 0 in any spelling, with any group, is SD118', async () => {
    const root = fc.oneof(
      fc.constant('root'),
      fc
        .tuple(fc.constantFrom('', '+', '-'), fc.integer({ min: 1, max: 4 }))
        .map(([sign, zeros]) => `${sign}${'0'.repeat(zeros)}`),
    );
    const group = fc.option(fc.constantFrom('0', 'root', '100', 'wheel', 'users', '65534'), { nil: undefined });
    const form = fc.constantFrom('-u', '-u=', '--user', '--user=');
    await fc.assert(
      fc.asyncProperty(root, group, form, async (user, g, flag) => {
        const value = g === undefined ? user : `${user}:${g}`;
        const arg = flag.endsWith('=') || flag === '-u' ? `${flag}${value}` : `${flag} ${value}`;
        expect(warnedRules(await findingsFor(`${arg} img`))).toEqual(['SD118']);
      }),
      RUNS,
    );
  });

  it('a non-zero uid or a name other than root is fine (in a group other than root)', async () => {
    const user = fc.oneof(
      fc.integer({ min: 1, max: 2 ** 31 - 1 }).map(String),
      fc.constantFrom('app', 'nobody', 'www-data', 'node', 'ROOT', 'rooter'),
    );
    await fc.assert(
      fc.asyncProperty(user, fc.constantFrom('', ':100', ':1000'), async (u, g) => {
        expect(warnedRules(await findingsFor(`-u ${u}${g} img`))).toEqual([]);
      }),
      RUNS,
    );
  });
});

describe('environment', () => {
  const name = fc.tuple(
    fc.constantFrom('', 'DB_', 'APP_', 'GITHUB_', 'MY_SERVICE_'),
    fc.constantFrom('PASSWORD', 'PASSWD', 'SECRET', 'TOKEN', 'API_KEY', 'ACCESS_KEY', 'PRIVATE_KEY', 'CREDENTIALS'),
  );
  const value = fc
    .stringMatching(/^[A-Za-z0-9!@#%^&*_+=.,-]{6,40}$/)
    .filter((v) => /\d/.test(v) && !/^\d$/.test(v) && !v.startsWith('/'));

  it('a credential name with a value is SD129, and the value appears in no finding', async () => {
    await fc.assert(
      fc.asyncProperty(name, value, async ([prefix, word], v) => {
        const findings = await findingsFor(`-e '${prefix}${word}=${v}' img`);
        expect(warnedRules(findings)).toEqual(['SD129']);
        expect(JSON.stringify(findings)).not.toContain(v);
      }),
      RUNS,
    );
  });

  it('the same names ending in _FILE, _PATH or _DIR point at a file: nothing', async () => {
    await fc.assert(
      fc.asyncProperty(name, fc.constantFrom('_FILE', '_PATH', '_DIR'), value, async ([prefix, word], suffix, v) => {
        expect(warnedRules(await findingsFor(`-e '${prefix}${word}${suffix}=${v}' img`))).toEqual([]);
      }),
      RUNS,
    );
  });
});

describe('host paths', () => {
  const segment = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,11}$/).filter((s) => s !== '..' && !s.endsWith('.sock'));
  const subpath = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));

  it('anything below the working folder is ordinary, read-write or not', async () => {
    await fc.assert(
      fc.asyncProperty(subpath, fc.boolean(), async (sub, ro) => {
        expect(warnedRules(await findingsFor(`-v $PWD/${sub}:/app${ro ? ':ro' : ''} img`))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('anything below /etc, ~/.ssh or /var/lib/docker is SD120, or SD121 read-only (spelt with // and /./)', async () => {
    const root = fc.constantFrom(
      '/etc/x',
      '//etc//x',
      '/etc/./x',
      '~/.ssh',
      '/home/me/proj/../.ssh',
      '/var/lib/docker',
      '/var/run/../lib/docker',
    );
    await fc.assert(
      fc.asyncProperty(root, subpath, fc.boolean(), async (top, sub, ro) => {
        expect(warnedRules(await findingsFor(`-v ${top}/${sub}:/m${ro ? ':ro' : ''} img`))).toEqual([
          ro ? 'SD121' : 'SD120',
        ]);
      }),
      RUNS,
    );
  });
});

describe('compositions of ordinary flags, and one risky flag added', () => {
  /** Flags that raise nothing at low or above under strict, each usable with any of the others. */
  const ORDINARY: readonly string[] = [
    '-it',
    '--rm',
    '-d',
    '--init',
    '--name app',
    '-w /app',
    '--hostname h',
    '-e NODE_ENV=production',
    '-e PORT=3000',
    '-e LOG_LEVEL=debug',
    '-e TOKEN_TTL=3600',
    '-e POSTGRES_PASSWORD_FILE=/run/secrets/db',
    '-e DATABASE_URL=postgres://db:5432/app',
    '-p 8080:80',
    '-p 127.0.0.1:9090:9090',
    '--expose 7000',
    '-v $PWD:/app',
    '-v $PWD/data:/data:ro',
    '-v /tmp/cache:/cache',
    '-v named:/var/lib/app',
    '-v /etc/localtime:/etc/localtime:ro',
    '-v /etc/ssl/certs:/etc/ssl/certs:ro',
    '-v /dev/null:/app/blank.conf',
    '-v ~/.ssh/known_hosts:/k:ro',
    '--tmpfs /run',
    '--mount type=tmpfs,dst=/cache2',
    '--memory 256m',
    '--pids-limit 100',
    '--cpus 0.5',
    '--cap-drop NET_RAW',
    '--cap-add NET_BIND_SERVICE',
    '-u 1000:1000',
    '--group-add 1000',
    '--read-only',
    '--security-opt no-new-privileges',
    '--ulimit nofile=4096:8192',
    '--oom-score-adj 100',
    '--label team=web',
    '--log-opt max-size=1m',
    '--sysctl net.ipv4.ip_unprivileged_port_start=0',
    '--dns 1.1.1.1',
    '--add-host db:10.0.0.5',
    '--shm-size 128m',
    '--stop-signal SIGTERM',
    '--health-cmd true',
    '--gpus count=0',
  ];

  /** One risky flag each, with the rule it must raise at high or critical whatever surrounds it. */
  const RISKY: ReadonlyArray<readonly [flag: string, rule: string]> = [
    ['--privileged', 'SD101'],
    ['-v /var/run/docker.sock:/var/run/docker.sock', 'SD102'],
    ['--use-api-socket', 'SD103'],
    ['--pid host', 'SD104'],
    ['--ipc host', 'SD105'],
    ['--cap-add SYS_ADMIN', 'SD111'],
    ['--cap-add NET_ADMIN', 'SD111'],
    ['--security-opt seccomp=unconfined', 'SD114'],
    ['--security-opt systempaths=unconfined', 'SD116'],
    ['--security-opt systempaths:unconfined', 'SD116'],
    ['-u 0', 'SD118'],
    ['-v /etc:/host-etc', 'SD120'],
    ['-v ~/.aws:/aws:ro', 'SD121'],
    ['-v /var/log/auth.log:/a:ro', 'SD121'],
    ['-v /run/docker/netns:/n:ro', 'SD121'],
    ['--device /dev/sda', 'SD123'],
    ['--gpus all', 'SD123'],
    ["--device-cgroup-rule 'b *:* rwm'", 'SD124'],
    ['-e DB_PASSWORD=hunter2x', 'SD129'],
    ['-e LDAP_BIND_PW=s3cr3t', 'SD129'],
    ['--security-opt writable-cgroups=true', 'SD154'],
  ];

  // --pid host and -u 0 and the rest must each stand out whatever ordinary flags surround them;
  // pairs that docker refuses together are not generated (each flag at most once).
  const ordinary = fc.subarray([...ORDINARY], { maxLength: 12 }).chain((flags) => fc.shuffledSubarray(flags));

  it('never raise a high finding', async () => {
    await fc.assert(
      fc.asyncProperty(ordinary, async (flags) => {
        const findings = await findingsFor(`${flags.join(' ')} img`);
        const high = findings.filter((f) => f.severity === 'high' || f.severity === 'critical');
        expect(high.map((f) => `${f.key}: ${f.detail}`)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('with any risky flag added anywhere, always raise its high or critical finding', async () => {
    await fc.assert(
      fc.asyncProperty(ordinary, fc.constantFrom(...RISKY), fc.nat(), async (flags, [risky, rule], at) => {
        // -u 0 with -u 1000:1000 in the same line: the last -u wins, so the risky flag goes last for users.
        const others = risky.startsWith('-u ') ? flags.filter((f) => !f.startsWith('-u ')) : flags;
        const line = [...others];
        line.splice(at % (line.length + 1), 0, risky);
        const findings = await findingsFor(`${line.join(' ')} img`);
        const raised = findings.filter((f) => f.rule === rule && (f.severity === 'high' || f.severity === 'critical'));
        expect(raised.length, `${line.join(' ')}: ${findings.map((f) => f.key).join(', ')}`).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });
});
