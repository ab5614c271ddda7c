import { originOf, type Check } from './context.js';

/** The names that put a container on docker's default bridge (no --network is the same). */
const DEFAULT_BRIDGE = new Set(['', 'default', 'bridge']);

/** SD155: docker's default bridge, where every container reaches every other (CIS 5.30). */
const defaultBridge: Check = (ctx) => {
  const targets = ctx.spec.networks.map((n) => n.target.trim().toLowerCase());
  const onDefault = targets.length === 0 || targets.some((t) => DEFAULT_BRIDGE.has(t));
  if (!onDefault) return [];
  const how = targets.length === 0 ? 'no network is named, so the container joins' : 'the container joins';
  return [
    {
      rule: 'SD155',
      detail: `${how} docker's default bridge, where containers reach each other's ports`,
      origin: originOf(ctx, 'networks'),
    },
  ];
};

export const networkChecks: readonly Check[] = [defaultBridge];
