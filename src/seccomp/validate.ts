import { readFile } from 'node:fs/promises';
import { suggest } from '../grammar/suggest.js';
import { SafedockError } from '../errors.js';
import { ALL_SYSCALL_NAMES, SYSCALL_ARCHES, type SyscallArch, syscallArches } from './syscalls.js';
import {
  CAPABILITIES,
  DENYING_ACTIONS,
  FILTER_ARCHES,
  SECCOMP_ACTIONS,
  SECCOMP_ARCHES,
  SECCOMP_FLAGS,
  SECCOMP_OPS,
  type SeccompAction,
  type SeccompArchMapEntry,
  type SeccompArg,
  type SeccompCheck,
  type SeccompFilter,
  type SeccompFinding,
  type SeccompOp,
  type SeccompProfile,
  type SeccompRule,
} from './types.js';

const TOP_LEVEL_FIELDS = [
  'defaultAction',
  'defaultErrnoRet',
  'architectures',
  'archMap',
  'syscalls',
  'listenerPath',
  'listenerMetadata',
  'flags',
] as const;
const RULE_FIELDS = ['names', 'name', 'action', 'errnoRet', 'args', 'comment', 'includes', 'excludes'] as const;
const ARG_FIELDS = ['index', 'value', 'valueTwo', 'op'] as const;
const FILTER_FIELDS = ['arches', 'caps', 'minKernel'] as const;
const ARCH_MAP_FIELDS = ['architecture', 'subArchitectures'] as const;
/** Largest errno the kernel returns (MAX_ERRNO). */
const MAX_ERRNO = 4095;
const UINT64_MAX = 2 ** 64 - 1;

/** Common spellings of an architecture, without the SCMP_ARCH_ prefix, and the engine's name for it. */
const ARCH_ALIASES: Record<string, string> = {
  amd64: 'SCMP_ARCH_X86_64',
  x86_64: 'SCMP_ARCH_X86_64',
  x64: 'SCMP_ARCH_X86_64',
  arm64: 'SCMP_ARCH_AARCH64',
  aarch64: 'SCMP_ARCH_AARCH64',
  i386: 'SCMP_ARCH_X86',
  i686: 'SCMP_ARCH_X86',
  '386': 'SCMP_ARCH_X86',
  x86: 'SCMP_ARCH_X86',
  armhf: 'SCMP_ARCH_ARM',
  arm: 'SCMP_ARCH_ARM',
};

type Json = unknown;
type JsonObject = Record<string, Json>;

function isObject(v: Json): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: Json): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return `the boolean ${v}`;
  // Parsed JSON holds nothing else; any other value is named by its type.
  return `a ${typeof v}`;
}

/** did-you-mean over candidates in any case: `suggest` compares lower case. */
function closest(input: string, candidates: readonly string[]): string | undefined {
  const lower = candidates.map((c) => c.toLowerCase());
  const hit = suggest(input, lower);
  return hit === undefined ? undefined : candidates[lower.indexOf(hit)];
}

function didYouMean(input: string, candidates: readonly string[]): string {
  const hit = closest(input, candidates);
  return hit === undefined ? '' : `; did you mean ${JSON.stringify(hit)}?`;
}

function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** Collects findings while walking one profile. */
class Walker {
  readonly problems: SeccompFinding[] = [];
  readonly notes: SeccompFinding[] = [];

  problem(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  note(path: string, message: string): void {
    this.notes.push({ path, message });
  }

  unknownFields(obj: JsonObject, path: string, known: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (known.includes(key)) continue;
      const hint = closest(key, known);
      this.problem(
        at(path, key),
        hint === undefined
          ? `unknown field, which the engine ignores; remove it (known fields: ${known.join(', ')})`
          : `unknown field, which the engine ignores; did you mean ${JSON.stringify(hint)}?`,
      );
    }
  }

  /** A non-negative integer up to `max`, or undefined after reporting. */
  integer(v: Json, path: string, max: number, what: string): number | undefined {
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max) return v;
    this.problem(path, `expected ${what}, found ${describe(v)}`);
    return undefined;
  }

  string(v: Json, path: string): string | undefined {
    if (typeof v === 'string') return v;
    this.problem(path, `expected a string, found ${describe(v)}`);
    return undefined;
  }

  stringArray(v: Json, path: string): string[] | undefined {
    if (!Array.isArray(v)) {
      this.problem(path, `expected an array of strings, found ${describe(v)}`);
      return undefined;
    }
    const out: string[] = [];
    v.forEach((item: Json, i) => {
      const s = this.string(item, at(path, i));
      if (s !== undefined) out.push(s);
    });
    return out.length === v.length ? out : undefined;
  }

  action(v: Json, path: string): SeccompAction | undefined {
    const s = this.string(v, path);
    if (s === undefined) return undefined;
    if ((SECCOMP_ACTIONS as readonly string[]).includes(s)) return s as SeccompAction;
    const hint = didYouMean(s, SECCOMP_ACTIONS);
    this.problem(
      path,
      `${JSON.stringify(s)} is not a seccomp action${hint || `; use one of ${SECCOMP_ACTIONS.join(', ')}`}`,
    );
    return undefined;
  }

  arch(v: Json, path: string): string | undefined {
    const s = this.string(v, path);
    if (s === undefined) return undefined;
    if ((SECCOMP_ARCHES as readonly string[]).includes(s)) return s;
    const alias = ARCH_ALIASES[s.replace(/^scmp_arch_/i, '').toLowerCase()];
    const hint = alias === undefined ? closest(s, SECCOMP_ARCHES) : alias;
    this.problem(
      path,
      `${JSON.stringify(s)} is not a seccomp architecture${
        hint === undefined
          ? '; use a name like "SCMP_ARCH_X86_64" or "SCMP_ARCH_AARCH64"'
          : `; did you mean ${JSON.stringify(hint)}?`
      }`,
    );
    return undefined;
  }

  errno(v: Json, path: string): number | undefined {
    return this.integer(v, path, MAX_ERRNO, `an errno number from 0 to ${MAX_ERRNO}`);
  }
}

function checkArchitectures(w: Walker, root: JsonObject): Pick<SeccompProfile, 'architectures' | 'archMap'> {
  const out: Pick<SeccompProfile, 'architectures' | 'archMap'> = {};
  if ('architectures' in root && 'archMap' in root) {
    w.problem('archMap', '"architectures" and "archMap" are mutually exclusive; keep one of them');
  }
  if ('architectures' in root) {
    const v = root['architectures'];
    if (!Array.isArray(v)) w.problem('architectures', `expected an array of architecture names, found ${describe(v)}`);
    else {
      const arches = v.map((a: Json, i) => w.arch(a, at('architectures', i)));
      if (arches.every((a) => a !== undefined)) out.architectures = arches;
    }
  }
  if ('archMap' in root) {
    const v = root['archMap'];
    if (!Array.isArray(v))
      w.problem('archMap', `expected an array of {"architecture", "subArchitectures"}, found ${describe(v)}`);
    else {
      const entries: SeccompArchMapEntry[] = [];
      v.forEach((e: Json, i) => {
        const path = at('archMap', i);
        if (!isObject(e)) {
          w.problem(path, `expected an object with "architecture" and "subArchitectures", found ${describe(e)}`);
          return;
        }
        w.unknownFields(e, path, ARCH_MAP_FIELDS);
        if (!('architecture' in e)) w.problem(path, 'has no "architecture"; add one, e.g. "SCMP_ARCH_X86_64"');
        const arch = 'architecture' in e ? w.arch(e['architecture'], at(path, 'architecture')) : undefined;
        let subs: string[] | undefined = [];
        if ('subArchitectures' in e) {
          const s = e['subArchitectures'];
          if (!Array.isArray(s)) {
            w.problem(at(path, 'subArchitectures'), `expected an array of architecture names, found ${describe(s)}`);
            subs = undefined;
          } else {
            const mapped = s.map((a: Json, j) => w.arch(a, at(at(path, 'subArchitectures'), j)));
            subs = mapped.every((a) => a !== undefined) ? mapped : undefined;
          }
        }
        if (arch !== undefined && subs !== undefined) entries.push({ architecture: arch, subArchitectures: subs });
      });
      if (entries.length === v.length) out.archMap = entries;
    }
  }
  if (!('architectures' in root) && !('archMap' in root)) {
    w.note(
      '',
      'no "architectures" or "archMap": the filter covers only the native architecture, and 32-bit calls are killed',
    );
  }
  return out;
}

function checkFilter(w: Walker, v: Json, path: string): SeccompFilter | undefined {
  if (!isObject(v)) {
    w.problem(path, `expected an object with "arches", "caps" or "minKernel", found ${describe(v)}`);
    return undefined;
  }
  w.unknownFields(v, path, FILTER_FIELDS);
  const out: SeccompFilter = {};
  let ok = true;
  if ('arches' in v) {
    const arches = w.stringArray(v['arches'], at(path, 'arches'));
    arches?.forEach((a, i) => {
      if ((FILTER_ARCHES as readonly string[]).includes(a)) return;
      ok = false;
      w.problem(
        at(at(path, 'arches'), i),
        `${JSON.stringify(a)} is not an architecture name the engine matches here${didYouMean(a, FILTER_ARCHES) || `; use Go's names: ${FILTER_ARCHES.join(', ')}`}`,
      );
    });
    if (arches === undefined) ok = false;
    else out.arches = arches;
  }
  if ('caps' in v) {
    const caps = w.stringArray(v['caps'], at(path, 'caps'));
    caps?.forEach((c, i) => {
      if ((CAPABILITIES as readonly string[]).includes(c)) return;
      ok = false;
      const fixed = (CAPABILITIES as readonly string[]).includes(`CAP_${c.toUpperCase()}`)
        ? `CAP_${c.toUpperCase()}`
        : closest(c, CAPABILITIES);
      w.problem(
        at(at(path, 'caps'), i),
        `${JSON.stringify(c)} is not a capability${fixed === undefined ? '; use a name like "CAP_SYS_ADMIN"' : `; did you mean ${JSON.stringify(fixed)}?`}`,
      );
    });
    if (caps === undefined) ok = false;
    else out.caps = caps;
  }
  if ('minKernel' in v) {
    const k = w.string(v['minKernel'], at(path, 'minKernel'));
    if (k !== undefined && !/^\d+\.\d+(\.\d+)?$/.test(k)) {
      ok = false;
      w.problem(at(path, 'minKernel'), `${JSON.stringify(k)} is not a kernel version; write it like "5.8"`);
    } else if (k === undefined) ok = false;
    else out.minKernel = k;
  }
  return ok ? out : undefined;
}

function checkArg(w: Walker, v: Json, path: string): SeccompArg | undefined {
  if (!isObject(v)) {
    w.problem(path, `expected an object with "index", "value" and "op", found ${describe(v)}`);
    return undefined;
  }
  w.unknownFields(v, path, ARG_FIELDS);
  for (const f of ['index', 'value', 'op'] as const) {
    if (!(f in v))
      w.problem(path, `has no ${JSON.stringify(f)}; an argument condition needs "index", "value" and "op"`);
  }
  const index =
    'index' in v ? w.integer(v['index'], at(path, 'index'), 5, 'an argument number from 0 to 5') : undefined;
  const value =
    'value' in v ? w.integer(v['value'], at(path, 'value'), UINT64_MAX, 'a non-negative integer') : undefined;
  const valueTwo =
    'valueTwo' in v ? w.integer(v['valueTwo'], at(path, 'valueTwo'), UINT64_MAX, 'a non-negative integer') : undefined;
  let op: SeccompOp | undefined;
  if ('op' in v) {
    const s = w.string(v['op'], at(path, 'op'));
    if (s !== undefined) {
      if ((SECCOMP_OPS as readonly string[]).includes(s)) op = s as SeccompOp;
      else {
        w.problem(
          at(path, 'op'),
          `${JSON.stringify(s)} is not a comparison${didYouMean(s, SECCOMP_OPS) || `; use one of ${SECCOMP_OPS.join(', ')}`}`,
        );
      }
    }
  }
  if (op !== undefined && op !== 'SCMP_CMP_MASKED_EQ' && valueTwo !== undefined && valueTwo !== 0) {
    w.note(at(path, 'valueTwo'), `only SCMP_CMP_MASKED_EQ uses "valueTwo"; ${op} ignores it`);
  }
  if (index === undefined || value === undefined || op === undefined) return undefined;
  if ('valueTwo' in v && valueTwo === undefined) return undefined;
  const arg: SeccompArg = { index, value, op };
  if (valueTwo !== undefined) arg.valueTwo = valueTwo;
  return arg;
}

function checkNames(
  w: Walker,
  rule: JsonObject,
  path: string,
  onlyOn: Map<SyscallArch, Set<string>>,
): string[] | undefined {
  if ('name' in rule && 'names' in rule) {
    w.problem(path, 'has both "name" and "names", which the engine refuses; keep "names"');
    return undefined;
  }
  let names: string[] | undefined;
  let namesPath: string;
  if ('names' in rule) {
    namesPath = at(path, 'names');
    names = w.stringArray(rule['names'], namesPath);
    if (names !== undefined && names.length === 0) {
      w.problem(namesPath, 'empty; list the syscalls this rule applies to, or remove the rule');
      return undefined;
    }
  } else if ('name' in rule) {
    namesPath = at(path, 'name');
    const one = w.string(rule['name'], namesPath);
    names = one === undefined ? undefined : [one];
  } else {
    w.problem(path, 'has no "names"; add the syscalls this rule applies to, e.g. "names": ["read"]');
    return undefined;
  }
  if (names === undefined) return undefined;
  let ok = true;
  const seen = new Set<string>();
  // A loop rather than forEach, so the compiler sees `ok` change before it is read below.
  for (const [i, name] of names.entries()) {
    const p = 'names' in rule ? at(namesPath, i) : namesPath;
    if (seen.has(name)) w.note(p, `${JSON.stringify(name)} is listed twice in this rule`);
    seen.add(name);
    const arches = syscallArches(name);
    if (arches.length === 0) {
      ok = false;
      const hint = suggest(name, ALL_SYSCALL_NAMES);
      w.problem(
        p,
        `unknown syscall ${JSON.stringify(name)} (not on x86_64 or aarch64), which the engine would silently skip${
          hint === undefined
            ? "; check the spelling against the kernel's syscall table"
            : `; did you mean ${JSON.stringify(hint)}?`
        }`,
      );
    } else if (arches.length === 1) {
      onlyOn.get(arches[0] as SyscallArch)?.add(name);
    }
  }
  return ok ? names : undefined;
}

function checkRule(w: Walker, v: Json, path: string, onlyOn: Map<SyscallArch, Set<string>>): SeccompRule | undefined {
  if (!isObject(v)) {
    w.problem(path, `expected an object with "names" and "action", found ${describe(v)}`);
    return undefined;
  }
  w.unknownFields(v, path, RULE_FIELDS);
  const names = checkNames(w, v, path, onlyOn);
  let action: SeccompAction | undefined;
  if (!('action' in v)) w.problem(path, 'has no "action"; add one, e.g. "action": "SCMP_ACT_ALLOW"');
  else action = w.action(v['action'], at(path, 'action'));
  let ok = names !== undefined && action !== undefined;
  const rule: Partial<SeccompRule> = {};
  if ('errnoRet' in v) {
    const errno = w.errno(v['errnoRet'], at(path, 'errnoRet'));
    if (errno === undefined) ok = false;
    else rule.errnoRet = errno;
    if (action !== undefined && action !== 'SCMP_ACT_ERRNO' && action !== 'SCMP_ACT_TRACE') {
      ok = false;
      w.problem(
        at(path, 'errnoRet'),
        `only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take "errnoRet", not ${action}; remove it or change the action`,
      );
    }
  }
  if ('args' in v) {
    const a = v['args'];
    if (!Array.isArray(a)) {
      ok = false;
      w.problem(at(path, 'args'), `expected an array of argument conditions, found ${describe(a)}`);
    } else {
      const args = a.map((x: Json, i) => checkArg(w, x, at(at(path, 'args'), i)));
      if (args.every((x) => x !== undefined)) {
        const list = args;
        const indexes = list.map((x) => x.index);
        if (new Set(indexes).size < indexes.length) {
          w.note(
            at(path, 'args'),
            'several conditions on the same argument: runc applies them as alternatives (any one matches), not all together',
          );
        }
        if (list.length > 0) rule.args = list;
      } else ok = false;
    }
  }
  if ('comment' in v) {
    const c = w.string(v['comment'], at(path, 'comment'));
    if (c === undefined) ok = false;
    else rule.comment = c;
  }
  for (const key of ['includes', 'excludes'] as const) {
    if (!(key in v)) continue;
    const f = checkFilter(w, v[key], at(path, key));
    if (f === undefined) ok = false;
    else rule[key] = f;
  }
  if (!ok || names === undefined || action === undefined) return undefined;
  return { ...rule, names, action };
}

/** Findings that need the whole, valid profile. */
function crossChecks(w: Walker, profile: SeccompProfile): void {
  const defaultErrno = profile.defaultErrnoRet ?? 1;
  profile.syscalls.forEach((r, i) => {
    if (r.action === 'SCMP_ACT_NOTIFY' && profile.listenerPath === undefined) {
      w.problem(
        at(at('syscalls', i), 'action'),
        'SCMP_ACT_NOTIFY needs a top-level "listenerPath" for the engine to hand calls to',
      );
    }
    const conditional = r.includes !== undefined || r.excludes !== undefined || r.args !== undefined;
    if (
      !conditional &&
      r.action === profile.defaultAction &&
      (r.action !== 'SCMP_ACT_ERRNO' || (r.errnoRet ?? 1) === defaultErrno)
    ) {
      w.note(at('syscalls', i), `same action as "defaultAction" (${r.action}); the rule changes nothing`);
    }
  });
  // libseccomp 2.5 (runc 1.1) refused, with "file exists", a profile mixing an ERRNO rule and ALLOW rules
  // on the same syscall under argument conditions: worth a look before the engine refuses to start.
  const actionsByName = new Map<string, Set<string>>();
  for (const r of profile.syscalls) {
    if (r.args === undefined) continue;
    for (const n of r.names) {
      const set = actionsByName.get(n) ?? new Set<string>();
      set.add(`${r.action}/${r.errnoRet ?? ''}`);
      actionsByName.set(n, set);
    }
  }
  for (const [name, actions] of actionsByName) {
    if (actions.size > 1) {
      w.note(
        'syscalls',
        `${JSON.stringify(name)} has argument rules with different actions; libseccomp 2.5 refuses some such mixes ("file exists"), so try the profile on your engine`,
      );
    }
  }
}

/** Checks a parsed profile against the engine's format and safedock's rules; never throws. */
export function checkSeccompProfile(json: unknown, source: string): SeccompCheck {
  const w = new Walker();
  const result = (profile: SeccompProfile | undefined): SeccompCheck => ({
    source,
    profile: w.problems.length === 0 ? profile : undefined,
    problems: w.problems,
    notes: w.notes,
  });
  if (!isObject(json)) {
    w.problem('', `expected a JSON object with "defaultAction" and "syscalls", found ${describe(json)}`);
    return result(undefined);
  }
  if (Object.keys(json).length === 0) {
    w.problem(
      '',
      'the profile is empty, and the engine runs a container without seccomp for "{}"; add "defaultAction": "SCMP_ACT_ERRNO" and a "syscalls" allow-list',
    );
    return result(undefined);
  }
  w.unknownFields(json, '', TOP_LEVEL_FIELDS);

  let defaultAction: SeccompAction | undefined;
  if (!('defaultAction' in json)) {
    w.problem(
      'defaultAction',
      'missing; add "defaultAction": "SCMP_ACT_ERRNO" so that syscalls the profile does not list are refused',
    );
  } else {
    defaultAction = w.action(json['defaultAction'], 'defaultAction');
    if (defaultAction !== undefined && !DENYING_ACTIONS.includes(defaultAction)) {
      w.problem(
        'defaultAction',
        `${defaultAction} does not refuse the syscalls the profile leaves out; use "SCMP_ACT_ERRNO" (with "defaultErrnoRet": 1) and list the syscalls to allow`,
      );
    }
  }
  let defaultErrnoRet: number | undefined;
  if ('defaultErrnoRet' in json) {
    defaultErrnoRet = w.integer(
      json['defaultErrnoRet'],
      'defaultErrnoRet',
      MAX_ERRNO,
      `an errno number from 1 to ${MAX_ERRNO}`,
    );
    if (defaultErrnoRet === 0) {
      w.problem('defaultErrnoRet', '0 makes every refused syscall report success; use 1 (EPERM) or 38 (ENOSYS)');
    } else if (defaultErrnoRet !== undefined && defaultAction !== undefined && defaultAction !== 'SCMP_ACT_ERRNO') {
      w.note('defaultErrnoRet', `ignored: "defaultAction" is ${defaultAction}, not SCMP_ACT_ERRNO`);
    }
  }
  const arches = checkArchitectures(w, json);

  const optional: Partial<SeccompProfile> = {};
  for (const key of ['listenerPath', 'listenerMetadata'] as const) {
    if (!(key in json)) continue;
    const s = w.string(json[key], key);
    if (s !== undefined) optional[key] = s;
  }
  if ('flags' in json) {
    const flags = w.stringArray(json['flags'], 'flags');
    flags?.forEach((f, i) => {
      if ((SECCOMP_FLAGS as readonly string[]).includes(f)) return;
      w.problem(
        at('flags', i),
        `${JSON.stringify(f)} is not a seccomp filter flag${didYouMean(f, SECCOMP_FLAGS) || `; use one of ${SECCOMP_FLAGS.join(', ')}`}`,
      );
    });
    if (flags !== undefined) optional.flags = flags;
  }

  const onlyOn = new Map<SyscallArch, Set<string>>(SYSCALL_ARCHES.map((a) => [a, new Set<string>()]));
  const rules: SeccompRule[] = [];
  if (!('syscalls' in json)) {
    w.problem(
      'syscalls',
      'missing; list the syscalls to allow, e.g. [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"}]',
    );
  } else {
    const s = json['syscalls'];
    if (!Array.isArray(s)) w.problem('syscalls', `expected an array of rules, found ${describe(s)}`);
    else if (s.length === 0) w.problem('syscalls', 'empty, so nothing is allowed; list the syscalls to allow');
    else {
      s.forEach((r: Json, i) => {
        const rule = checkRule(w, r, at('syscalls', i), onlyOn);
        if (rule !== undefined) rules.push(rule);
      });
    }
  }
  for (const [arch, names] of onlyOn) {
    if (names.size === 0) continue;
    const other = SYSCALL_ARCHES.filter((a) => a !== arch).join(' and ');
    w.note(
      'syscalls',
      `${names.size} name(s) exist only on ${arch} and are skipped on ${other}: ${[...names].join(', ')}`,
    );
  }

  if (w.problems.length > 0 || defaultAction === undefined) return result(undefined);
  const profile: SeccompProfile = { defaultAction, ...arches, ...optional, syscalls: rules };
  if (defaultErrnoRet !== undefined) profile.defaultErrnoRet = defaultErrnoRet;
  crossChecks(w, profile);
  return result(profile);
}

/** One finding as a line: `FILE: PATH: MESSAGE`. */
export function formatFinding(source: string, f: SeccompFinding): string {
  return f.path === '' ? `${source}: ${f.message}` : `${source}: ${f.path}: ${f.message}`;
}

/** The profile, or a SafedockError listing every problem. */
export function validateSeccompProfile(json: unknown, source: string): SeccompProfile {
  const check = checkSeccompProfile(json, source);
  if (check.profile !== undefined) return check.profile;
  const n = check.problems.length;
  throw new SafedockError(
    [
      `${source}: invalid seccomp profile (${n} problem${n === 1 ? '' : 's'})`,
      ...check.problems.map((p) => `  ${formatFinding(source, p)}`),
    ].join('\n'),
    { code: 'seccomp-invalid', hint: `fix the profile; \`safedock seccomp check ${source}\` checks it again` },
  );
}

/** Parses and checks profile text; a JSON syntax error is a problem too. */
export function checkSeccompText(text: string, source: string): SeccompCheck {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return {
      source,
      profile: undefined,
      problems: [{ path: '', message: `not valid JSON (${(e as Error).message}); fix the syntax` }],
      notes: [],
    };
  }
  return checkSeccompProfile(json, source);
}

/** Reads and checks a profile file; an unreadable file is a problem, not an exception. */
export async function checkSeccompFile(file: string): Promise<SeccompCheck> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'a directory, not a file' : err.message;
    return {
      source: file,
      profile: undefined,
      problems: [{ path: '', message: `cannot read the profile: ${why}` }],
      notes: [],
    };
  }
  return checkSeccompText(text, file);
}
