import { envSecret } from '../env-secrets.js';
import type { FindingOrigin } from '../types.js';
import { originOf, type Check, type Hit, type RuleContext } from './context.js';

const keyOf = (entry: string): string => {
  const eq = entry.indexOf('=');
  return eq < 0 ? entry : entry.slice(0, eq);
};

/** The -e option that set a variable, else the env file (or preset) it came from. */
function envOrigin(ctx: RuleContext, name: string): { origin: FindingOrigin; fromHost: boolean } {
  for (let i = ctx.options.length - 1; i >= 0; i--) {
    const o = ctx.options[i];
    if (o?.name === 'env' && keyOf(o.value) === name)
      return { origin: o.source.kind, fromHost: !o.value.includes('=') };
  }
  const file = originOf(ctx.options, 'env-file');
  return { origin: file === 'default' ? 'user' : file, fromHost: false };
}

/** SD129: one finding per variable that seems to hold a credential; the value is never shown. */
const secrets: Check = (ctx) => {
  // The engine keeps the last entry of a name.
  const effective = new Map<string, string>();
  for (const entry of ctx.body.Env ?? []) effective.set(keyOf(entry), entry);
  const hits: Hit[] = [];
  for (const entry of effective.values()) {
    const found = envSecret(entry);
    if (found === undefined) continue;
    const { origin, fromHost } = envOrigin(ctx, found.name);
    const how = fromHost ? ` (-e ${found.name} copies it from your environment)` : '';
    hits.push({ rule: 'SD129', detail: `Env has ${found.name}: ${found.because}${how}`, origin });
  }
  return hits;
};

export const envChecks: readonly Check[] = [secrets];
