/** seccomp/sandbox.json is strict.json with memfd_create answering ENOSYS (no fileless execution). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateSyscall, validateSeccompProfile, type SeccompProfile } from '../../../src/seccomp/index.js';
// @ts-expect-error -- a plain ES module script without types; its one function is exercised here.
import { sandboxProfile } from '../../../scripts/gen-sandbox-seccomp.mjs';

const read = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../seccomp/${name}`, import.meta.url), 'utf8'));
const strict = validateSeccompProfile(read('strict.json'), 'seccomp/strict.json');
const sandbox = validateSeccompProfile(read('sandbox.json'), 'seccomp/sandbox.json');
const MFD_CLOEXEC = 1;
const ENOSYS = 38;

describe('the sandbox seccomp profile', () => {
  it('is derived from strict.json (run node scripts/gen-sandbox-seccomp.mjs after changing strict.json)', () => {
    expect(read('sandbox.json')).toEqual((sandboxProfile as (p: unknown) => unknown)(read('strict.json')));
  });

  it('answers memfd_create with ENOSYS, so that libc falls back to a file; strict allows it', () => {
    for (const arch of ['x86_64', 'aarch64'] as const) {
      expect(evaluateSyscall(sandbox, 'memfd_create', [0, MFD_CLOEXEC], arch)).toMatchObject({
        allowed: false,
        errno: ENOSYS,
      });
      expect(evaluateSyscall(strict, 'memfd_create', [0, MFD_CLOEXEC], arch).allowed).toBe(true);
    }
  });

  it('decides every other system call as strict does', () => {
    const names = new Set(strict.syscalls.flatMap((r) => r.names));
    names.delete('memfd_create');
    for (const name of [...names, 'ptrace', 'bpf', 'io_uring_setup', 'unshare']) {
      const verdict = (p: SeccompProfile) => {
        const v = evaluateSyscall(p, name, [0, 0, 0], 'x86_64');
        return [v.action, v.allowed, 'errno' in v ? v.errno : undefined];
      };
      expect(verdict(sandbox), name).toEqual(verdict(strict));
    }
  });
});
