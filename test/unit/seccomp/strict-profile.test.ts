import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type SeccompProfile,
  type SyscallArch,
  checkSeccompProfile,
  evaluateSyscall,
  isSyscall,
  validateSeccompProfile,
} from '../../../src/seccomp/index.js';

const file = new URL('../../../seccomp/strict.json', import.meta.url);
const profile: SeccompProfile = validateSeccompProfile(JSON.parse(readFileSync(file, 'utf8')), 'seccomp/strict.json');
const ARCHES: SyscallArch[] = ['x86_64', 'aarch64'];

const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;
const AF_NETLINK = 16;
const AF_PACKET = 17;
const AF_ALG = 38;
const AF_NFC = 39;
const AF_VSOCK = 40;
const AF_KCM = 41;
const SIGCHLD = 17;
const CLONE_VM = 0x100;
const CLONE_FS = 0x200;
const CLONE_FILES = 0x400;
const CLONE_SIGHAND = 0x800;
const CLONE_THREAD = 0x10000;
const CLONE_SYSVSEM = 0x40000;
const CLONE_SETTLS = 0x80000;
const CLONE_PARENT_SETTID = 0x100000;
const CLONE_CHILD_CLEARTID = 0x200000;
const CLONE_CHILD_SETTID = 0x1000000;
const CLONE_VFORK = 0x4000;
const CLONE_NEWNS = 0x20000;
const CLONE_NEWCGROUP = 0x2000000;
const CLONE_NEWUTS = 0x4000000;
const CLONE_NEWIPC = 0x8000000;
const CLONE_NEWUSER = 0x10000000;
const CLONE_NEWPID = 0x20000000;
const CLONE_NEWNET = 0x40000000;
/** What glibc's pthread_create passes. */
const THREAD_FLAGS =
  CLONE_VM |
  CLONE_FS |
  CLONE_FILES |
  CLONE_SIGHAND |
  CLONE_THREAD |
  CLONE_SYSVSEM |
  CLONE_SETTLS |
  CLONE_PARENT_SETTID |
  CLONE_CHILD_CLEARTID;
/** What glibc's fork passes. */
const FORK_FLAGS = CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD;

describe('seccomp/strict.json', () => {
  it('validates without problems', () => {
    const check = checkSeccompProfile(JSON.parse(readFileSync(file, 'utf8')), 'seccomp/strict.json');
    expect(check.problems).toEqual([]);
    expect(profile.defaultAction).toBe('SCMP_ACT_ERRNO');
    expect(profile.defaultErrnoRet).toBe(1);
    expect(profile.archMap).toEqual([
      { architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86', 'SCMP_ARCH_X32'] },
      { architecture: 'SCMP_ARCH_AARCH64', subArchitectures: ['SCMP_ARCH_ARM'] },
    ]);
  });

  it('gives every rule a one-line comment', () => {
    for (const r of profile.syscalls) {
      expect(r.comment, r.names.join(',')).toMatch(/^[^\n]{5,120}$/);
    }
  });

  it('uses no includes/excludes: nothing depends on the capabilities a run adds', () => {
    for (const r of profile.syscalls) {
      expect(r.includes).toBeUndefined();
      expect(r.excludes).toBeUndefined();
    }
  });

  const DENIED = [
    'ptrace',
    'process_vm_readv',
    'process_vm_writev',
    'io_uring_setup',
    'io_uring_enter',
    'io_uring_register',
    'userfaultfd',
    'keyctl',
    'add_key',
    'request_key',
    'bpf',
    'perf_event_open',
    'unshare',
    'setns',
    'mount',
    'umount2',
    'pivot_root',
    'move_mount',
    'open_tree',
    'fsopen',
    'fsmount',
    'fsconfig',
    'fspick',
    'mount_setattr',
    'kexec_load',
    'kexec_file_load',
    'init_module',
    'finit_module',
    'delete_module',
    'acct',
    // beyond the required list
    'open_by_handle_at',
    'name_to_handle_at',
    'kcmp',
    'pidfd_getfd',
    'process_madvise',
    'reboot',
    'swapon',
    'swapoff',
    'syslog',
    'chroot',
    'settimeofday',
    'clock_settime',
    'adjtimex',
    'clock_adjtime',
    'sethostname',
    'setdomainname',
    'quotactl',
    'mbind',
    'set_mempolicy',
    'get_mempolicy',
    'migrate_pages',
    'move_pages',
    'fanotify_init',
    'lookup_dcookie',
    'vhangup',
    'iopl',
    'ioperm',
    'modify_ldt',
    'uselib',
    'memfd_secret',
    'open_tree_attr',
    'statmount',
    'listmount',
  ];
  describe.each(ARCHES)('on %s', (arch) => {
    it.each(DENIED.filter((n) => isSyscall(n, arch)))('denies %s with EPERM', (name) => {
      expect(evaluateSyscall(profile, name, [], arch)).toEqual({ action: 'SCMP_ACT_ERRNO', errno: 1, allowed: false });
    });

    const ALLOWED = [
      'read',
      'write',
      'openat',
      'close',
      'newfstatat',
      'statx',
      'getdents64',
      'lseek',
      'pread64',
      'readv',
      'fcntl',
      'ioctl',
      'mmap',
      'munmap',
      'mprotect',
      'brk',
      'madvise',
      'mremap',
      'epoll_create1',
      'epoll_ctl',
      'epoll_pwait',
      'ppoll',
      'pselect6',
      'futex',
      'set_robust_list',
      'rseq',
      'rt_sigaction',
      'rt_sigprocmask',
      'rt_sigreturn',
      'sigaltstack',
      'kill',
      'tgkill',
      'execve',
      'exit_group',
      'wait4',
      'prctl',
      'getrandom',
      'clock_gettime',
      'clock_nanosleep',
      'nanosleep',
      'timerfd_create',
      'eventfd2',
      'pipe2',
      'dup3',
      'bind',
      'listen',
      'accept4',
      'connect',
      'sendto',
      'recvfrom',
      'sendmsg',
      'recvmsg',
      'setsockopt',
      'getsockopt',
      'shutdown',
      'socketpair',
      'sendfile',
      'prlimit64',
      'uname',
      'getpid',
      'gettid',
      'getuid',
      'setuid',
      'sched_yield',
      'sched_getaffinity',
      'unlinkat',
      'mkdirat',
      'renameat2',
      'fchmodat',
      'fchownat',
      'utimensat',
      'faccessat2',
      'chdir',
      'getcwd',
      'umask',
      'fsync',
      'ftruncate',
      'fallocate',
      'memfd_create',
      'membarrier',
      'shmget',
      'semop',
      'seccomp',
      'landlock_create_ruleset',
      'inotify_add_watch',
      'set_tid_address',
      'execveat',
      'pidfd_open',
      'close_range',
    ];
    it.each(ALLOWED)('allows %s', (name) => {
      expect(evaluateSyscall(profile, name, [], arch).action).toBe('SCMP_ACT_ALLOW');
    });

    it.each([
      ['AF_UNIX', AF_UNIX],
      ['AF_INET', AF_INET],
      ['AF_INET6', AF_INET6],
      ['AF_NETLINK', AF_NETLINK],
      ['AF_PACKET', AF_PACKET],
      ['AF_NFC', AF_NFC],
      ['AF_KCM', AF_KCM],
    ])('allows socket(%s)', (_label, family) => {
      expect(evaluateSyscall(profile, 'socket', [family, 1, 0], arch).allowed).toBe(true);
    });
    it.each([
      ['AF_ALG', AF_ALG],
      ['AF_VSOCK', AF_VSOCK],
    ])('denies socket(%s) with EPERM', (_label, family) => {
      expect(evaluateSyscall(profile, 'socket', [family, 1, 0], arch)).toEqual({
        action: 'SCMP_ACT_ERRNO',
        errno: 1,
        allowed: false,
      });
    });

    it.each([
      ['a thread (pthread_create)', THREAD_FLAGS],
      ['fork', FORK_FLAGS],
      ['vfork-style posix_spawn', CLONE_VM | CLONE_VFORK | SIGCHLD],
      ['plain SIGCHLD', SIGCHLD],
    ])('allows clone for %s', (_label, flags) => {
      expect(evaluateSyscall(profile, 'clone', [flags, 0, 0, 0, 0], arch).action).toBe('SCMP_ACT_ALLOW');
    });
    it.each([
      ['CLONE_NEWUSER', CLONE_NEWUSER],
      ['CLONE_NEWNS', CLONE_NEWNS],
      ['CLONE_NEWPID', CLONE_NEWPID],
      ['CLONE_NEWNET', CLONE_NEWNET],
      ['CLONE_NEWIPC', CLONE_NEWIPC],
      ['CLONE_NEWUTS', CLONE_NEWUTS],
      ['CLONE_NEWCGROUP', CLONE_NEWCGROUP],
    ])('denies clone with %s', (_label, flag) => {
      expect(evaluateSyscall(profile, 'clone', [SIGCHLD | flag], arch)).toEqual({
        action: 'SCMP_ACT_ERRNO',
        errno: 1,
        allowed: false,
      });
      expect(evaluateSyscall(profile, 'clone', [THREAD_FLAGS | flag], arch).allowed).toBe(false);
    });

    it('answers clone3 with ENOSYS so that libc falls back to clone', () => {
      expect(evaluateSyscall(profile, 'clone3', [], arch)).toMatchObject({
        action: 'SCMP_ACT_ERRNO',
        errno: 38,
        allowed: false,
      });
    });

    it('allows personality only to query or to keep PER_LINUX', () => {
      expect(evaluateSyscall(profile, 'personality', [0xffffffff], arch).allowed).toBe(true);
      expect(evaluateSyscall(profile, 'personality', [0], arch).allowed).toBe(true);
      expect(evaluateSyscall(profile, 'personality', [0x0040000], arch).allowed).toBe(false); // ADDR_NO_RANDOMIZE
    });
  });

  it('allows the x86_64-only calls busybox and glibc use there', () => {
    for (const name of ['arch_prctl', 'open', 'stat', 'fork', 'vfork', 'poll', 'epoll_wait', 'getdents', 'access']) {
      expect(evaluateSyscall(profile, name, [], 'x86_64').allowed, name).toBe(true);
    }
  });

  it('names only syscalls that exist on x86_64 or aarch64, and allows each at most once unconditionally', () => {
    const unconditional = profile.syscalls
      .filter((r) => r.args === undefined && r.action === 'SCMP_ACT_ALLOW')
      .flatMap((r) => r.names);
    expect(new Set(unconditional).size).toBe(unconditional.length);
    for (const n of profile.syscalls.flatMap((r) => r.names)) {
      expect(isSyscall(n, 'x86_64') || isSyscall(n, 'aarch64'), n).toBe(true);
    }
  });
});
