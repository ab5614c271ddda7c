/**
 * safedock learn's loop: observe the workload with a writable root, derive mounts from what it
 * wrote, then run it hardened and add one fix at a time from what it printed, until it works or
 * nothing more can be learnt. Every trial's container is removed before the next one starts.
 */
import { posix } from 'node:path';
import { parseEvidence, type Evidence } from './evidence.js';
import { writtenPaths, type Change } from './docker-diff.js';
import { fixArgs, settle, type Fix, type WideKind } from './fixes.js';
import {
  coveredBy,
  foldersToInspect,
  planMounts,
  type FolderFacts,
  type MountChoice,
  type Written,
} from './mount-plan.js';
import { accountOf, resolveIds, userName, type Ids, type ImageAccounts } from '../policy/image-accounts.js';
import type { Trial, TrialOutcome, TrialRunner } from './trial.js';
import type { TarEntry } from './tar-entries.js';

/** The capabilities root uses to hand files to its own user: given to the second observation only. */
export const OBSERVE_CAPS = ['CHOWN', 'SETUID', 'SETGID', 'DAC_OVERRIDE', 'FOWNER'] as const;

export interface LearnSetup {
  /** The image's own user (Config.User; empty: root). */
  imageUser: string;
  /** -u given with the workload's arguments: then the user is theirs and never changed. */
  userGiven: string | undefined;
  /** The user the base preset gives an image that runs as root (e.g. 65534:65534), if any. */
  presetUser: string | undefined;
  /** Name for the volume of a folder: the project's volumes. */
  volumeName: (path: string) => string;
  /** Name for the same volume during the trials (removed afterwards). */
  trialVolumeName: (path: string) => string;
  /** The program's name in reasons (the image's). */
  program: string;
  /** How many hardened trials at most. */
  maxTrials: number;
  /** The base preset's seccomp profile and what may be added back to it (undefined: no profile file to derive from). */
  seccomp?: SeccompSetup;
  /** Progress lines for the terminal. */
  report: (line: string) => void;
}

export interface TrialRecord {
  flags: string[];
  outcome: TrialOutcome;
  label: string;
}

export type LearnStatus = 'works-as-is' | 'learnt' | 'needs-wide' | 'stuck';

export interface LearnResult {
  status: LearnStatus;
  fixes: Fix[];
  /** The hardening given up when status is needs-wide (its fix is the last of `fixes`). */
  wide?: WideKind;
  trials: TrialRecord[];
  /** The findings of the last failed trial. */
  evidence: Evidence[];
  /** The last trial's output tail, for a report when nothing worked. */
  lastOutput: string;
  notes: string[];
}

/** What learn may do about a system call the base preset's profile refuses. */
export interface SeccompSetup {
  /** Whether the base profile refuses the call. */
  refuses: (syscall: string) => boolean;
  /** Whether the engine's default profile allows it to every container (src/seccomp/engine-default.ts). */
  engineAllows: (syscall: string) => boolean;
  /** The base profile's file name, for reasons ("strict.json"). */
  base: string;
  /** The derived profile as docker run takes it (next to the preset to write). */
  file: string;
  /**
   * Writes the base profile plus these calls for a trial and returns its path; undefined when
   * they cannot be added wholesale.
   */
  trialFile: (syscalls: readonly string[]) => string | undefined;
}

const isRootUser = (user: string): boolean => user === '' || /^(root|0)(:.*)?$/.test(user);

export async function learn(runner: TrialRunner, setup: LearnSetup): Promise<LearnResult> {
  const trials: TrialRecord[] = [];
  const notes: string[] = [];
  const attempt = async (label: string, flags: string[]): Promise<Trial> => {
    setup.report(`${label}: ${flags.length === 0 ? '(the preset alone)' : flags.join(' ')}`);
    const trial = await runner.run(flags);
    trials.push({ label, flags, outcome: trial.outcome });
    setup.report(`  -> ${trial.outcome.summary}`);
    return trial;
  };
  const once = async <T>(
    label: string,
    flags: string[],
    read: (t: Trial) => Promise<T>,
  ): Promise<[TrialOutcome, T]> => {
    const trial = await attempt(label, flags);
    try {
      return [trial.outcome, await read(trial)];
    } finally {
      await trial.remove();
    }
  };

  // 1. The preset alone: nothing to learn when it works.
  const [first] = await once('hardened run 1', [], () => Promise.resolve(undefined));
  if (first.works) return { status: 'works-as-is', fixes: [], trials, evidence: [], lastOutput: first.output, notes };

  // 2. Observe: the image's own user (or yours), a writable root, everything else as the preset.
  const observeUser = setup.userGiven ?? (setup.imageUser === '' ? '0' : setup.imageUser);
  const observeFlags = ['--read-only=false', ...(setup.userGiven === undefined ? ['--user', observeUser] : [])];
  let observed = await once('observe (writable root)', observeFlags, (t) => observe(t));
  const needsCaps = parseEvidence(observed[0].output).some(
    (e) => e.kind === 'not-permitted' && ['chown', 'setuid', 'setgid', 'setgroups'].includes(e.op),
  );
  if (!observed[0].works && needsCaps && isRootUser(observeUser)) {
    // A program that starts as root and hands its files to its own user fails at the hand-over
    // without capabilities; with root's usual ones it shows which user it wants.
    const capFlags = [...observeFlags, ...OBSERVE_CAPS.flatMap((c) => ['--cap-add', c])];
    const second = await once('observe (writable root, root with chown/setuid capabilities)', capFlags, (t) =>
      observe(t),
    );
    if (second[0].works || second[1].written.length > observed[1].written.length) observed = second;
  }
  const [observeOutcome, facts] = observed;
  const accounts = facts.accounts;

  // 3. Who runs the hardened container, and its ids for the tmpfs owners.
  const runUser = setup.userGiven ?? (isRootUser(setup.imageUser) ? (setup.presetUser ?? '') : setup.imageUser);
  let ids = resolveIds(runUser, accounts) ?? { uid: 0, gid: 0 };

  // 4. Mounts for what the observed run wrote.
  const fixes: Fix[] = mountFixes(
    planMounts(facts.written, facts.folders).mounts,
    ids,
    setup,
    (m) => `${setup.program} wrote ${listText(m.for)} (docker diff of a run with a writable root)`,
  );
  for (const u of planMounts(facts.written, facts.folders).uncoverable)
    notes.push(
      `${u.path} is written straight into a system folder; no mount can make it writable without hiding the image's files there`,
    );

  // 5. Hardened runs, one fix at a time.
  let evidence = parseEvidence(first.output);
  let lastOutput = first.output;
  let hardened = 1;
  const run = (extra: readonly Fix[] = []): Promise<Trial> =>
    attempt(`hardened run ${String(++hardened)}`, trialArgs([...fixes, ...extra], setup));
  for (let n = 2; n <= setup.maxTrials + 1; n++) {
    const trial = await run();
    let next: Fix | undefined;
    try {
      if (trial.outcome.works)
        return {
          status: 'learnt',
          fixes: settle(fixes),
          trials,
          evidence: [],
          lastOutput: trial.outcome.output,
          notes,
        };
      evidence = parseEvidence(trial.outcome.output);
      lastOutput = trial.outcome.output;
      next = await nextFix(evidence, {
        trial,
        fixes,
        ids,
        accounts,
        owners: facts.owners,
        written: facts.written,
        setup,
        runNumber: n,
      });
    } finally {
      await trial.remove();
    }
    if (next === undefined) break;
    fixes.push(next);
    if (next.kind === 'user') ids = { uid: next.uid, gid: next.gid };
  }

  // 6. Nothing narrower worked: try the wide loosenings the evidence points at, one at a time.
  for (const wide of wideCandidates(evidence, observeOutcome.works)) {
    const fix: Fix = { kind: 'wide', wide, reason: wideReason(evidence, observeOutcome.works) };
    const trial = await run([fix]);
    const works = trial.outcome.works;
    await trial.remove();
    if (works)
      return { status: 'needs-wide', wide, fixes: [...settle(fixes), fix], trials, evidence, lastOutput, notes };
  }
  return { status: 'stuck', fixes: settle(fixes), trials, evidence, lastOutput, notes };
}

// --- observation -----------------------------------------------------------------------------

interface Observation {
  written: Written[];
  folders: Map<string, FolderFacts>;
  /** Owner uid of each written path (as the observed run left it). */
  owners: Map<string, number>;
  accounts: ImageAccounts;
}

async function observe(trial: Trial): Promise<Observation> {
  const tops = writtenPaths(trial.outcome.changes);
  const accounts = await trial.accounts();
  const folders = new Map<string, FolderFacts>();
  const owners = new Map<string, number>();
  const types = new Map<string, TarEntry>();
  const candidates = foldersToInspect(tops.map((c) => ({ path: c.path, isDir: false })));
  for (const folder of candidates) {
    const entries = await trial.list(folder);
    for (const e of entries ?? []) types.set(posix.join(posix.dirname(folder), e.name), e);
    folders.set(folder, folderFacts(folder, entries, tops));
  }
  const written: Written[] = [];
  for (const c of tops) {
    const entry = types.get(c.path) ?? (await trial.list(c.path, { firstOnly: true }))?.[0];
    if (entry !== undefined) owners.set(c.path, entry.uid);
    written.push({
      path: c.path,
      isDir:
        entry?.type === 'dir' ||
        (c.kind === 'deleted' ? false : entry === undefined && hasChildren(c, trial.outcome.changes)),
    });
  }
  return { written, folders, owners, accounts };
}

const hasChildren = (c: Change, all: readonly Change[]): boolean => all.some((o) => o.path.startsWith(`${c.path}/`));

/** What the image holds in a folder apart from the written paths: data, or only placeholders. */
export function folderFacts(
  folder: string,
  entries: readonly TarEntry[] | undefined,
  written: ReadonlyArray<{ path: string }>,
): FolderFacts {
  if (entries === undefined) return { exists: false };
  const base = posix.dirname(folder);
  const isWritten = (path: string): boolean => written.some((w) => path === w.path || path.startsWith(`${w.path}/`));
  for (const e of entries) {
    const path = posix.join(base, e.name);
    if (path === folder || isWritten(path)) continue;
    if ((e.type === 'file' && e.size > 0) || e.type === 'symlink' || e.type === 'other')
      return { exists: true, data: path };
  }
  return { exists: true };
}

// --- fixes ------------------------------------------------------------------------------------

function mountFixes(
  mounts: readonly MountChoice[],
  ids: Ids,
  setup: LearnSetup,
  why: (m: MountChoice) => string,
): Fix[] {
  return mounts.map((m) =>
    m.kind === 'tmpfs'
      ? { kind: 'tmpfs', path: m.path, uid: ids.uid, gid: ids.gid, reason: why(m) }
      : {
          kind: 'volume',
          path: m.path,
          name: setup.volumeName(m.path),
          reason: `${why(m)}, in a folder the image fills (${m.data ?? 'data'})`,
        },
  );
}

/** The flags of a trial: the fixes, with the trial's own names for volumes and its own profile file. */
function trialArgs(fixes: readonly Fix[], setup: LearnSetup): string[] {
  return settle(fixes).flatMap((f) => {
    if (f.kind === 'volume') return fixArgs({ ...f, name: setup.trialVolumeName(f.path) });
    if (f.kind === 'seccomp-allow') return fixArgs({ ...f, file: setup.seccomp?.trialFile(f.syscalls) ?? f.file });
    return fixArgs(f);
  });
}

interface NextContext {
  trial: Trial;
  fixes: readonly Fix[];
  ids: Ids;
  accounts: ImageAccounts;
  owners: ReadonlyMap<string, number>;
  written: readonly Written[];
  setup: LearnSetup;
  runNumber: number;
}

/** The first fix the evidence supports that is not already there. */
async function nextFix(evidence: readonly Evidence[], ctx: NextContext): Promise<Fix | undefined> {
  const mounted = ctx.fixes.flatMap((f) => (f.kind === 'tmpfs' || f.kind === 'volume' ? [f.path] : []));
  const cite = (e: Evidence): string =>
    `${ctx.setup.program} printed "${e.line.trim()}" (hardened run ${String(ctx.runNumber)})`;
  for (const e of evidence) {
    switch (e.kind) {
      case 'read-only': {
        const path = await resolvePath(e.path, ctx);
        if (path === undefined || coveredBy(path, mounted) !== undefined) break;
        const parent = posix.dirname(path);
        const entries = await ctx.trial.list(parent);
        const plan = planMounts(
          [{ path, isDir: /mkdir|director/i.test(e.line) }],
          new Map([[parent, folderFacts(parent, entries, [{ path }])]]),
        );
        const [fix] = mountFixes(plan.mounts, ctx.ids, ctx.setup, () => cite(e));
        if (fix !== undefined) return fix;
        break;
      }
      case 'denied': {
        const path = await resolvePath(e.path, ctx);
        if (path === undefined) break;
        const parent = posix.dirname(path);
        const entries = await ctx.trial.list(parent);
        const facts = folderFacts(parent, entries, [{ path }]);
        if (coveredBy(path, mounted) === undefined && facts.data === undefined) {
          const plan = planMounts([{ path, isDir: false }], new Map([[parent, facts]]));
          const [fix] = mountFixes(
            plan.mounts,
            ctx.ids,
            ctx.setup,
            () => `${cite(e)} (${path} belongs to another user)`,
          );
          if (fix !== undefined) return fix;
        }
        const owner = (await ctx.trial.list(path, { firstOnly: true }))?.[0]?.uid;
        if (owner !== undefined) {
          const fix = userFix(owner, ctx, `${cite(e)}, and ${path} belongs to ${userName(owner, ctx.accounts)}`);
          if (fix !== undefined) return fix;
        }
        break;
      }
      case 'not-permitted': {
        if (!['chown', 'setuid', 'setgid', 'setgroups', 'chmod'].includes(e.op)) break;
        const owner = observedOwner(ctx);
        if (owner === undefined) break;
        const fix = userFix(
          owner,
          ctx,
          `${cite(e)}: the program hands its files to ${userName(owner, ctx.accounts)}, which needs capabilities docker gives only to root; a run with them left ${ownedBy(owner, ctx)} owned by ${userName(owner, ctx.accounts)}, so it runs as that user and needs none`,
        );
        if (fix !== undefined) return fix;
        break;
      }
      case 'bind': {
        const current = ctx.fixes.find((f) => f.kind === 'port-start');
        if (current !== undefined && current.port <= e.port) break;
        return {
          kind: 'port-start',
          port: e.port,
          reason: cite(e),
        };
      }
      case 'capability':
        if (ctx.ids.uid === 0 && !ctx.fixes.some((f) => f.kind === 'cap-add' && f.capability === e.capability))
          return { kind: 'cap-add', capability: e.capability, reason: cite(e) };
        break;
      case 'syscall': {
        const fix = seccompFix(e.syscall, ctx, cite(e));
        if (fix !== undefined) return fix;
        break;
      }
      case 'no-user':
      case 'needs-root':
        break;
    }
  }
  return undefined;
}

/**
 * A call the base profile refuses and the engine's default allows: the base profile with it (and
 * the calls added before) allowed, when they can be added wholesale. Narrower than seccomp off.
 */
function seccompFix(syscall: string, ctx: NextContext, cited: string): Fix | undefined {
  const seccomp = ctx.setup.seccomp;
  if (seccomp === undefined || !seccomp.refuses(syscall) || !seccomp.engineAllows(syscall)) return undefined;
  const current = ctx.fixes.filter((f) => f.kind === 'seccomp-allow').at(-1);
  if (current?.syscalls.includes(syscall) === true) return undefined;
  const syscalls = [...(current?.syscalls ?? []), syscall];
  if (seccomp.trialFile(syscalls) === undefined) return undefined;
  const reason = `${cited}: ${seccomp.base} refuses ${syscall}, which the engine's default profile allows to every container`;
  return {
    kind: 'seccomp-allow',
    syscalls,
    file: seccomp.file,
    reason: current === undefined ? reason : `${current.reason}; ${reason}`,
  };
}

/** The non-root user the observed run left the written paths to (the most frequent one). */
function observedOwner(ctx: NextContext): number | undefined {
  const counts = new Map<number, number>();
  for (const uid of ctx.owners.values()) if (uid !== 0) counts.set(uid, (counts.get(uid) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

const ownedBy = (uid: number, ctx: NextContext): string =>
  listText([...ctx.owners.entries()].filter(([, u]) => u === uid).map(([p]) => p));

/** Run as `uid`, when it is another non-root user the image defines. */
function userFix(uid: number, ctx: NextContext, reason: string): Fix | undefined {
  if (ctx.setup.userGiven !== undefined || uid === 0 || uid === ctx.ids.uid) return undefined;
  const account = accountOf(uid, ctx.accounts);
  if (account === undefined) return undefined;
  return { kind: 'user', user: account.name, uid: account.uid, gid: account.gid, reason: `${reason}.` };
}

/**
 * A path from a message as the container sees it: a relative one is matched with what the observed
 * run wrote ("postmaster.pid" is the data folder's), and links in it are followed (/var/run is /run).
 */
async function resolvePath(path: string, ctx: NextContext): Promise<string | undefined> {
  let absolute = path;
  if (!path.startsWith('/')) {
    const match = ctx.written.find((w) => w.path.endsWith(`/${path.replace(/^\.\//, '')}`));
    if (match === undefined) return undefined;
    absolute = match.path;
  }
  return followLinks(posix.normalize(absolute), (p) => ctx.trial.list(p, { firstOnly: true }));
}

/** Replaces every symbolic link among a path's folders by its target (at most 16 links). */
export async function followLinks(
  path: string,
  stat: (path: string) => Promise<readonly TarEntry[] | undefined>,
): Promise<string> {
  let parts = path.split('/').filter((p) => p !== '');
  for (let hops = 0, i = 0; i < parts.length - 1 && hops < 16; i++) {
    const prefix = `/${parts.slice(0, i + 1).join('/')}`;
    const entry = (await stat(prefix))?.[0];
    if (entry?.type !== 'symlink' || entry.linkName === undefined) continue;
    const target = entry.linkName.startsWith('/') ? entry.linkName : posix.join(posix.dirname(prefix), entry.linkName);
    parts = [
      ...posix
        .normalize(target)
        .split('/')
        .filter((p) => p !== ''),
      ...parts.slice(i + 1),
    ];
    hops++;
    i = -1;
  }
  return `/${parts.join('/')}`;
}

/** The wide loosenings worth a trial, narrowest first, by what the evidence says. */
function wideCandidates(evidence: readonly Evidence[], observeWorked: boolean): WideKind[] {
  const kinds = new Set(evidence.map((e) => e.kind));
  const out: WideKind[] = [];
  if (kinds.has('read-only') || observeWorked) out.push('writable-root');
  if (kinds.has('needs-root') || kinds.has('not-permitted') || kinds.has('capability')) out.push('root');
  if (kinds.has('syscall')) out.push('seccomp-off');
  if (kinds.has('needs-root')) out.push('privilege-gain');
  return out;
}

function wideReason(evidence: readonly Evidence[], observeWorked: boolean): string {
  const quoted = evidence
    .slice(0, 2)
    .map((e) => `"${e.line.trim()}"`)
    .join(', ');
  const seen =
    quoted === ''
      ? 'the hardened runs failed without a recognisable error'
      : `the hardened runs still printed ${quoted}`;
  const observed = observeWorked ? '; the run with a writable root worked' : '';
  return `Nothing narrower worked: ${seen}${observed}. Accepted with safedock learn.`;
}

function listText(paths: readonly string[]): string {
  return paths.length <= 3 ? paths.join(', ') : `${paths.slice(0, 3).join(', ')} and ${String(paths.length - 3)} more`;
}
