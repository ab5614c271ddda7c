import { RUNTIMES, ULIMIT_BOUNDS } from '../host-limits.js';
import { originOf, q, type Check, type Hit } from './context.js';

/** SD150: a negative OOM score adjustment spares the container at the host's expense. */
const oomScore: Check = (ctx) =>
  ctx.spec.oomScoreAdj < 0
    ? [
        {
          rule: 'SD150',
          detail: `OomScoreAdj is ${ctx.spec.oomScoreAdj}${ctx.spec.oomScoreAdj <= -1000 ? ': the kernel never picks this container' : ''}`,
          origin: originOf(ctx, 'oomScoreAdj'),
        },
      ]
    : [];

const shownLimit = (n: number): string => (n < 0 ? 'unlimited' : String(n));

/** SD151: one finding per --ulimit beyond its bound (ULIMIT_BOUNDS). */
const ulimits: Check = (ctx) => {
  const hits: Hit[] = [];
  for (const u of ctx.spec.ulimits) {
    const bound = ULIMIT_BOUNDS.find((b) => b.name === u.Name);
    if (bound === undefined || (bound.withoutMemoryLimit && ctx.spec.memory > 0)) continue;
    if (u.Hard >= 0 && u.Hard <= bound.max) continue;
    hits.push({
      rule: 'SD151',
      detail: `Ulimits sets ${u.Name} to ${shownLimit(u.Soft)}:${shownLimit(u.Hard)}, beyond ${bound.max}: ${bound.reason}`,
      origin: originOf(ctx, 'ulimits', u.Name),
      item: u.Name,
    });
  }
  return hits;
};

/** SD152: the container's cgroup under another parent than the engine's. */
const cgroupParent: Check = (ctx) =>
  ctx.spec.cgroupParent.trim() === ''
    ? []
    : [
        {
          rule: 'SD152',
          detail: `CgroupParent is ${q(ctx.spec.cgroupParent)}`,
          origin: originOf(ctx, 'cgroupParent'),
        },
      ];

/**
 * SD153: a runtime other than runc, unless the preset names it (a preset choosing gVisor or Kata
 * is a reviewed tightening). The name's usual meaning sets the severity.
 */
const runtime: Check = (ctx) => {
  const name = ctx.spec.runtime.trim();
  const origin = originOf(ctx, 'runtime');
  if (name === '' || origin === 'preset') return [];
  const kind = RUNTIMES.find((r) => r.names.includes(name.toLowerCase()));
  if (kind !== undefined && kind.severity === undefined) return [];
  const what =
    kind?.what ??
    "a runtime safedock does not know: its isolation is whatever the engine's configuration maps the name to";
  return [
    {
      rule: 'SD153',
      detail: `Runtime is ${q(name)}: ${what}`,
      origin,
      severity: kind?.severity ?? 'medium',
    },
  ];
};

/** SD150–SD153. */
export const hostSettingChecks: readonly Check[] = [oomScore, ulimits, cgroupParent, runtime];
