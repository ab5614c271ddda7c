import { mkdtempSync, rmSync, symlinkSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acceptsFromFlags, acceptsFromMap, checkAcceptMap, type Acceptance } from '../../../src/policy/accept.js';
import { acceptOnTerminal, decide } from '../../../src/policy/decide.js';
import { acceptedLabels, isReservedLabel, runLabels } from '../../../src/policy/labels.js';
import { isCi, resolveMode } from '../../../src/policy/mode.js';
import { decisionToText, refusalText } from '../../../src/policy/render.js';
import type { Finding, Severity } from '../../../src/policy/types.js';
import { UsageError } from '../../../src/errors.js';
import { parseSecrets, secretNotes, secretOptions } from '../../../src/docker-cli/secrets.js';
import { readCsvRecord } from '../../../src/grammar/csv.js';

const finding = (rule: string, severity: Severity): Finding => ({
  rule: rule as Finding['rule'],
  severity,
  title: `title of ${rule}`,
  detail: `detail of ${rule}`,
  fix: `fix ${rule}`,
  origin: 'user',
});

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
  ])('%j with %j', (accept, reason, expected) => {
    expect(acceptsFromFlags(accept, reason).map((a) => [a.rule, a.reason])).toEqual(expected);
    expect(acceptsFromFlags(accept, reason).every((a) => a.by.kind === 'flag')).toBe(true);
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
  ])('refuses %j with %j', (accept, reason, message) => {
    expect(() => acceptsFromFlags(accept, reason)).toThrow(UsageError);
    expect(() => acceptsFromFlags(accept, reason)).toThrow(message);
  });
});

describe('accept: maps (project config, preset)', () => {
  const fail = (key: string | undefined, message: string): never => {
    throw new Error(`${key ?? '(accept)'}: ${message}`);
  };
  it('checks ids and reasons', () => {
    expect(checkAcceptMap({ SD118: ' drops root ', SD119: 'writes its files' }, fail)).toEqual({
      SD118: 'drops root',
      SD119: 'writes its files',
    });
    expect(() => checkAcceptMap(['SD118'], fail)).toThrow(/\(accept\): expected a mapping of rule id to reason/);
    expect(() => checkAcceptMap({ SD118: '' }, fail)).toThrow(/SD118: expected a reason/);
    expect(() => checkAcceptMap({ SD118: 3 }, fail)).toThrow(/SD118: expected a reason/);
    expect(() => checkAcceptMap({ sd118: 'x' }, fail)).toThrow(/sd118: "sd118" is not a rule id/);
    expect(() => checkAcceptMap({ SD999: 'x' }, fail)).toThrow(/there is no rule SD999/);
  });
  it('records who accepted', () => {
    expect(acceptsFromMap({ SD118: 'r' }, { kind: 'project', file: '/p/.safedock.yaml' })).toEqual([
      { rule: 'SD118', reason: 'r', by: { kind: 'project', file: '/p/.safedock.yaml' } },
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
    finding('SD132', 'info'),
  ];
  it('high and critical need consent; low and medium warn; info is neither', () => {
    const d = decide(all, [], 'enforce');
    expect(d.verdict).toBe('refuse');
    expect(d.blocking.map((f) => f.rule)).toEqual(['SD101', 'SD118']);
    expect(d.warnings.map((f) => f.rule)).toEqual(['SD101', 'SD118', 'SD126', 'SD119']);
    expect(decide(all, [], 'ask').verdict).toBe('ask');
    expect(decide(all, [], 'warn').verdict).toBe('proceed');
  });
  it('accepted findings do not block, whoever accepted them', () => {
    const accepts: Acceptance[] = [
      { rule: 'SD101', reason: 'flag', by: { kind: 'flag' } },
      { rule: 'SD118', reason: 'project', by: { kind: 'project', file: 'f' } },
    ];
    const d = decide(all, accepts, 'enforce');
    expect(d.verdict).toBe('proceed');
    expect(d.accepted.map((f) => [f.rule, f.acceptance.reason])).toEqual([
      ['SD101', 'flag'],
      ['SD118', 'project'],
    ]);
    expect(d.warnings.map((f) => f.rule)).toEqual(['SD126', 'SD119']);
  });
  it('the command line reason wins over the project and the preset', () => {
    const accepts: Acceptance[] = [
      { rule: 'SD118', reason: 'preset', by: { kind: 'preset', preset: 'compat', file: 'c' } },
      { rule: 'SD118', reason: 'project', by: { kind: 'project', file: 'f' } },
      { rule: 'SD118', reason: 'flag', by: { kind: 'flag' } },
    ];
    expect(decide([finding('SD118', 'high')], accepts, 'enforce').accepted[0]?.acceptance.reason).toBe('flag');
    expect(decide([finding('SD118', 'high')], accepts.slice(0, 2), 'enforce').accepted[0]?.acceptance.reason).toBe(
      'project',
    );
  });
  it('an accept from the command line that matched nothing is reported', () => {
    const d = decide(
      [finding('SD119', 'low')],
      [
        { rule: 'SD104', reason: 'r', by: { kind: 'flag' } },
        { rule: 'SD105', reason: 'r', by: { kind: 'project', file: 'f' } },
      ],
      'enforce',
    );
    expect(d.unused.map((a) => a.rule)).toEqual(['SD104']);
    expect(decisionToText(d)).toContain('--accept SD104 matched nothing in this run');
  });
  it('a yes on the terminal accepts what blocked', () => {
    const d = acceptOnTerminal(decide(all, [], 'ask'), 'confirmed on the terminal');
    expect(d.verdict).toBe('proceed');
    expect(d.blocking).toEqual([]);
    expect(d.accepted.map((f) => [f.rule, f.acceptance.by.kind])).toEqual([
      ['SD101', 'terminal'],
      ['SD118', 'terminal'],
    ]);
    expect(d.warnings.map((f) => f.rule)).toEqual(['SD126', 'SD119']);
  });
  it('text: grouped by severity, each with its fix; the refusal names the ways forward', () => {
    const d = decide(all, [], 'enforce');
    const text = decisionToText(d);
    expect(text).toMatch(
      /^safedock: risky settings in this run \(1 critical, 1 high, 1 medium, 1 low\):\n {2}CRITICAL\n {4}SD101 {2}title of SD101: detail of SD101 \(from your flags\)\n {11}fix: fix SD101\n {2}HIGH\n/,
    );
    expect(text).not.toContain('SD132');
    const refusal = refusalText(d, 'no terminal to ask on');
    expect(refusal).toContain(
      'refused: 2 high or critical findings not accepted (no terminal to ask on); nothing was created.',
    );
    expect(refusal).toContain('--accept SD101 --accept SD118 --reason "why this is acceptable here"');
    expect(refusal).toContain('accept: { SD118: "why" }');
    expect(refusal).toContain('SD101 is critical: no preset or project file can accept it');
    expect(refusal).toContain('--policy warn');
  });
  it('nothing to say: no output', () => {
    expect(decisionToText(decide([finding('SD132', 'info')], [], 'enforce'))).toBe('');
  });
});

describe('labels of accepted findings', () => {
  it('one list label, one reason label per rule, nothing when nothing was accepted', () => {
    const d = decide(
      [finding('SD111', 'high'), finding('SD111', 'high'), finding('SD118', 'high')],
      [
        { rule: 'SD118', reason: 'drops root', by: { kind: 'flag' } },
        { rule: 'SD111', reason: 'needs net admin', by: { kind: 'project', file: '/p/.safedock.yaml' } },
      ],
      'enforce',
    );
    expect(acceptedLabels(d.accepted)).toEqual({
      'io.safedock.accepted': 'SD111,SD118',
      'io.safedock.accepted.SD111': 'needs net admin (the project config /p/.safedock.yaml)',
      'io.safedock.accepted.SD118': 'drops root (--accept)',
    });
    expect(acceptedLabels([])).toEqual({});
  });

  it("a run also records its preset, except the pass-through one (its request must equal docker run's)", () => {
    const d = decide(
      [finding('SD118', 'high')],
      [{ rule: 'SD118', reason: 'drops root', by: { kind: 'flag' } }],
      'enforce',
    );
    expect(runLabels(d.accepted, 'strict')).toEqual({
      'io.safedock.preset': 'strict',
      'io.safedock.accepted': 'SD118',
      'io.safedock.accepted.SD118': 'drops root (--accept)',
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
