/**
 * A profile's rules as the engine's Go decoder reads them (keys without regard to case, the last of
 * each winning; see src/grammar/go-json.ts), in the typed form the evaluator takes. Judging the
 * default action alone let a profile that refuses by default and then allows every call by name
 * pass as a filter; reading the rules the same way the engine does closes that.
 */
import { goStructFields, type GoJson } from '../grammar/go-json.js';
import {
  SECCOMP_ACTIONS,
  SECCOMP_OPS,
  type SeccompAction,
  type SeccompArg,
  type SeccompFilter,
  type SeccompOp,
  type SeccompProfile,
  type SeccompRule,
} from './types.js';

const RULE_FIELDS = ['name', 'names', 'action', 'args', 'errnoRet', 'includes', 'excludes'] as const;
const ARG_FIELDS = ['index', 'value', 'valueTwo', 'op'] as const;
const FILTER_FIELDS = ['arches', 'caps', 'minKernel'] as const;

/** The rules of a profile tree whose default action is known, or why the engine could not use them. */
export function engineRules(
  defaultAction: SeccompAction,
  syscalls: GoJson | undefined,
  defaultErrnoRet?: number,
): { profile: SeccompProfile } | { error: string } {
  if (syscalls === undefined || syscalls.kind === 'null') return { profile: { defaultAction, syscalls: [] } };
  if (syscalls.kind !== 'array') return { error: `syscalls is a JSON ${syscalls.kind}, not a list` };
  const rules: SeccompRule[] = [];
  for (const [i, item] of syscalls.items.entries()) {
    const rule = readRule(item);
    if (typeof rule === 'string') return { error: `syscalls[${i}]: ${rule}` };
    // runc leaves out a rule that does what the default does (same action, same errno): it
    // cannot shadow a later rule for the same call, as a first-match reading would assume.
    if (rule.action === defaultAction && rule.errnoRet === defaultErrnoRet) continue;
    rules.push(rule);
  }
  return { profile: { defaultAction, syscalls: rules } };
}

function readRule(item: GoJson): SeccompRule | string {
  if (item.kind === 'null') return { names: [], action: 'SCMP_ACT_ERRNO' };
  if (item.kind !== 'object') return `a JSON ${item.kind}, not an object`;
  const f = goStructFields(item, RULE_FIELDS, ['names', 'args', 'includes', 'excludes']);
  const names = strings(f.names, 'names');
  if (typeof names === 'string') return names;
  const name = f.name === undefined ? '' : f.name.kind === 'string' ? f.name.value : undefined;
  if (name === undefined) return 'name is not a string';
  // moby refuses a rule with both; a rule with neither names nothing.
  if (name !== '' && names.length > 0) return 'name and names are both set, which the engine refuses';
  const action = f.action?.kind === 'string' ? f.action.value : '';
  if (!(SECCOMP_ACTIONS as readonly string[]).includes(action))
    return `action ${JSON.stringify(action)} is not one the engine knows`;
  const args = readArgs(f.args);
  if (typeof args === 'string') return args;
  const includes = readFilter(f.includes);
  const excludes = readFilter(f.excludes);
  if (typeof includes === 'string') return `includes: ${includes}`;
  if (typeof excludes === 'string') return `excludes: ${excludes}`;
  const errnoRet = f.errnoRet?.kind === 'number' && /^\d+$/.test(f.errnoRet.text) ? Number(f.errnoRet.text) : undefined;
  return {
    names: name !== '' ? [name] : names,
    action: action as SeccompAction,
    ...(errnoRet !== undefined ? { errnoRet } : {}),
    ...(args.length > 0 ? { args } : {}),
    ...(includes !== undefined ? { includes } : {}),
    ...(excludes !== undefined ? { excludes } : {}),
  };
}

function strings(node: GoJson | undefined, what: string): string[] | string {
  if (node === undefined || node.kind === 'null') return [];
  if (node.kind !== 'array') return `${what} is a JSON ${node.kind}, not a list`;
  const out: string[] = [];
  for (const item of node.items) {
    if (item.kind === 'null') continue;
    if (item.kind !== 'string') return `${what} holds a JSON ${item.kind}, not a string`;
    out.push(item.value);
  }
  return out;
}

function readArgs(node: GoJson | undefined): SeccompArg[] | string {
  if (node === undefined || node.kind === 'null') return [];
  if (node.kind !== 'array') return `args is a JSON ${node.kind}, not a list`;
  const out: SeccompArg[] = [];
  for (const item of node.items) {
    if (item.kind !== 'object') return 'args holds something other than an object';
    const f = goStructFields(item, ARG_FIELDS);
    const op = f.op?.kind === 'string' ? f.op.value : '';
    if (!(SECCOMP_OPS as readonly string[]).includes(op))
      return `args: op ${JSON.stringify(op)} is not one the engine knows`;
    const num = (n: GoJson | undefined): number | undefined =>
      n === undefined ? 0 : n.kind === 'number' && /^\d+$/.test(n.text) ? Number(n.text) : undefined;
    const index = num(f.index);
    const value = num(f.value);
    const valueTwo = num(f.valueTwo);
    if (index === undefined || value === undefined || valueTwo === undefined)
      return 'args: index, value and valueTwo must be whole numbers';
    out.push({ index, value, valueTwo, op: op as SeccompOp });
  }
  return out;
}

function readFilter(node: GoJson | undefined): SeccompFilter | undefined | string {
  if (node === undefined || node.kind === 'null') return undefined;
  if (node.kind !== 'object') return `a JSON ${node.kind}, not an object`;
  const f = goStructFields(node, FILTER_FIELDS, ['arches', 'caps']);
  const arches = strings(f.arches, 'arches');
  const caps = strings(f.caps, 'caps');
  if (typeof arches === 'string') return arches;
  if (typeof caps === 'string') return caps;
  const minKernel = f.minKernel?.kind === 'string' ? f.minKernel.value : undefined;
  return {
    ...(arches.length > 0 ? { arches } : {}),
    ...(caps.length > 0 ? { caps } : {}),
    ...(minKernel !== undefined && minKernel !== '' ? { minKernel } : {}),
  };
}
