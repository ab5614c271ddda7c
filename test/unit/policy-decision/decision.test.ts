import { mkdtempSync, rmSync, symlinkSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  acceptsFromFlags,
  acceptsFromMap,
  checkAcceptMap,
  parseAcceptKey,
  type Acceptance,
} from '../../../src/policy/accept.js';
import { acceptOnTerminal, decide } from '../../../src/policy/decide.js';
import { acceptedLabels, decisionLabels, isReservedLabel, runLabels } from '../../../src/policy/labels.js';
import { isCi, resolveMode } from '../../../src/policy/mode.js';
import { acceptedToText, decisionToText, findingsToText, refusalText } from '../../../src/policy/render.js';
import { findingKey, type Finding, type Severity } from '../../../src/policy/types.js';
import { UsageError } from '../../../src/errors.js';
import { parseSecrets, secretNotes, secretOptions } from '../../../src/docker-cli/secrets.js';
import { readCsvRecord } from '../../../src/grammar/csv.js';

const finding = (rule: string, severity: Severity, item?: string, origin: Finding['origin'] = 'user'): Finding => ({
  rule: rule as Finding['rule'],
  severity,
  title: `title of ${rule}`,
  detail: `detail of ${rule}`,
  fix: `fix ${rule}`,
  origin,
  ...(item === undefined ? {} : { item }),
  key: findingKey(rule as Finding['rule'], item),
});

/** An acceptance as --accept, the project or a preset would give it. */
const accept = (key: string, reason: string, by: Acceptance['by'] = { kind: 'flag' }): Acceptance => {
  const parsed = parseAcceptKey(key);
  if ('error' in parsed) throw new Error(parsed.error);
  return { ...parsed, reason, by };
};
const PRESET: Acceptance['by'] = { kind: 'preset', preset: 'compat', file: 'c' };

describe('--accept and --reason', () => {
  it.each([
    [['SD118'], ['the image drops root'], [['SD118', 'the image drops root']]],
    [
      ['sd118', 'SD104'],
      ['one reason for both'],
      [
        ['SD118', 'one reason for both'],
        ['SD104', 'one reason for both'],
      ],
    ],
    [
      ['SD118', 'SD104'],
      ['first', 'second'],
      [
        ['SD118', 'first'],
        ['SD104', 'second'],
      ],
    ],
    [[' SD101 '], ['  padded  '], [['SD101', 'padded']]],
    // Keys: the item as findings name it, capabilities in any spelling, ports with their protocol.
    [['SD111:NET_ADMIN'], ['vpn'], [['SD111:NET_ADMIN', 'vpn']]],
    [['sd111:cap_net_admin'], ['vpn'], [['SD111:NET_ADMIN', 'vpn']]],
    [['SD125:80'], ['web'], [['SD125:80/tcp', 'web']]],
    [['SD121:/etc/krb5.conf:/etc/krb5.conf'], ['kerberos'], [['SD121:/etc/krb5.conf:/etc/krb5.conf', 'kerberos']]],
    [['SD129:DB_PASSWORD'], ['test db'], [['SD129:DB_PASSWORD', 'test db']]],
    [['SD130:net/core/somaxconn'], ['backlog'], [['SD130:net.core.somaxconn', 'backlog']]],
    // A bare id of a per-item rule below critical still works (every finding of the rule).
    [['SD112'], ['all caps'], [['SD112', 'all caps']]],
    [['SD121'], ['all read-only mounts'], [['SD121', 'all read-only mounts']]],
  ])('%j with %j', (given, reason, expected) => {
    expect(acceptsFromFlags(given, reason).map((a) => [a.key, a.reason])).toEqual(expected);
    expect(acceptsFromFlags(given, reason).every((a) => a.by.kind === 'flag')).toBe(true);
  });
  it('none given: none accepted', () => expect(acceptsFromFlags([], [])).toEqual([]));
  it.each([
    [['SD118'], [], /--accept SD118 needs a reason/],
    [[], ['why'], /--reason was given without --accept/],
    [['SD118', 'SD104', 'SD101'], ['a', 'b'], /3 --accept and 2 --reason were given/],
    [
      ['SD18'],
      ['why'],
      /invalid argument "SD18" for "--accept" flag: "SD18" is not a rule id; expected SD followed by three digits/,
    ],
    [['CAP_SYS_ADMIN'], ['why'], /is not a rule id/],
    [['SD999'], ['why'], /there is no rule SD999/],
    [['SD118'], ['   '], /invalid argument " {3}" for "--reason" flag: expected a reason/],
    [['SD118'], ['two\nlines'], /expected one line of text/],
    [['SD118'], ['x'.repeat(501)], /at most 500 characters/],
    // A bare id of a critical per-item rule would accept far more than was meant.
    [
      ['SD111'],
      ['vpn'],
      /SD111 alone would accept every SD111 finding, and SD111 is critical: name the capability, e.g. SD111:NET_ADMIN/,
    ],
    [['sd120'], ['x'], /SD120 alone would accept every SD120 finding.*e\.g\. SD120:\/etc\/krb5.conf:\/etc\/krb5.conf/],
    [['SD102'], ['x'], /SD102 alone would accept every SD102 finding/],
    [['SD118:root'], ['x'], /SD118 has no items \(it fires once per run\): accept it as SD118, without ":root"/],
    [['SD111:'], ['x'], /expected the capability after "SD111:"/],
  ])('refuses %j with %j', (given, reason, message) => {
    expect(() => acceptsFromFlags(given, reason)).toThrow(UsageError);
    expect(() => acceptsFromFlags(given, reason)).toThrow(message);
  });
  it('a bare id of a critical rule without items (SD101) is its full key', () => {
    expect(acceptsFromFlags(['SD101'], ['lab machine'])).toMatchObject([{ key: 'SD101', rule: 'SD101' }]);
  });
});

describe('accept: maps (project config, preset)', () => {
  const fail = (key: string | undefined, message: string): never => {
    throw new Error(`${key ?? '(accept)'}: ${message}`);
  };
  it('checks keys and reasons', () => {
    expect(
      checkAcceptMap(
        { SD118: ' drops root ', SD119: 'writes its files', 'SD111:cap_net_admin': 'vpn', 'SD125:80': 'web' },
        fail,
      ),
    ).toEqual({
      SD118: 'drops root',
      SD119: 'writes its files',
      'SD111:NET_ADMIN': 'vpn',
      'SD125:80/tcp': 'web',
    });
    expect(() => checkAcceptMap(['SD118'], fail)).toThrow(/\(accept\): expected a mapping of finding key to reason/);
    expect(() => checkAcceptMap({ SD118: '' }, fail)).toThrow(/SD118: expected a reason/);
    expect(() => checkAcceptMap({ SD118: 3 }, fail)).toThrow(/SD118: expected a reason/);
    expect(() => checkAcceptMap({ sd118: 'x' }, fail)).toThrow(/sd118: "sd118" is not a rule id/);
    expect(() => checkAcceptMap({ SD999: 'x' }, fail)).toThrow(/there is no rule SD999/);
    expect(() => checkAcceptMap({ SD111: 'x' }, fail)).toThrow(/SD111: SD111 alone would accept every SD111 finding/);
  });
  it('records who accepted', () => {
    expect(acceptsFromMap({ SD118: 'r' }, { kind: 'project', file: '/p/.safedock.yaml' })).toEqual([
      { rule: 'SD118', key: 'SD118', reason: 'r', by: { kind: 'project', file: '/p/.safedock.yaml' } },
    ]);
    expect(acceptsFromMap({ 'SD111:NET_ADMIN': 'r' }, { kind: 'flag' })).toEqual([
      { rule: 'SD111', item: 'NET_ADMIN', key: 'SD111:NET_ADMIN', reason: 'r', by: { kind: 'flag' } },
    ]);
    expect(acceptsFromMap(undefined, { kind: 'flag' })).toEqual([]);
  });
});

describe('policy mode', () => {
  it.each([
    [undefined, {}, true, 'ask'],
    [undefined, {}, false, 'enforce'],
    [undefined, { CI: 'true' }, true, 'enforce'],
    [undefined, { CI: '1' }, true, 'enforce'],
    [undefined, { CI: 'false' }, true, 'ask'],
    [undefined, { CI: '0' }, true, 'ask'],
    [undefined, { CI: '' }, true, 'ask'],
    [undefined, { SAFEDOCK_POLICY: 'warn' }, false, 'warn'],
    [undefined, { SAFEDOCK_POLICY: 'ENFORCE' }, true, 'enforce'],
    ['warn', { CI: 'true' }, false, 'warn'],
    ['ask', {}, false, 'ask'],
    ['enforce', { SAFEDOCK_POLICY: 'warn' }, true, 'enforce'],
  ] as const)('--policy %s with %j, terminal %s: %s', (flag, env, terminal, mode) => {
    expect(resolveMode(flag, env, terminal)).toBe(mode);
  });
  it('names the allowed values', () => {
    expect(() => resolveMode('strict', {}, true)).toThrow(
      'invalid argument "strict" for "--policy" flag: expected one of warn, ask, enforce',
    );
    expect(() => resolveMode(undefined, { SAFEDOCK_POLICY: 'off' }, true)).toThrow(
      'invalid argument "off" for SAFEDOCK_POLICY',
    );
  });
  it('CI', () => {
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CI: 'FALSE' })).toBe(false);
    expect(isCi({})).toBe(false);
  });
});

describe('decide', () => {
  const all = [
    finding('SD101', 'critical'),
    finding('SD118', 'high'),
    finding('SD126', 'medium'),
    finding('SD119', 'low'),
    finding('SD132', 'info', 'img'),
  ];
  it('high and critical need consent; low and medium warn; info is neither', () => {
    const d = decide(all, [], 'enforce');
    expect(d.verdict).toBe('refuse');
    expect(d.blocking.map((f) => f.rule)).toEqual(['SD101', 'SD118']);
    expect(d.warnings.map((f) => f.rule)).toEqual(['SD101', 'SD118', 'SD126', 'SD119']);
    expect(d.warned).toEqual([]);
    expect(decide(all, [], 'ask').verdict).toBe('ask');
    expect(decide(all, [], 'warn').verdict).toBe('proceed');
  });
  it('accepted findings do not block, whoever accepted them', () => {
    const accepts = [accept('SD101', 'flag'), accept('SD118', 'project', { kind: 'project', file: 'f' })];
    const d = decide(all, accepts, 'enforce');
    expect(d.verdict).toBe('proceed');
    expect(d.accepted.map((f) => [f.rule, f.acceptance.reason])).toEqual([
      ['SD101', 'flag'],
      ['SD118', 'project'],
    ]);
    expect(d.warnings.map((f) => f.rule)).toEqual(['SD126', 'SD119']);
  });
  it('the command line reason wins over the project and the preset', () => {
    const accepts = [
      accept('SD118', 'preset', PRESET),
      accept('SD118', 'project', { kind: 'project', file: 'f' }),
      accept('SD118', 'flag'),
    ];
    expect(decide([finding('SD118', 'high')], accepts, 'enforce').accepted[0]?.acceptance.reason).toBe('flag');
    expect(decide([finding('SD118', 'high')], accepts.slice(0, 2), 'enforce').accepted[0]?.acceptance.reason).toBe(
      'project',
    );
  });
  it('an accept from the command line that matched nothing is reported by its key', () => {
    const d = decide(
      [finding('SD119', 'low'), finding('SD111', 'high', 'NET_ADMIN')],
      [accept('SD104', 'r'), accept('SD111:SYS_TIME', 'r'), accept('SD105', 'r', { kind: 'project', file: 'f' })],
      'enforce',
    );
    expect(d.unused.map((a) => a.key)).toEqual(['SD104', 'SD111:SYS_TIME']);
    expect(decisionToText(d)).toContain('--accept SD104 matched nothing in this run');
    expect(decisionToText(d)).toContain('--accept SD111:SYS_TIME matched nothing in this run');
  });
  it('a yes on the terminal accepts what blocked, each by its own key', () => {
    const d = acceptOnTerminal(
      decide([...all, finding('SD111', 'critical', 'SYS_ADMIN')], [], 'ask'),
      'confirmed on the terminal',
    );
    expect(d.verdict).toBe('proceed');
    expect(d.blocking).toEqual([]);
    expect(d.accepted.map((f) => [f.key, f.acceptance.key, f.acceptance.by.kind])).toEqual([
      ['SD101', 'SD101', 'terminal'],
      ['SD118', 'SD118', 'terminal'],
      ['SD111:SYS_ADMIN', 'SD111:SYS_ADMIN', 'terminal'],
    ]);
    expect(d.warnings.map((f) => f.rule)).toEqual(['SD126', 'SD119']);
  });
  it('text: grouped by severity, each with its key and fix; the refusal names the keys to accept', () => {
    const d = decide([...all, finding('SD111', 'critical', 'SYS_ADMIN')], [], 'enforce');
    const text = decisionToText(d);
    expect(text).toMatch(
      /^safedock: risky settings in this run \(2 critical, 1 high, 1 medium, 1 low\):\n {2}CRITICAL\n {4}SD101 {2}title of SD101: detail of SD101 \(from your flags\)\n {11}fix: fix SD101\n/,
    );
    expect(text).toContain('    SD111:SYS_ADMIN  title of SD111');
    expect(text).not.toContain('SD132');
    const refusal = refusalText(d, 'no terminal to ask on');
    expect(refusal).toContain(
      'refused: 3 high or critical findings not accepted (no terminal to ask on); nothing was created.',
    );
    expect(refusal).toContain(
      '--accept SD101 --accept SD118 --accept SD111:SYS_ADMIN --reason "why this is acceptable here"',
    );
    expect(refusal).toContain('accept: { SD118: "why" }');
    expect(refusal).toContain('SD101, SD111:SYS_ADMIN are critical: no preset or project file can accept them');
    // warn refuses critical findings under CI: the refusal offers only what works everywhere.
    expect(refusal).not.toContain('--policy warn');
  });
  it('the refusal offers --policy warn only when no blocking finding is critical', () => {
    const high = decide([finding('SD118', 'high')], [], 'enforce');
    expect(refusalText(high, 'no terminal to ask on')).toContain('or report only:       --policy warn');
    const critical = decide([finding('SD111', 'critical', 'SYS_ADMIN'), finding('SD118', 'high')], [], 'enforce');
    const refusal = refusalText(critical, 'no terminal to ask on');
    expect(refusal).not.toContain('--policy warn');
    expect(refusal).toContain('--accept SD111:SYS_ADMIN --accept SD118 --reason "why this is acceptable here"');
    expect(refusal).toContain('Fix the settings named above');
  });
  it('nothing to say: no output', () => {
    expect(decisionToText(decide([finding('SD132', 'info', 'img')], [], 'enforce'))).toBe('');
  });
});

describe('acceptance by key', () => {
  const vpn = finding('SD111', 'high', 'NET_ADMIN');
  const all = finding('SD111', 'critical', 'ALL');
  const krb = finding('SD121', 'high', '/etc/krb5.conf:/etc/krb5.conf');
  const root = finding('SD121', 'high', '/:/host');

  it('--accept SD111:NET_ADMIN accepts NET_ADMIN, not --cap-add ALL in the same run', () => {
    const d = decide([all, vpn], [accept('SD111:NET_ADMIN', 'VPN needs NET_ADMIN')], 'enforce');
    expect(d.accepted.map((f) => f.key)).toEqual(['SD111:NET_ADMIN']);
    expect(d.blocking.map((f) => f.key)).toEqual(['SD111:ALL']);
    expect(d.verdict).toBe('refuse');
  });
  it('accepting one read-only mount does not cover -v /:/host:ro', () => {
    const d = decide([krb, root], [accept('SD121:/etc/krb5.conf:/etc/krb5.conf', 'kerberos')], 'enforce');
    expect(d.accepted.map((f) => f.key)).toEqual(['SD121:/etc/krb5.conf:/etc/krb5.conf']);
    expect(d.blocking.map((f) => f.key)).toEqual(['SD121:/:/host']);
  });
  it('the same from the project config', () => {
    const project: Acceptance['by'] = { kind: 'project', file: '/p/.safedock.yaml' };
    const d = decide(
      [all, vpn, krb, root],
      acceptsFromMap(
        checkAcceptMap({ 'SD111:NET_ADMIN': 'vpn', 'SD121:/etc/krb5.conf:/etc/krb5.conf': 'krb' }, () => {
          throw new Error('bad');
        }),
        project,
      ),
      'enforce',
    );
    expect(d.accepted.map((f) => f.key).sort()).toEqual(['SD111:NET_ADMIN', 'SD121:/etc/krb5.conf:/etc/krb5.conf']);
    expect(d.blocking.map((f) => f.key)).toEqual(['SD111:ALL', 'SD121:/:/host']);
  });
  it('a bare id of a rule below critical accepts every finding of it, and says so', () => {
    const d = decide([krb, root], [accept('SD121', 'read-only is fine here')], 'enforce');
    expect(d.accepted.map((f) => f.key)).toEqual(['SD121:/etc/krb5.conf:/etc/krb5.conf', 'SD121:/:/host']);
    expect(decisionToText(d)).toContain('safedock: accepted SD121 (every finding) by --accept');
    expect(acceptedToText(d.accepted)).toEqual([
      'SD121  title of SD121: read-only is fine here (by --accept; accepts every SD121 finding: SD121:/etc/krb5.conf:/etc/krb5.conf, SD121:/:/host)',
    ]);
  });
  it('a key wins over a bare id of the same author', () => {
    const d = decide(
      [krb],
      [accept('SD121', 'any'), accept('SD121:/etc/krb5.conf:/etc/krb5.conf', 'this one')],
      'enforce',
    );
    expect(d.accepted[0]?.acceptance.reason).toBe('this one');
    expect(d.unused.map((a) => a.key)).toEqual([]);
  });
  it("a preset's acceptance covers its own settings, the image's and docker's defaults, never your flags", () => {
    const fromImage = finding('SD118', 'high', undefined, 'image');
    const fromFlag = finding('SD118', 'high', undefined, 'user');
    const ownCaps = finding('SD112', 'low', 'CHOWN', 'preset');
    const yourCaps = finding('SD112', 'low', 'NET_RAW', 'user');
    const accepts = [accept('SD118', 'keeps the image user', PRESET), accept('SD112', 'its six capabilities', PRESET)];
    expect(decide([fromImage], accepts, 'enforce').verdict).toBe('proceed');
    expect(
      decide([finding('SD119', 'low', undefined, 'default')], [accept('SD119', 'r', PRESET)], 'enforce').accepted,
    ).toHaveLength(1);
    const d = decide([fromFlag, ownCaps, yourCaps], accepts, 'enforce');
    expect(d.accepted.map((f) => f.key)).toEqual(['SD112:CHOWN']);
    expect(d.blocking.map((f) => [f.key, f.origin])).toEqual([['SD118', 'user']]);
    expect(d.warnings.map((f) => f.key)).toEqual(['SD118', 'SD112:NET_RAW']);
    expect(decisionToText(decide([fromImage], accepts, 'enforce'))).toContain(
      'safedock: accepted SD118 by preset compat (c)',
    );
    expect(acceptedToText(decide([fromImage], accepts, 'enforce').accepted)).toEqual([
      'SD118  title of SD118: keeps the image user (by preset compat (c), for settings from the image)',
    ]);
  });
});

describe('warn mode leaves a trace', () => {
  const sysAdmin = finding('SD111', 'critical', 'SYS_ADMIN');
  const root = finding('SD118', 'high');
  const medium = finding('SD126', 'medium');

  it('high and critical findings that run under warn are warned-through, with where warn came from', () => {
    const d = decide([sysAdmin, root, medium], [], 'warn', { modeFrom: 'SAFEDOCK_POLICY' });
    expect(d.verdict).toBe('proceed');
    expect(d.warned.map((f) => f.key)).toEqual(['SD111:SYS_ADMIN', 'SD118']);
    expect(d.blocking).toEqual([]);
    expect(decisionLabels(d)).toEqual({
      'io.safedock.warned': '{"mode":"warn","from":"SAFEDOCK_POLICY","keys":["SD111:SYS_ADMIN","SD118"]}',
    });
    expect(decisionToText(d)).toContain(
      'running under --policy warn (from SAFEDOCK_POLICY) with SD111:SYS_ADMIN, SD118 not accepted; recorded in the label io.safedock.warned',
    );
  });
  it('under CI, warn still needs --accept for a critical finding; high ones run, warned-through', () => {
    const d = decide([sysAdmin, root], [], 'warn', { modeFrom: 'SAFEDOCK_POLICY', ci: true });
    expect(d.verdict).toBe('refuse');
    expect(d.blocking.map((f) => f.key)).toEqual(['SD111:SYS_ADMIN']);
    expect(d.warned.map((f) => f.key)).toEqual(['SD118']);
    const refusal = refusalText(d, 'CI is set');
    expect(refusal).toContain('refused: 1 critical finding not accepted (CI is set)');
    expect(refusal).toContain('--accept SD111:SYS_ADMIN');
    expect(refusal).not.toContain('--policy warn');
    const accepted = decide([sysAdmin, root], [accept('SD111:SYS_ADMIN', 'fuse')], 'warn', { ci: true });
    expect(accepted.verdict).toBe('proceed');
    expect(accepted.warned.map((f) => f.key)).toEqual(['SD118']);
  });
  it('the pass-through preset sends what docker sends: no warned-through label, CI still refuses critical ones', () => {
    const d = decide([sysAdmin, root], [], 'warn', { modeFrom: '--policy', traceWarn: false });
    expect([d.verdict, d.warned, decisionLabels(d)]).toEqual(['proceed', [], {}]);
    expect(decide([sysAdmin], [], 'warn', { traceWarn: false, ci: true }).verdict).toBe('refuse');
  });

  it('nothing warned-through: no label', () => {
    expect(decisionLabels(decide([medium], [], 'warn'))).toEqual({});
    expect(decisionLabels(decide([sysAdmin], [], 'enforce'))).toEqual({});
  });
});

describe('labels of accepted findings', () => {
  it('the rule list and per-rule reason labels, and every key with its reason, author and origin', () => {
    const d = decide(
      [finding('SD111', 'critical', 'SYS_PTRACE'), finding('SD111', 'high', 'NET_ADMIN'), finding('SD118', 'high')],
      [
        accept('SD118', 'drops root'),
        accept('SD111:NET_ADMIN', 'needs net admin', { kind: 'project', file: '/p/.safedock.yaml' }),
        accept('SD111:SYS_PTRACE', 'needs ptrace'),
      ],
      'enforce',
    );
    const labels = acceptedLabels(d.accepted);
    expect(labels).toMatchObject({
      'io.safedock.accepted': 'SD111,SD118',
      'io.safedock.accepted.SD111': 'needs ptrace (--accept)',
      'io.safedock.accepted.SD118': 'drops root (--accept)',
    });
    expect(JSON.parse(labels['io.safedock.accepted.keys'] ?? '')).toEqual({
      'SD111:NET_ADMIN': {
        reason: 'needs net admin',
        by: 'the project config /p/.safedock.yaml',
        accepted: 'SD111:NET_ADMIN',
        origin: 'user',
      },
      'SD111:SYS_PTRACE': { reason: 'needs ptrace', by: '--accept', accepted: 'SD111:SYS_PTRACE', origin: 'user' },
      SD118: { reason: 'drops root', by: '--accept', accepted: 'SD118', origin: 'user' },
    });
    expect(acceptedLabels([])).toEqual({});
  });

  it("a run also records its preset, except the pass-through one (its request must equal docker run's)", () => {
    const d = decide([finding('SD118', 'high')], [accept('SD118', 'drops root')], 'enforce');
    expect(runLabels(d.accepted, 'strict')).toEqual({
      'io.safedock.preset': 'strict',
      'io.safedock.accepted': 'SD118',
      'io.safedock.accepted.SD118': 'drops root (--accept)',
      'io.safedock.accepted.keys': JSON.stringify({
        SD118: { reason: 'drops root', by: '--accept', accepted: 'SD118', origin: 'user' },
      }),
    });
    expect(runLabels([], 'compat')).toEqual({ 'io.safedock.preset': 'compat' });
    expect(runLabels([], 'none')).toEqual({});
    expect(runLabels(d.accepted, 'none')).toEqual(acceptedLabels(d.accepted));
  });

  it('every io.safedock.* label is reserved', () => {
    for (const key of ['io.safedock.accepted', 'io.safedock.accepted.SD118', 'io.safedock.preset', 'io.safedock.x'])
      expect(isReservedLabel(key)).toBe(true);
    for (const key of ['io.safedock', 'com.example.io.safedock.x', 'safedock.test'])
      expect(isReservedLabel(key)).toBe(false);
  });

  it('a bare id records each key it covered', () => {
    const d = decide(
      [finding('SD112', 'low', 'CHOWN', 'preset'), finding('SD112', 'low', 'SETUID', 'preset')],
      [accept('SD112', 'six capabilities', PRESET)],
      'enforce',
    );
    const keys = JSON.parse(acceptedLabels(d.accepted)['io.safedock.accepted.keys'] ?? '') as Record<string, unknown>;
    expect(Object.keys(keys)).toEqual(['SD112:CHOWN', 'SD112:SETUID']);
    expect(keys['SD112:CHOWN']).toMatchObject({ accepted: 'SD112', by: 'preset compat (c)', origin: 'preset' });
  });
  it('the keys and warned labels are reserved too', () => {
    for (const key of ['io.safedock.accepted.keys', 'io.safedock.warned']) expect(isReservedLabel(key)).toBe(true);
  });
});

describe('--secret NAME=FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'safedock-secret-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'db.txt'), 'hunter2\n');
  chmodSync(join(dir, 'db.txt'), 0o600);
  writeFileSync(join(dir, 'a,b "c".txt'), 'x');
  chmodSync(join(dir, 'a,b "c".txt'), 0o644);
  mkdirSync(join(dir, 'folder'));
  symlinkSync(join(dir, 'db.txt'), join(dir, 'link'));

  it('mounts the file read-only at /run/secrets/NAME, relative paths from the working directory', () => {
    const [s] = parseSecrets(['db_password=db.txt'], dir);
    expect(s).toMatchObject({ name: 'db_password', file: join(dir, 'db.txt'), target: '/run/secrets/db_password' });
    expect(secretOptions(parseSecrets(['db_password=db.txt'], dir))).toEqual([
      { name: 'mount', value: `type=bind,source=${join(dir, 'db.txt')},target=/run/secrets/db_password,readonly` },
    ]);
  });
  it('quotes file names as --mount reads them back', () => {
    const [option] = secretOptions(parseSecrets(['k=a,b "c".txt'], dir));
    expect(readCsvRecord(option?.value ?? '')).toEqual([
      'type=bind',
      `source=${join(dir, 'a,b "c".txt')}`,
      'target=/run/secrets/k',
      'readonly',
    ]);
  });
  it('follows a symlink to a file', () => expect(parseSecrets([`k=${join(dir, 'link')}`], dir)).toHaveLength(1));
  it.each([
    ['db', /expected NAME=FILE/],
    ['db=', /expected NAME=FILE/],
    ['=db.txt', /the name "" must be letters/],
    ['a/b=db.txt', /the name "a\/b" must be letters/],
    ['.x=db.txt', /the name ".x" must be letters/],
    ['k=missing.txt', /cannot read .*missing\.txt: no such file/],
    ['k=folder', /folder is not a regular file/],
  ])('refuses %s', (value, message) => {
    expect(() => parseSecrets([value], dir)).toThrow(UsageError);
    expect(() => parseSecrets([value], dir)).toThrow(message);
  });
  it('refuses a name given twice', () =>
    expect(() => parseSecrets(['k=db.txt', 'k=link'], dir)).toThrow(/the secret k is given twice/));
  it('warns when the container user may not read the file', () => {
    const secrets = parseSecrets(['db=db.txt'], dir);
    expect(secretNotes(secrets, '65534:65534')).toEqual([
      expect.stringMatching(
        /^the container runs as 65534:65534 and may not read \/run\/secrets\/db: .*db\.txt is not readable by others \(chown it to 65534\)$/,
      ) as string,
    ]);
    expect(secretNotes(secrets, '0')).toEqual([]);
    expect(secretNotes(secrets, '')).toEqual([]);
    expect(secretNotes(parseSecrets(['k=a,b "c".txt'], dir), '65534')).toEqual([]);
  });
});

describe('findings and refusals within the width', () => {
  const longest = (lines: readonly string[]): number => Math.max(...lines.map((l) => l.length));
  const longKey = finding('SD120', 'critical', `/srv/${'deeply/nested/'.repeat(2)}data:/container/data/point`);
  const many = ['SD111', 'SD112', 'SD113', 'SD114'].map((id) => finding(id, 'high', `/var/lib/app/${id}/a b`));

  it('a finding key too long to share its line gets a line of its own, the text under the fix', () => {
    const lines = findingsToText([longKey], '  ', 80);
    expect(longest(lines)).toBeLessThanOrEqual(80);
    expect(lines[1]).toBe(`    ${longKey.key}`);
    expect(lines[2]).toMatch(/^ {16}title of SD120: detail of SD120/);
    expect(lines.some((l) => l.startsWith('           fix: fix SD120'))).toBe(true);
    // Short keys keep their text beside them.
    expect(findingsToText([finding('SD118', 'high')], '  ', 80)[1]).toMatch(/^ {4}SD118 {2}title of SD118/);
  });

  it("the run's stderr and its refusal wrap at the width, each --accept whole and pastable", () => {
    const d = decide([longKey, ...many], [], 'enforce');
    const text = decisionToText(d, { columns: 80 }).split('\n');
    expect(longest(text)).toBeLessThanOrEqual(80);
    const refusal = refusalText(d, 'no terminal to ask on', undefined, 80).split('\n');
    expect(longest(refusal)).toBeLessThanOrEqual(80);
    // The command line's lines (the critical note's prose also says --accept).
    const acceptLines = refusal.filter((l) => /^\s+--(accept|reason) /.test(l));
    // Each --accept whole on one line: the long key's under the label, the others under the first.
    expect(acceptLines).toContain(`      --accept ${longKey.key}`);
    for (const f of many) expect(acceptLines.join('\n')).toContain(`--accept '${f.key}'`);
    expect(acceptLines.every((l) => l.startsWith('      --accept') || l.startsWith(' '.repeat(24)))).toBe(true);
    // Unwrapped without a width, as before.
    expect(refusalText(d, 'x')).toContain(`--accept ${longKey.key} --accept '${many[0]?.key ?? ''}'`);
  });

  it('at the width of a wide terminal, lines fill it', () => {
    const d = decide([longKey, ...many], [], 'enforce');
    expect(longest(refusalText(d, 'x', undefined, 200).split('\n'))).toBeGreaterThan(100);
  });
});
