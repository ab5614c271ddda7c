import { EXIT } from '../errors.js';

/**
 * docker's mapping of a failed start to an exit code: the command was not found (127),
 * could not be invoked (126), or anything else went wrong (125).
 */
export function exitCodeForStartError(message: string): number {
  if (/executable file not found|no such file or directory|system cannot find the file specified/i.test(message)) {
    return EXIT.notFound;
  }
  if (/permission denied|not a directory|exec format error|cannot execute/i.test(message)) {
    return EXIT.cannotInvoke;
  }
  return EXIT.failure;
}
