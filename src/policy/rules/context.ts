import type { ImageFacts } from '../../engine/engine.js';
import type { MergedOption } from '../../merge/provenance.js';
import type { CreateBody, HostConfig } from '../../docker-cli/run-request.js';
import type { FindingOrigin, HostView, RuleId, Severity } from '../types.js';

/** What a rule family reads: the create body as the engine will get it, the options behind it, the host. */
export interface RuleContext {
  body: CreateBody;
  hc: HostConfig;
  options: readonly MergedOption[];
  image: ImageFacts | undefined;
  host: HostView;
}

/** One rule firing on one offending item; the catalog supplies title and fix unless overridden. */
export interface Hit {
  rule: RuleId;
  detail: string;
  origin: FindingOrigin;
  /** When the item is less (or more) severe than the rule's own severity (SD111's high capabilities). */
  severity?: Severity;
  fix?: string;
}

export type Check = (ctx: RuleContext) => Hit[];

/**
 * Where the effective value of a flag came from: the last option of that name (that `match`
 * accepts, when given), or the engine's default when no option set it.
 */
export function originOf(
  options: readonly MergedOption[],
  name: string,
  match?: (value: string) => boolean,
): FindingOrigin {
  for (let i = options.length - 1; i >= 0; i--) {
    const o = options[i];
    if (o !== undefined && o.name === name && (match === undefined || match(o.value))) return o.source.kind;
  }
  return 'default';
}

/** Whether any option of that name was given (by the user, a preset or image tailoring). */
export const hasOption = (options: readonly MergedOption[], name: string): boolean =>
  options.some((o) => o.name === name);

/** The value of a flag's last option, if any. */
export const lastValue = (options: readonly MergedOption[], name: string): string | undefined =>
  options.filter((o) => o.name === name).at(-1)?.value;

/** A security option as the engine reads it: bare no-new-privileges, else key=value, else key:value. */
export interface SecurityOpt {
  key: string;
  value: string;
  raw: string;
}

export function securityOpts(hc: HostConfig): SecurityOpt[] {
  return (hc.SecurityOpt ?? []).map((raw) => {
    if (raw === 'no-new-privileges') return { key: 'no-new-privileges', value: 'true', raw };
    const eq = raw.indexOf('=');
    const at = eq >= 0 ? eq : raw.indexOf(':');
    if (at < 0) return { key: raw.toLowerCase(), value: '', raw };
    return { key: raw.slice(0, at).trim().toLowerCase(), value: raw.slice(at + 1), raw };
  });
}

/** A JSON string for details (Go's %q is close enough for paths and names). */
export const q = (text: string): string => JSON.stringify(text);
