export { compactProfile } from './compact.js';
export { type EvaluateOptions, type SeccompVerdict, evaluateSyscall } from './evaluate.js';
export { ALL_SYSCALL_NAMES, SYSCALL_ARCHES, type SyscallArch, isSyscall, syscallArches } from './syscalls.js';
export * from './types.js';
export { type SeccompReport, describeArches, describeDefault, renderSeccompCheck } from './report.js';
export {
  checkSeccompFile,
  checkSeccompProfile,
  checkSeccompText,
  formatFinding,
  validateSeccompProfile,
} from './validate.js';
export { allowSyscalls } from './allow-syscalls.js';
export { type EngineFlavour, engineDefaultAllows } from './engine-default.js';
