import { ruleById } from './catalog.js';
import { SEVERITIES, type Finding, type PolicyInput } from './types.js';
import type { Check, RuleContext } from './rules/context.js';
import { deviceChecks } from './rules/devices.js';
import { envChecks } from './rules/env.js';
import { filesystemChecks } from './rules/filesystem.js';
import { imageChecks } from './rules/image.js';
import { namespaceChecks } from './rules/namespaces.js';
import { portChecks } from './rules/ports.js';
import { privilegeChecks } from './rules/privilege.js';
import { resourceChecks } from './rules/resources.js';
import { sysctlChecks } from './rules/sysctls.js';

const CHECKS: readonly Check[] = [
  ...privilegeChecks,
  ...namespaceChecks,
  ...filesystemChecks,
  ...deviceChecks,
  ...portChecks,
  ...resourceChecks,
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
      const key = `${hit.rule}\u0000${hit.detail}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push({
        rule: rule.id,
        severity: hit.severity ?? rule.severity,
        title: rule.title,
        detail: hit.detail,
        fix: hit.fix ?? rule.fix,
        origin: hit.origin,
        ...(hit.item === undefined ? {} : { item: hit.item }),
      });
    }
  }
  // A stable sort: within one rule, findings keep the order of the settings.
  return findings.sort((a, b) => rank(b) - rank(a) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}
