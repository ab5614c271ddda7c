import { describe, expect, it } from 'vitest';
import { fixesArgs, presetAdditions, settle, type Fix } from '../../../src/learn/fixes.js';
import { learn, type LearnSetup, type SeccompSetup } from '../../../src/learn/learn-loop.js';
import type { Trial, TrialRunner } from '../../../src/learn/trial.js';

/** A workload that needs `calls` (each refused unless a profile allowing it is given) and nothing else. */
class SyscallWorkload implements TrialRunner {
  readonly runs: string[][] = [];
  constructor(
    private readonly calls: readonly string[],
    private readonly allowedBy: (flags: readonly string[]) => readonly string[],
  ) {}
  run(flags: readonly string[]): Promise<Trial> {
    this.runs.push([...flags]);
    const allowed = this.allowedBy(flags);
    const refused = this.calls.find((c) => !allowed.includes(c));
    const works = refused === undefined;
    return Promise.resolve({
      outcome: {
        works,
        exitCode: works ? 0 : 1,
        summary: works ? 'works: exited 0' : 'exited 1',
        output: works ? 'done\n' : `${refused}: Operation not permitted\n`,
        changes: [],
      },
      list: () => Promise.resolve(undefined),
      accounts: () => Promise.resolve({ passwd: undefined, group: undefined }),
      remove: () => Promise.resolve(),
    });
  }
}

/** The trial profiles: one file per set of calls, whose name says what it allows. */
function seccompSetup(engineAllows: readonly string[]): SeccompSetup & { files: Map<string, readonly string[]> } {
  const files = new Map<string, readonly string[]>();
  return {
    files,
    refuses: () => true,
    engineAllows: (s) => engineAllows.includes(s),
    base: 'strict.json',
    file: '.safedock/presets/app.seccomp.json',
    trialFile: (syscalls) => {
      const path = `/tmp/trial/${[...syscalls].sort().join('-')}.json`;
      files.set(path, syscalls);
      return path;
    },
  };
}

const setup = (seccomp: SeccompSetup | undefined): LearnSetup => ({
  imageUser: '',
  userGiven: undefined,
  presetUser: '65534:65534',
  volumeName: (p) => `proj${p.replaceAll('/', '-')}`,
  trialVolumeName: (p) => `trial${p.replaceAll('/', '-')}`,
  program: 'app',
  maxTrials: 6,
  report: () => undefined,
  ...(seccomp === undefined ? {} : { seccomp }),
});

describe('learn: a system call safedock’s profile refuses', () => {
  it('the engine allows it: the profile with that call added back, proved by a trial, seccomp kept', async () => {
    const seccomp = seccompSetup(['ptrace', 'process_vm_readv']);
    const workload = new SyscallWorkload(['ptrace', 'process_vm_readv'], (flags) => {
      const file = flags.find((f) => f.startsWith('seccomp='))?.slice('seccomp='.length);
      return file === undefined ? [] : (seccomp.files.get(file) ?? []);
    });
    const result = await learn(workload, setup(seccomp));
    expect(result.status).toBe('learnt');
    // One call at a time; the second profile holds both.
    expect(workload.runs.at(-2)).toEqual(['--security-opt', 'seccomp=/tmp/trial/ptrace.json']);
    expect(workload.runs.at(-1)).toEqual(['--security-opt', 'seccomp=/tmp/trial/process_vm_readv-ptrace.json']);
    expect(result.fixes).toHaveLength(1);
    const [fix] = result.fixes;
    expect(fix).toMatchObject({
      kind: 'seccomp-allow',
      syscalls: ['ptrace', 'process_vm_readv'],
      file: '.safedock/presets/app.seccomp.json',
    });
    expect(fix?.reason).toMatch(
      /^app printed "ptrace: Operation not permitted" \(hardened run \d\): strict\.json refuses ptrace, which the engine's default profile allows to every container; app printed "process_vm_readv: /,
    );
    expect(fixesArgs(result.fixes)).toEqual(['--security-opt', 'seccomp=.safedock/presets/app.seccomp.json']);
    const added = presetAdditions(result.fixes, true);
    expect(added.settings['security-opt']?.value).toEqual(['seccomp=app.seccomp.json']);
    expect(added.accept).toEqual({});
  });

  it('the engine refuses it too: no narrower fix; only seccomp off, said as such', async () => {
    const seccomp = seccompSetup(['ptrace']);
    const workload = new SyscallWorkload(['unshare'], (flags) =>
      flags.includes('seccomp=unconfined') ? ['unshare'] : [],
    );
    const result = await learn(workload, setup(seccomp));
    expect(result.status).toBe('needs-wide');
    expect(result.wide).toBe('seccomp-off');
    expect(seccomp.files.size).toBe(0);
    expect(result.fixes.some((f) => f.kind === 'seccomp-allow')).toBe(false);
  });

  it('no profile file to derive from: as before, seccomp off is the only way', async () => {
    const workload = new SyscallWorkload(['ptrace'], (flags) =>
      flags.includes('seccomp=unconfined') ? ['ptrace'] : [],
    );
    const result = await learn(workload, setup(undefined));
    expect(result.status).toBe('needs-wide');
    expect(result.wide).toBe('seccomp-off');
  });
});

describe('settle: the derived profile', () => {
  const allow = (syscalls: string[]): Fix => ({ kind: 'seccomp-allow', syscalls, file: 'p.json', reason: 'r' });
  it('the last one holds every call; none once seccomp is off', () => {
    expect(settle([allow(['a']), allow(['a', 'b'])])).toEqual([allow(['a', 'b'])]);
    expect(settle([allow(['a']), { kind: 'wide', wide: 'seccomp-off', reason: 'w' }])).toEqual([
      { kind: 'wide', wide: 'seccomp-off', reason: 'w' },
    ]);
  });
});
