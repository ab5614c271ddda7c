// Writes seccomp/sandbox.json, the sandbox preset's profile: seccomp/strict.json with
// memfd_create answering ENOSYS, so that code already running cannot write a program into an
// anonymous memory file and execute it (fileless execution; the escape suite's memfd_exec). libc
// and most programs treat ENOSYS as "an old kernel" and fall back to a file, which under sandbox
// lies on a noexec tmpfs or a read-only root. Run with `node scripts/gen-sandbox-seccomp.mjs`
// after changing strict.json; test/unit/seccomp/sandbox-profile.test.ts fails when they differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ENOSYS = 38;
const REFUSED = ['memfd_create'];

/** The sandbox profile derived from strict's: the same allow-list less REFUSED, which answer ENOSYS. */
export function sandboxProfile(strict) {
  const syscalls = strict.syscalls.map((rule) => ({
    ...rule,
    names: rule.names.filter((name) => !REFUSED.includes(name)),
  }));
  return {
    ...strict,
    syscalls: [
      ...syscalls.filter((rule) => rule.names.length > 0),
      {
        names: REFUSED,
        action: 'SCMP_ACT_ERRNO',
        errnoRet: ENOSYS,
        comment:
          'ENOSYS: no anonymous memory files, so no fileless execution; libc falls back to a file, which sandbox keeps on noexec or read-only mounts',
      },
    ],
  };
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const strict = JSON.parse(readFileSync(join(root, 'seccomp', 'strict.json'), 'utf8'));
  writeFileSync(join(root, 'seccomp', 'sandbox.json'), `${JSON.stringify(sandboxProfile(strict), null, 2)}\n`);
  process.stdout.write('wrote seccomp/sandbox.json\n');
}
