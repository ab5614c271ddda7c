import { describe, expect, it } from 'vitest';
import { SafedockError } from '../../../src/errors.js';
import {
  type SeccompProfile,
  checkSeccompProfile,
  checkSeccompText,
  compactProfile,
  evaluateSyscall,
  isSyscall,
  renderSeccompCheck,
  syscallArches,
  validateSeccompProfile,
} from '../../../src/seccomp/index.js';
import { AARCH64_SYSCALLS } from '../../../src/seccomp/syscalls-aarch64.js';
import { X86_64_SYSCALLS } from '../../../src/seccomp/syscalls-x86_64.js';

/**
 * A valid profile with fields replaced; an undefined value removes the field (the JSON round trip
 * drops it, and what it parses back is the object literal, so the cast holds).
 */
const ok = (over: Record<string, unknown> = {}, rule: Record<string, unknown> = {}): Record<string, unknown> =>
  JSON.parse(
    JSON.stringify({
      defaultAction: 'SCMP_ACT_ERRNO',
      defaultErrnoRet: 1,
      architectures: ['SCMP_ARCH_X86_64'],
      syscalls: [{ names: ['read', 'write'], action: 'SCMP_ACT_ALLOW', ...rule }],
      ...over,
    }),
  ) as Record<string, unknown>;
const problems = (json: unknown): string[] =>
  checkSeccompProfile(json, 'p.json').problems.map((p) => (p.path === '' ? p.message : `${p.path}: ${p.message}`));

describe('validateSeccompProfile: problems', () => {
  const rows: [string, unknown, string[]][] = [
    [
      'misspelled syscall, with a suggestion',
      ok({
        syscalls: [
          { names: ['read'], action: 'SCMP_ACT_ALLOW' },
          { names: ['write'], action: 'SCMP_ACT_ALLOW' },
          { names: ['close'], action: 'SCMP_ACT_ALLOW' },
          { names: ['read', 'write', 'opneat'], action: 'SCMP_ACT_ALLOW' },
        ],
      }),
      [
        'syscalls[3].names[2]: unknown syscall "opneat" (not on x86_64 or aarch64), which the engine would silently skip; did you mean "openat"?',
      ],
    ],
    [
      'unknown syscall without a near name',
      ok({}, { names: ['frobnicate_everything'] }),
      [
        'syscalls[0].names[0]: unknown syscall "frobnicate_everything" (not on x86_64 or aarch64), which the engine would silently skip; check the spelling against the kernel\'s syscall table',
      ],
    ],
    [
      'the empty profile',
      {},
      [
        'the profile is empty, and the engine runs a container without seccomp for "{}"; add "defaultAction": "SCMP_ACT_ERRNO" and a "syscalls" allow-list',
      ],
    ],
    [
      'an allowing default',
      ok({ defaultAction: 'SCMP_ACT_ALLOW' }),
      [
        'defaultAction: SCMP_ACT_ALLOW does not refuse the syscalls the profile leaves out; use "SCMP_ACT_ERRNO" (with "defaultErrnoRet": 1) and list the syscalls to allow',
      ],
    ],
    [
      'a logging default',
      ok({ defaultAction: 'SCMP_ACT_LOG' }),
      [
        'defaultAction: SCMP_ACT_LOG does not refuse the syscalls the profile leaves out; use "SCMP_ACT_ERRNO" (with "defaultErrnoRet": 1) and list the syscalls to allow',
      ],
    ],
    [
      'a bad action',
      ok({}, { action: 'SCMP_ACT_ALLOWED' }),
      ['syscalls[0].action: "SCMP_ACT_ALLOWED" is not a seccomp action; did you mean "SCMP_ACT_ALLOW"?'],
    ],
    [
      'a bad action with no near name',
      ok({}, { action: 'PERMIT' }),
      [
        'syscalls[0].action: "PERMIT" is not a seccomp action; use one of SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_ERRNO, SCMP_ACT_TRACE, SCMP_ACT_ALLOW, SCMP_ACT_LOG, SCMP_ACT_NOTIFY',
      ],
    ],
    [
      'a bad comparison',
      ok({}, { args: [{ index: 0, value: 1, op: 'SCMP_CMP_NEQ' }] }),
      ['syscalls[0].args[0].op: "SCMP_CMP_NEQ" is not a comparison; did you mean "SCMP_CMP_NE"?'],
    ],
    [
      'an argument index out of range',
      ok({}, { args: [{ index: 6, value: 1, op: 'SCMP_CMP_EQ' }] }),
      ['syscalls[0].args[0].index: expected an argument number from 0 to 5, found the number 6'],
    ],
    [
      'a bad architecture',
      ok({ architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_AMD64'] }),
      ['architectures[1]: "SCMP_ARCH_AMD64" is not a seccomp architecture; did you mean "SCMP_ARCH_X86_64"?'],
    ],
    [
      'a bad sub-architecture',
      ok({
        architectures: undefined,
        archMap: [{ architecture: 'SCMP_ARCH_AARCH64', subArchitectures: ['SCMP_ARCH_ARMM'] }],
      }),
      ['archMap[0].subArchitectures[0]: "SCMP_ARCH_ARMM" is not a seccomp architecture; did you mean "SCMP_ARCH_ARM"?'],
    ],
    [
      'architectures and archMap together',
      ok({ archMap: [{ architecture: 'SCMP_ARCH_X86_64', subArchitectures: [] }] }),
      ['archMap: "architectures" and "archMap" are mutually exclusive; keep one of them'],
    ],
    [
      'an unknown top-level field',
      ok({ defaultActon: 'SCMP_ACT_ERRNO' }),
      ['defaultActon: unknown field, which the engine ignores; did you mean "defaultAction"?'],
    ],
    [
      'an unknown rule field',
      ok({}, { why: 'x' }),
      [
        'syscalls[0].why: unknown field, which the engine ignores; remove it (known fields: names, name, action, errnoRet, args, comment, includes, excludes)',
      ],
    ],
    [
      'no defaultAction',
      ok({ defaultAction: undefined }),
      [
        'defaultAction: missing; add "defaultAction": "SCMP_ACT_ERRNO" so that syscalls the profile does not list are refused',
      ],
    ],
    [
      'no syscalls',
      ok({ syscalls: undefined }),
      [
        'syscalls: missing; list the syscalls to allow, e.g. [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"}]',
      ],
    ],
    [
      'an empty syscalls list',
      ok({ syscalls: [] }),
      ['syscalls: empty, so nothing is allowed; list the syscalls to allow'],
    ],
    [
      'defaultErrnoRet 0',
      ok({ defaultErrnoRet: 0 }),
      ['defaultErrnoRet: 0 makes every refused syscall report success; use 1 (EPERM) or 38 (ENOSYS)'],
    ],
    [
      'errnoRet on an ALLOW rule',
      ok({}, { errnoRet: 1 }),
      [
        'syscalls[0].errnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take "errnoRet", not SCMP_ACT_ALLOW; remove it or change the action',
      ],
    ],
    [
      'name and names together',
      ok({}, { name: 'read' }),
      ['syscalls[0]: has both "name" and "names", which the engine refuses; keep "names"'],
    ],
    [
      'an empty names list',
      ok({}, { names: [] }),
      ['syscalls[0].names: empty; list the syscalls this rule applies to, or remove the rule'],
    ],
    [
      'a rule without action',
      ok({}, { action: undefined }),
      ['syscalls[0]: has no "action"; add one, e.g. "action": "SCMP_ACT_ALLOW"'],
    ],
    [
      'a capability without CAP_',
      ok({}, { includes: { caps: ['SYS_ADMIN'] } }),
      ['syscalls[0].includes.caps[0]: "SYS_ADMIN" is not a capability; did you mean "CAP_SYS_ADMIN"?'],
    ],
    [
      'an SCMP name in includes.arches',
      ok({}, { includes: { arches: ['amd64', 'x86_64'] } }),
      [
        'syscalls[0].includes.arches[1]: "x86_64" is not an architecture name the engine matches here; use Go\'s names: amd64, 386, x32, arm64, arm, ppc64, ppc64le, s390, s390x, mips, mipsle, mips64, mips64le, mips64p32, mips64p32le, riscv64, loong64',
      ],
    ],
    [
      'NOTIFY without listenerPath',
      ok({}, { action: 'SCMP_ACT_NOTIFY' }),
      ['syscalls[0].action: SCMP_ACT_NOTIFY needs a top-level "listenerPath" for the engine to hand calls to'],
    ],
    ['an array', [], ['expected a JSON object with "defaultAction" and "syscalls", found an array']],
    ['null', null, ['expected a JSON object with "defaultAction" and "syscalls", found null']],
    [
      'a rule that is a string',
      ok({ syscalls: ['read'] }),
      ['syscalls[0]: expected an object with "names" and "action", found the string "read"'],
    ],
  ];
  it.each(rows)('%s', (_label, json, expected) => {
    expect(problems(json)).toEqual(expected);
  });

  it('throws a SafedockError naming the file, each path and what to do', () => {
    let err: unknown;
    try {
      validateSeccompProfile(ok({ defaultAction: 'SCMP_ACT_ALLOW' }, { names: ['reed'] }), 'my.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SafedockError);
    const e = err as SafedockError;
    expect(e.code).toBe('seccomp-invalid');
    expect(e.message).toBe(
      [
        'my.json: invalid seccomp profile (2 problems)',
        '  my.json: defaultAction: SCMP_ACT_ALLOW does not refuse the syscalls the profile leaves out; use "SCMP_ACT_ERRNO" (with "defaultErrnoRet": 1) and list the syscalls to allow',
        '  my.json: syscalls[0].names[0]: unknown syscall "reed" (not on x86_64 or aarch64), which the engine would silently skip; did you mean "read"?',
      ].join('\n'),
    );
    expect(e.hint).toBe('fix the profile; `safedock seccomp check my.json` checks it again');
  });

  it('reports bad JSON as a problem', () => {
    const check = checkSeccompText('{"defaultAction": ', 'x.json');
    expect(check.profile).toBeUndefined();
    expect(check.problems).toHaveLength(1);
    expect(check.problems[0]?.message).toMatch(/^not valid JSON \(.+\); fix the syntax$/);
  });
});

describe('validateSeccompProfile: accepted profiles and notes', () => {
  it('returns the typed profile, normalising "name" to "names"', () => {
    const p = validateSeccompProfile(
      { defaultAction: 'SCMP_ACT_KILL_PROCESS', syscalls: [{ name: 'read', action: 'SCMP_ACT_ALLOW', comment: 'x' }] },
      'p.json',
    );
    expect(p).toEqual({
      defaultAction: 'SCMP_ACT_KILL_PROCESS',
      syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW', comment: 'x' }],
    });
  });

  it.each(['SCMP_ACT_ERRNO', 'SCMP_ACT_KILL', 'SCMP_ACT_KILL_PROCESS', 'SCMP_ACT_KILL_THREAD', 'SCMP_ACT_TRAP'])(
    'accepts the denying default %s',
    (action) => {
      expect(problems(ok({ defaultAction: action }))).toEqual([]);
    },
  );

  it('notes a name that exists on one architecture only, without refusing it', () => {
    const check = checkSeccompProfile(ok({}, { names: ['read', 'arch_prctl', 'open'] }), 'p.json');
    expect(check.problems).toEqual([]);
    expect(check.notes).toContainEqual({
      path: 'syscalls',
      message: '2 name(s) exist only on x86_64 and are skipped on aarch64: arch_prctl, open',
    });
  });

  it('notes a rule that repeats the default action, and OR-ed conditions on one argument', () => {
    const check = checkSeccompProfile(
      ok({
        syscalls: [
          { names: ['ptrace'], action: 'SCMP_ACT_ERRNO' },
          {
            names: ['socket'],
            action: 'SCMP_ACT_ALLOW',
            args: [
              { index: 0, value: 1, op: 'SCMP_CMP_EQ' },
              { index: 0, value: 2, op: 'SCMP_CMP_EQ' },
            ],
          },
        ],
      }),
      'p.json',
    );
    expect(check.problems).toEqual([]);
    expect(check.notes.map((n) => n.path)).toEqual(['syscalls[1].args', 'syscalls[0]']);
  });

  it('notes a missing architecture list', () => {
    const check = checkSeccompProfile(ok({ architectures: undefined }), 'p.json');
    expect(check.notes.map((n) => n.message)).toEqual([
      'no "architectures" or "archMap": the filter covers only the native architecture, and 32-bit calls are killed',
    ]);
  });
});

describe('renderSeccompCheck', () => {
  it('prints one summary line for a valid profile', () => {
    const check = checkSeccompProfile(
      ok({
        architectures: undefined,
        archMap: [
          { architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86'] },
          { architecture: 'SCMP_ARCH_AARCH64', subArchitectures: [] },
        ],
      }),
      'p.json',
    );
    expect(renderSeccompCheck(check)).toEqual({
      stdout: ['p.json: valid (1 rule, default SCMP_ACT_ERRNO (errno 1), archs x86_64+x86, aarch64)'],
      stderr: [],
      exitCode: 0,
    });
  });
  it('prints each problem and a count, exit code 1', () => {
    const report = renderSeccompCheck(checkSeccompProfile({}, 'e.json'));
    expect(report.exitCode).toBe(1);
    expect(report.stdout).toEqual([]);
    expect(report.stderr).toEqual([
      'e.json: the profile is empty, and the engine runs a container without seccomp for "{}"; add "defaultAction": "SCMP_ACT_ERRNO" and a "syscalls" allow-list',
      'e.json: invalid (1 problem)',
    ]);
  });
});

describe('compactProfile', () => {
  it('removes whitespace outside strings only, keeping order and number spellings', () => {
    const text =
      '{\n  "defaultAction" : "SCMP_ACT_ERRNO",\r\n\t"syscalls": [ {"names": ["a b", "c\\" d"], "value": 18446744073709551615, "x": 1e3} ]\n}\n';
    expect(compactProfile(text)).toBe(
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["a b","c\\" d"],"value":18446744073709551615,"x":1e3}]}',
    );
  });
  it('refuses invalid JSON with a SafedockError', () => {
    expect(() => compactProfile('{"a": }', 'bad.json')).toThrow(/^bad\.json: not valid JSON: /);
  });
});

describe('evaluateSyscall semantics', () => {
  const p: SeccompProfile = {
    defaultAction: 'SCMP_ACT_ERRNO',
    syscalls: [
      { names: ['read'], action: 'SCMP_ACT_ALLOW' },
      { names: ['mount'], action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_SYS_ADMIN'] } },
      { names: ['ptrace'], action: 'SCMP_ACT_ALLOW', excludes: { arches: ['arm64'] } },
      {
        names: ['kill'],
        action: 'SCMP_ACT_ALLOW',
        args: [
          { index: 1, value: 9, op: 'SCMP_CMP_EQ' },
          { index: 1, value: 15, op: 'SCMP_CMP_EQ' },
        ],
      },
      {
        names: ['mmap'],
        action: 'SCMP_ACT_ALLOW',
        args: [
          { index: 2, value: 4, op: 'SCMP_CMP_MASKED_EQ', valueTwo: 0 },
          { index: 3, value: 0x20, op: 'SCMP_CMP_GE' },
        ],
      },
      { names: ['arch_prctl'], action: 'SCMP_ACT_ALLOW' },
      { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 },
      { names: ['close'], action: 'SCMP_ACT_LOG', includes: { minKernel: '5.10' } },
    ],
  };
  it('uses the default errno EPERM when the profile sets none', () => {
    expect(evaluateSyscall(p, 'write')).toEqual({ action: 'SCMP_ACT_ERRNO', errno: 1, allowed: false });
  });
  it('reports the deciding rule', () => {
    expect(evaluateSyscall(p, 'read')).toEqual({ action: 'SCMP_ACT_ALLOW', rule: 0, allowed: true });
    expect(evaluateSyscall(p, 'clone3')).toEqual({ action: 'SCMP_ACT_ERRNO', errno: 38, rule: 6, allowed: false });
  });
  it('applies includes.caps against the given capabilities', () => {
    expect(evaluateSyscall(p, 'mount').allowed).toBe(false);
    expect(evaluateSyscall(p, 'mount', [], 'x86_64', { caps: ['CAP_SYS_ADMIN'] }).allowed).toBe(true);
  });
  it('applies excludes.arches with Go architecture names', () => {
    expect(evaluateSyscall(p, 'ptrace', [], 'x86_64').allowed).toBe(true);
    expect(evaluateSyscall(p, 'ptrace', [], 'aarch64').allowed).toBe(false);
  });
  it('ORs conditions on the same argument, as runc does', () => {
    expect(evaluateSyscall(p, 'kill', [1, 9]).allowed).toBe(true);
    expect(evaluateSyscall(p, 'kill', [1, 15]).allowed).toBe(true);
    expect(evaluateSyscall(p, 'kill', [1, 2]).allowed).toBe(false);
  });
  it('ANDs conditions on different arguments', () => {
    expect(evaluateSyscall(p, 'mmap', [0, 4096, 3, 0x22]).allowed).toBe(true);
    expect(evaluateSyscall(p, 'mmap', [0, 4096, 7, 0x22]).allowed).toBe(false);
    expect(evaluateSyscall(p, 'mmap', [0, 4096, 3, 0x2]).allowed).toBe(false);
  });
  it('skips names the architecture does not have', () => {
    expect(evaluateSyscall(p, 'arch_prctl', [], 'x86_64').allowed).toBe(true);
    expect(evaluateSyscall(p, 'arch_prctl', [], 'aarch64').allowed).toBe(false);
  });
  it('honours minKernel when a kernel version is given', () => {
    expect(evaluateSyscall(p, 'close').action).toBe('SCMP_ACT_LOG');
    expect(evaluateSyscall(p, 'close', [], 'x86_64', { kernel: '5.4.0' }).action).toBe('SCMP_ACT_ERRNO');
    expect(evaluateSyscall(p, 'close', [], 'x86_64', { kernel: '6.1' }).allowed).toBe(true);
  });
  it('treats arguments as 64-bit unsigned', () => {
    const q: SeccompProfile = {
      defaultAction: 'SCMP_ACT_ERRNO',
      syscalls: [{ names: ['socket'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 38, op: 'SCMP_CMP_LT' }] }],
    };
    expect(evaluateSyscall(q, 'socket', [-1]).allowed).toBe(false);
    expect(evaluateSyscall(q, 'socket', [2n]).allowed).toBe(true);
  });
});

describe('syscall tables', () => {
  it('hold the kernel names in number order, without duplicates', () => {
    expect(X86_64_SYSCALLS[0]).toBe('read');
    expect(X86_64_SYSCALLS[59]).toBe('execve');
    expect(AARCH64_SYSCALLS[0]).toBe('io_setup');
    expect(new Set(X86_64_SYSCALLS).size).toBe(X86_64_SYSCALLS.length);
    expect(new Set(AARCH64_SYSCALLS).size).toBe(AARCH64_SYSCALLS.length);
    expect(X86_64_SYSCALLS.length).toBeGreaterThan(360);
    expect(AARCH64_SYSCALLS.length).toBeGreaterThan(300);
  });
  it('know which names are architecture-specific', () => {
    expect(syscallArches('openat')).toEqual(['x86_64', 'aarch64']);
    expect(syscallArches('open')).toEqual(['x86_64']);
    expect(syscallArches('renameat')).toEqual(['x86_64', 'aarch64']);
    expect(isSyscall('arch_prctl', 'aarch64')).toBe(false);
    expect(isSyscall('clone3', 'aarch64')).toBe(true);
    expect(isSyscall('fchmodat2', 'x86_64')).toBe(true);
  });
});
