import { envSecret } from '../env-secrets.js';
import { originOf as provenanceOrigin } from '../../model/provenance.js';
import { type Check, type Hit } from './context.js';

const keyOf = (entry: string): string => {
  const eq = entry.indexOf('=');
  return eq < 0 ? entry : entry.slice(0, eq);
};

/** SD129: one finding per variable that seems to hold a credential; the value is never shown. */
const secrets: Check = (ctx) => {
  // The engine keeps the last entry of a name.
  const effective = new Map<string, string>();
  for (const entry of ctx.spec.env) effective.set(keyOf(entry), entry);
  const hits: Hit[] = [];
  for (const entry of effective.values()) {
    const found = envSecret(entry);
    if (found === undefined) continue;
    const origin = provenanceOrigin(ctx.provenance, 'env', found.name);
    // `-e NAME` without a value copies it from the caller's environment.
    const fromHost = origin?.flag === 'env' && !origin.text.includes('=');
    const how = fromHost ? ` (-e ${found.name} copies it from your environment)` : '';
    hits.push({
      rule: 'SD129',
      detail: `Env has ${found.name}: ${found.because}${how}`,
      origin: origin?.source.kind ?? 'user',
      item: found.name,
    });
  }
  return hits;
};

export const envChecks: readonly Check[] = [secrets];
