/**
 * A seccomp profile as the engine will apply it, read the way the engine reads it: moby's
 * LoadProfile unmarshals the text with Go's encoding/json into its Seccomp struct (keys matched
 * without regard to case, the last of each winning, `null` a no-op for a string), then setupSeccomp
 * turns "no default action and no rules" into no filter at all. Judging JSON.parse's reading instead
 * lets `{"defaultAction":"SCMP_ACT_ERRNO","DefaultAction":"SCMP_ACT_ALLOW"}` pass for a refusing
 * profile while the engine allows everything.
 */
import { goStructFields, parseGoJson, type GoJson } from '../grammar/go-json.js';
import { engineRules } from './engine-profile.js';
import { DENYING_ACTIONS, type SeccompAction, type SeccompProfile } from './types.js';

export type EngineSeccomp =
  /** No filter: `unconfined`, `null`, `{}`, or a profile with neither a default action nor rules. */
  | { state: 'off'; why: string }
  /** A filter whose default action lets every unnamed call through (or that names none the runtime knows). */
  | { state: 'open'; defaultAction: string; why: string }
  /** A filter whose default action refuses what it does not name. */
  | { state: 'filter'; defaultAction: SeccompAction; profile: SeccompProfile }
  /** The engine's own default profile (no seccomp option, or `builtin`). */
  | { state: 'default' }
  /** Text the engine's decoder refuses: a policy cannot tell what would run, so it is judged as unreadable. */
  | { state: 'unreadable'; why: string };

/** The top-level fields of moby's Seccomp struct (with the embedded runtime-spec fields). */
const FIELDS = ['defaultAction', 'defaultErrnoRet', 'architectures', 'archMap', 'syscalls', 'flags'] as const;

/**
 * The value of a `seccomp=` security option as the engine takes it. The engine compares
 * `unconfined` exactly; other spellings of it are judged as off too, never as a profile.
 */
export function engineSeccomp(value: string): EngineSeccomp {
  // A run judges its plan more than once (before the engine is asked, then in full), each time
  // with the same profile of some thousand tokens: it is read once.
  if (value === lastRead?.value) return lastRead.seen;
  const seen = readEngineSeccomp(value);
  lastRead = { value, seen };
  return seen;
}

let lastRead: { value: string; seen: EngineSeccomp } | undefined;

function readEngineSeccomp(value: string): EngineSeccomp {
  const trimmed = value.trim();
  if (trimmed.toLowerCase() === 'unconfined') return { state: 'off', why: `seccomp=${value}` };
  if (trimmed === 'builtin' || trimmed === '') return { state: 'default' };
  const tree = parseGoJson(value);
  if ('error' in tree) return { state: 'unreadable', why: `the profile is not JSON (${tree.error})` };
  return profileAsEngine(tree);
}

function profileAsEngine(tree: GoJson): EngineSeccomp {
  // Unmarshalling null into a struct leaves it empty: no default action, no rules, no filter.
  if (tree.kind === 'null') return { state: 'off', why: 'the profile is null, which the engine reads as no profile' };
  if (tree.kind !== 'object') return { state: 'unreadable', why: `the profile is a JSON ${tree.kind}, not an object` };
  const fields = goStructFields(tree, FIELDS, ['syscalls', 'architectures', 'archMap', 'flags']);
  const action = fields.defaultAction;
  if (action !== undefined && action.kind !== 'string')
    return { state: 'unreadable', why: `defaultAction is a JSON ${action.kind}, not a string` };
  const syscalls = fields.syscalls;
  if (syscalls !== undefined && syscalls.kind !== 'array' && syscalls.kind !== 'null')
    return { state: 'unreadable', why: `syscalls is a JSON ${syscalls.kind}, not a list` };
  const defaultAction = action?.value ?? '';
  const rules = syscalls?.kind === 'array' ? syscalls.items.length : 0;
  const spelled = spelling(tree);
  if (defaultAction === '' && rules === 0)
    return {
      state: 'off',
      why: `the profile has no defaultAction${spelled} and no rules, which the engine reads as no filter`,
    };
  if (defaultAction === '')
    return { state: 'open', defaultAction, why: `the profile's defaultAction is empty${spelled}` };
  if ((DENYING_ACTIONS as readonly string[]).includes(defaultAction)) {
    const errno = fields.defaultErrnoRet;
    const defaultErrnoRet = errno?.kind === 'number' && /^\d+$/.test(errno.text) ? Number(errno.text) : undefined;
    const read = engineRules(defaultAction as SeccompAction, syscalls, defaultErrnoRet);
    if ('error' in read) return { state: 'unreadable', why: read.error };
    return { state: 'filter', defaultAction: defaultAction as SeccompAction, profile: read.profile };
  }
  return {
    state: 'open',
    defaultAction,
    why: `the profile's defaultAction is ${defaultAction}${spelled}: every system call it does not name is ${
      defaultAction === 'SCMP_ACT_ALLOW' || defaultAction === 'SCMP_ACT_LOG' ? 'allowed' : 'not refused'
    }`,
  };
}

/** When the key the engine takes is not the one a reader sees first, say so. */
function spelling(tree: Extract<GoJson, { kind: 'object' }>): string {
  const keys = tree.members.map(([k]) => k).filter((k) => /^defaultaction$/i.test(k.replace(/\u017f/g, 's')));
  if (keys.length <= 1 && (keys[0] === undefined || keys[0] === 'defaultAction')) return '';
  return ` (the engine matches keys without regard to case and keeps the last: ${keys.map((k) => JSON.stringify(k)).join(', ')})`;
}
