import { parseBool } from '../../grammar/parse-bool.js';
import type { ImageFacts } from '../../engine/engine.js';
import { originOf as provenanceOrigin, type Provenance } from '../../model/provenance.js';
import type { RunSpec, SecurityOpt, SpecField } from '../../model/run-spec.js';
import type { RunFacts } from '../facts.js';
import type { FindingOrigin, HostView, RuleId, Severity } from '../types.js';

/** What a rule family reads: the run model as the engine will get it, where each setting came from, the host. */
export interface RuleContext {
  spec: RunSpec;
  provenance: Provenance;
  image: ImageFacts | undefined;
  host: HostView;
  /** What was gathered besides the model (engine, image, host); undefined: nothing was. */
  facts?: RunFacts | undefined;
}

/** One rule firing on one offending item; the catalog supplies title and fix unless overridden. */
export interface Hit {
  rule: RuleId;
  detail: string;
  origin: FindingOrigin;
  /** The item the finding is about (a capability, a mount target, a variable…), for acceptance keys. */
  item?: string;
  /** When the item is less (or more) severe than the rule's own severity (SD111's high capabilities). */
  severity?: Severity;
  fix?: string;
}

export type Check = (ctx: RuleContext) => Hit[];

/**
 * Who set a field, or one keyed item of it (see src/model/merge-rules.ts for item keys): the
 * user, a preset, image tailoring, the container (audit), or nobody (the engine's default).
 */
export function originOf(ctx: Pick<RuleContext, 'provenance'>, field: SpecField, item?: string): FindingOrigin {
  return provenanceOrigin(ctx.provenance, field, item)?.source.kind ?? 'default';
}

/** The last entry of a security option: the engine keeps the last of each key. */
export function lastSecurityOpt(spec: RunSpec, key: string): SecurityOpt | undefined {
  return spec.securityOpt.filter((o) => o.key === key).at(-1);
}

/** Whether no-new-privileges is surely on: the engine's reading (ParseBool, untrimmed; bare means true). */
export function noNewPrivileges(spec: RunSpec): boolean {
  const nnp = lastSecurityOpt(spec, 'no-new-privileges');
  if (nnp === undefined) return false;
  return nnp.raw === 'no-new-privileges' || parseBool(nnp.value) === true;
}

/** A JSON string for details (Go's %q is close enough for paths and names). */
export const q = (text: string): string => JSON.stringify(text);
