import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  allowSyscalls,
  checkSeccompProfile,
  engineDefaultAllows,
  evaluateSyscall,
  validateSeccompProfile,
  type SeccompProfile,
} from '../../../src/seccomp/index.js';

const file = new URL('../../../seccomp/strict.json', import.meta.url);
const strict: SeccompProfile = validateSeccompProfile(JSON.parse(readFileSync(file, 'utf8')), 'seccomp/strict.json');
const AF_VSOCK = 40;

describe('allowSyscalls: safedock’s profile with calls added back', () => {
  it('strict.json plus ptrace: ptrace allowed, everything else as before, still a valid allow-list', () => {
    const derived = allowSyscalls(strict, ['ptrace'], 'seen: ptrace refused', 'x.json');
    expect(derived).toBeDefined();
    if (derived === undefined) return;
    expect(evaluateSyscall(derived, 'ptrace').allowed).toBe(true);
    expect(derived.syscalls.at(-1)).toEqual({
      names: ['ptrace'],
      action: 'SCMP_ACT_ALLOW',
      comment: 'seen: ptrace refused',
    });
    expect(derived.defaultAction).toBe(strict.defaultAction);
    expect(checkSeccompProfile(derived, 'x.json').problems).toEqual([]);
    // Nothing else moved: the escape primitives stay refused, the socket family filter stays.
    for (const call of ['process_vm_readv', 'unshare', 'mount', 'bpf', 'keyctl', 'io_uring_setup', 'read'])
      expect(evaluateSyscall(derived, call).allowed, call).toBe(evaluateSyscall(strict, call).allowed);
    expect(evaluateSyscall(derived, 'socket', [AF_VSOCK]).allowed).toBe(false);
    expect(derived.syscalls).toHaveLength(strict.syscalls.length + 1);
  });

  it('a call the base refuses by a rule of its own leaves that rule (two rules for one call are refused by the engine)', () => {
    const base: SeccompProfile = {
      defaultAction: 'SCMP_ACT_ERRNO',
      syscalls: [
        { names: ['read', 'write'], action: 'SCMP_ACT_ALLOW' },
        { names: ['clone3', 'vmsplice'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 },
      ],
    };
    const derived = allowSyscalls(base, ['vmsplice'], 'c', 'x.json');
    expect(derived?.syscalls).toEqual([
      { names: ['read', 'write'], action: 'SCMP_ACT_ALLOW' },
      { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 },
      { names: ['vmsplice'], action: 'SCMP_ACT_ALLOW', comment: 'c' },
    ]);
    // Already allowed: the base as it is.
    expect(allowSyscalls(base, ['read'], 'c', 'x.json')).toBe(base);
  });

  it('no derivation for a call the base decides by arguments, capabilities, architecture or kernel', () => {
    for (const rule of [
      { args: [{ index: 0, value: 1, op: 'SCMP_CMP_EQ' as const }] },
      { includes: { caps: ['CAP_SYS_PTRACE'] } },
      { excludes: { arches: ['arm64'] } },
      { includes: { minKernel: '4.8' } },
    ]) {
      const base: SeccompProfile = {
        defaultAction: 'SCMP_ACT_ERRNO',
        syscalls: [{ names: ['ptrace'], action: 'SCMP_ACT_ALLOW', ...rule }],
      };
      expect(allowSyscalls(base, ['ptrace'], 'c', 'x.json'), JSON.stringify(rule)).toBeUndefined();
    }
    // strict decides socket and personality by their arguments.
    expect(allowSyscalls(strict, ['socket'], 'c', 'x.json')).toBeUndefined();
    expect(allowSyscalls(strict, ['personality'], 'c', 'x.json')).toBeUndefined();
  });
});

describe('engineDefaultAllows: what the engine’s own default profile lets every container make', () => {
  const docker20 = { kind: 'docker' as const, version: '20.10.24' };
  const docker27 = { kind: 'docker' as const, version: '27.3.1' };
  const podman = { kind: 'podman' as const, version: '4.3.1' };
  it.each([
    ['ptrace', true, true, true],
    ['process_vm_readv', true, true, true],
    ['io_uring_setup', true, false, false],
    ['io_uring_enter', true, false, false],
    ['vmsplice', true, true, false],
    // Refused or gated by the default too: no narrower fix than the hardening itself.
    ['unshare', false, false, false],
    ['mount', false, false, false],
    ['bpf', false, false, false],
    ['keyctl', false, false, false],
    ['userfaultfd', false, false, false],
    ['socket', false, false, false],
    ['personality', false, false, false],
    ['clone', false, false, false],
    ['no_such_call', false, false, false],
    ['toString', false, false, false],
  ])('%s: Docker 20.10 %s, Docker 27 %s, Podman %s', (call, on20, on27, onPodman) => {
    expect(engineDefaultAllows(call, docker20)).toBe(on20);
    expect(engineDefaultAllows(call, docker27)).toBe(on27);
    expect(engineDefaultAllows(call, podman)).toBe(onPodman);
  });
  it('an engine not known: only what every engine allows', () => {
    expect(engineDefaultAllows('ptrace', undefined)).toBe(true);
    expect(engineDefaultAllows('io_uring_setup', undefined)).toBe(false);
    expect(engineDefaultAllows('vmsplice', undefined)).toBe(false);
    expect(engineDefaultAllows('io_uring_setup', { kind: 'docker', version: '24.0.9' })).toBe(true);
    expect(engineDefaultAllows('io_uring_setup', { kind: 'docker', version: '25.0.0' })).toBe(false);
  });
});
