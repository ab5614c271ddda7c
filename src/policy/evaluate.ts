import { ruleById } from './catalog.js';
import { SEVERITIES, findingKey, type Finding, type PolicyInput } from './types.js';
import type { Check, RuleContext } from './rules/context.js';
import { deviceChecks } from './rules/devices.js';
import { envChecks } from './rules/env.js';
import { filesystemChecks } from './rules/filesystem.js';
import { hostSettingChecks } from './rules/host-settings.js';
import { imageChecks } from './rules/image.js';
import { namespaceChecks } from './rules/namespaces.js';
import { networkChecks } from './rules/networks.js';
import { portChecks } from './rules/ports.js';
import { privilegeChecks } from './rules/privilege.js';
import { resourceChecks } from './rules/resources.js';
import { sysctlChecks } from './rules/sysctls.js';

const CHECKS: readonly Check[] = [
  ...privilegeChecks,
  ...namespaceChecks,
  ...networkChecks,
  ...filesystemChecks,
  ...deviceChecks,
  ...portChecks,
  ...resourceChecks,
  ...hostSettingChecks,
  ...envChecks,
  ...sysctlChecks,
  ...imageChecks,
];

const rank = (f: Finding): number => SEVERITIES.indexOf(f.severity);

/**
 * The rules on the settings a run would send: one finding per rule and offending item (each
 * dangerous capability, each mount, each variable), most severe first, then by rule id.
 * Pure except for the host's view of paths (input.host.realpath).
 */
export function evaluatePolicy(input: PolicyInput): Finding[] {
  const ctx: RuleContext = {
    spec: input.spec,
    provenance: input.provenance,
    image: input.image,
    host: input.host,
    facts: input.facts,
  };
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const check of CHECKS) {
    for (const hit of check(ctx)) {
      const rule = ruleById(hit.rule);
      if (rule === undefined) throw new Error(`rule ${hit.rule} is not in the catalog`);
      // A per-item rule's finding is keyed by its item; a rule without items by its id alone (the
      // tables check that every check gives items exactly where its rule has them).
      const item = rule.item === undefined ? undefined : hit.item;
      const key = findingKey(rule.id, item);
      const seenKey = `${key}\u0000${hit.detail}`;
      if (seen.has(seenKey)) continue;
      seen.add(seenKey);
      findings.push({
        rule: rule.id,
        severity: hit.severity ?? rule.severity,
        title: rule.title,
        detail: hit.detail,
        fix: hit.fix ?? rule.fix,
        origin: hit.origin,
        ...(item === undefined ? {} : { item }),
        key,
      });
    }
  }
  // A stable sort: within one rule, findings keep the order of the settings.
  return findings.sort((a, b) => rank(b) - rank(a) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}
