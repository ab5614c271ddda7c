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
