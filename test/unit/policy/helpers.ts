import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseRunArgv } from '../../../src/docker-cli/parse-argv.js';
import type { ImageFacts } from '../../../src/engine/engine.js';
import { evaluatePolicy } from '../../../src/policy/evaluate.js';
import type { RunFacts } from '../../../src/policy/facts.js';
import type { Finding, HostStat, HostView } from '../../../src/policy/types.js';
import { resolvePreset } from '../../../src/presets/builtin.js';
import { convertUserFlags, plan, type RunPlan } from '../../../src/run/pipeline.js';

export const HOME = '/home/me';
export const CWD = '/home/me/proj';

/** The caller's environment: -e NAME copies from it. */
export const ENV: NodeJS.ProcessEnv = {
  HOME,
  XDG_RUNTIME_DIR: '/run/user/1000',
  API_KEY: 'k7Rj2mQ9xLp4',
  LANG: 'C.UTF-8',
};

/** A Debian-like host: /var/run and the merged-/usr links, a zone file link. */
export const LINKS: Readonly<Record<string, string>> = {
  '/var/run': '/run',
  '/bin': '/usr/bin',
  '/sbin': '/usr/sbin',
  '/lib': '/usr/lib',
  '/lib64': '/usr/lib64',
  '/etc/localtime': '/usr/share/zoneinfo/Etc/UTC',
  '/home/me/proj/etc-link': '/etc',
  '/home/me/proj/run-link': '/var/run',
  '/srv/innocent': '/home/me/.ssh',
};

/** Resolves like the kernel: a link is followed before a `..` after it. */
export function fakeRealpath(path: string, links: Readonly<Record<string, string>> = LINKS): string {
  const queue = path.split('/').filter((s) => s !== '');
  let out: string[] = [];
  let hops = 0;
  while (queue.length > 0) {
    const seg = queue.shift() ?? '';
    if (seg === '.') continue;
    if (seg === '..') {
      out.pop();
      continue;
    }
    out.push(seg);
    const target = links[`/${out.join('/')}`];
    if (target !== undefined) {
      if (++hops > 40) throw new Error(`symlink loop at ${path}`);
      out = [];
      queue.unshift(...target.split('/').filter((s) => s !== ''));
    }
  }
  return `/${out.join('/')}`;
}

/** What the fake host's files are: owner, mode and kind (other paths: unknown, judged the worst way). */
export const STATS: Readonly<Record<string, HostStat>> = {
  '/usr/share/zoneinfo/Etc/UTC': { kind: 'file', uid: 0, gid: 0, mode: 0o644 },
  '/etc/timezone': { kind: 'file', uid: 0, gid: 0, mode: 0o644 },
  '/etc/hosts': { kind: 'file', uid: 0, gid: 0, mode: 0o644 },
  '/etc/resolv.conf': { kind: 'file', uid: 0, gid: 0, mode: 0o644 },
  '/etc/shadow': { kind: 'file', uid: 0, gid: 42, mode: 0o640 },
  '/etc/group-writable.conf': { kind: 'file', uid: 0, gid: 1000, mode: 0o664 },
  '/etc/krb5.conf': { kind: 'file', uid: 0, gid: 0, mode: 0o644 },
  '/etc': { kind: 'directory', uid: 0, gid: 0, mode: 0o755 },
  '/dev/null': { kind: 'char-device', uid: 0, gid: 0, mode: 0o666 },
  '/dev/urandom': { kind: 'char-device', uid: 0, gid: 0, mode: 0o666 },
  '/home/me/.ssh/known_hosts': { kind: 'file', uid: 1000, gid: 1000, mode: 0o644 },
  '/home/me/.gitconfig': { kind: 'file', uid: 1000, gid: 1000, mode: 0o644 },
  '/home/me/.bashrc': { kind: 'file', uid: 65534, gid: 65534, mode: 0o644 },
};

export function fakeHost(overrides: Partial<HostView> = {}): HostView {
  return { env: ENV, cwd: CWD, home: HOME, realpath: (p) => fakeRealpath(p), stat: (p) => STATS[p], ...overrides };
}

export const ROOT_IMAGE: ImageFacts = { id: 'sha256:1', user: '', volumes: [], exposedPorts: [] };
export const APP_IMAGE: ImageFacts = { id: 'sha256:2', user: 'app', volumes: [], exposedPorts: ['80/tcp'] };

/** A scratch folder with the files some rows name ($T in a row). */
export function scratchFiles(files: Readonly<Record<string, string>>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'safedock-policy-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A command line as a shell would split it: single and double quotes, $NAME from `vars`, and a
 * leading ~ as the home folder.
 */
export function shellWords(line: string, vars: Readonly<Record<string, string>>): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else if (c === '$' && quote === '"') i = expand(line, i, vars, (s) => (word = (word ?? '') + s));
      else word = (word ?? '') + c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (c === ' ') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '$') {
      i = expand(line, i, vars, (s) => (word = (word ?? '') + s));
    } else if (
      c === '~' &&
      word === undefined &&
      (line.charAt(i + 1) === '/' || line.charAt(i + 1) === ' ' || i + 1 === line.length)
    ) {
      word = HOME;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote !== undefined) throw new Error(`unclosed quote in ${line}`);
  if (word !== undefined) words.push(word);
  return words;
}

function expand(line: string, at: number, vars: Readonly<Record<string, string>>, add: (s: string) => void): number {
  const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(line.slice(at + 1))?.[0];
  if (name === undefined) {
    add('$');
    return at;
  }
  const value = vars[name];
  if (value === undefined) throw new Error(`$${name} is not set for this row`);
  add(value);
  return at + name.length;
}

export interface RowOptions {
  preset?: string;
  /** The inspected image; `null` when it was not inspected. */
  image?: ImageFacts | null;
  vars?: Readonly<Record<string, string>>;
  host?: HostView;
  /** Facts from the engine, the image and the host, as a run gathers them. */
  facts?: RunFacts;
}

/** Parse, plan under a preset (with --secret as run does), and evaluate. */
export async function planLine(line: string, options: RowOptions = {}): Promise<RunPlan> {
  const vars = { PWD: CWD, HOME, ...options.vars };
  const parsed = parseRunArgv(shellWords(line, vars));
  const cwd = options.host?.cwd ?? CWD;
  const { user, secrets } = convertUserFlags(parsed, { env: ENV, cwd });
  const image = options.image === null ? undefined : (options.image ?? ROOT_IMAGE);
  const preset = await resolvePreset(options.preset ?? 'strict');
  const accounts = options.facts?.accounts;
  return plan({ parsed, user, secrets, preset }, image, {
    env: ENV,
    cwd,
    apiVersion: '1.41',
    accounts: typeof accounts === 'string' ? undefined : accounts,
  });
}

export async function findingsFor(line: string, options: RowOptions = {}): Promise<Finding[]> {
  const planned = await planLine(line, options);
  return evaluatePolicy({
    spec: planned.spec,
    provenance: planned.provenance,
    image: planned.image,
    host: options.host ?? fakeHost(),
    facts: options.facts,
  });
}

/** The rules that fired at severity low or above, sorted, each once. */
export const warnedRules = (findings: readonly Finding[]): string[] =>
  [...new Set(findings.filter((f) => f.severity !== 'info').map((f) => f.rule))].sort();

/** Plan parsed arguments under a preset, as a run does (your flags converted once). */
export function planArgs(
  parsed: ReturnType<typeof parseRunArgv>,
  preset: Awaited<ReturnType<typeof resolvePreset>>,
  image: ImageFacts | undefined,
  ctx: { env: NodeJS.ProcessEnv; cwd: string; apiVersion: string },
): RunPlan {
  const { user, secrets } = convertUserFlags(parsed, ctx);
  return plan({ parsed, user, secrets, preset }, image, ctx);
}
