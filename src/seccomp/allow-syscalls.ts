/**
 * A profile derived from another with some system calls added back: what safedock learn proposes
 * when a program needs a call that safedock's profile refuses and the engine's default allows
 * (src/seccomp/engine-default.ts), instead of turning seccomp off. Pure.
 */
import { DENYING_ACTIONS, type SeccompProfile, type SeccompRule } from './types.js';
import { validateSeccompProfile } from './validate.js';

/**
 * `base` with `syscalls` allowed for every caller and argument: the names leave the base's
 * unconditional refusals (two rules for one call would make the engine refuse the profile) and
 * join one new ALLOW rule carrying `comment`. Undefined when the base decides a call by its
 * arguments, capabilities, architecture or kernel: allowing it wholesale would undo more than the
 * one refusal. The result is validated as `safedock seccomp check` would.
 */
export function allowSyscalls(
  base: SeccompProfile,
  syscalls: readonly string[],
  comment: string,
  source: string,
): SeccompProfile | undefined {
  const adding = new Set(syscalls);
  const conditional = (rule: SeccompRule): boolean =>
    rule.args !== undefined || rule.includes !== undefined || rule.excludes !== undefined;
  if (base.syscalls.some((rule) => conditional(rule) && rule.names.some((n) => adding.has(n)))) return undefined;
  const kept: SeccompRule[] = [];
  for (const rule of base.syscalls) {
    if (!rule.names.some((n) => adding.has(n))) {
      kept.push(rule);
      continue;
    }
    // Already allowed: nothing to add for those names.
    if (!DENYING_ACTIONS.includes(rule.action)) {
      for (const n of rule.names) adding.delete(n);
      kept.push(rule);
      continue;
    }
    const names = rule.names.filter((n) => !adding.has(n));
    if (names.length > 0) kept.push({ ...rule, names });
  }
  if (adding.size === 0) return base;
  const added: SeccompRule = { names: [...adding].sort(), action: 'SCMP_ACT_ALLOW', comment };
  return validateSeccompProfile({ ...base, syscalls: [...kept, added] }, source);
}
