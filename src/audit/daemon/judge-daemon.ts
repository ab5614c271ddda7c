import type { RuleId } from '../../policy/types.js';
import type { AuditHit, Unchecked } from '../types.js';
import { checkConfig, daemonContext, FILE_RULE_IDS } from './config-checks.js';
import type { DaemonFacts } from './daemon-facts.js';
import { checkFile } from './file-checks.js';

export interface DaemonVerdict {
  hits: AuditHit[];
  unchecked: Unchecked[];
  /** Things worth saying that are not findings (a daemon.json the engine would refuse, flags not read). */
  notes: string[];
}

/** The daemon rules on the daemon's facts. Pure. */
export function judgeDaemon(facts: DaemonFacts): DaemonVerdict {
  const ctx = daemonContext(facts);
  const { hits, unchecked: needSettings } = checkConfig(ctx);
  const unchecked: Unchecked[] = [];
  const notes: string[] = [];
  const host = ctx.host;
  if (host === undefined) {
    const reason = 'unavailable' in facts.host ? facts.host.unavailable : '';
    const rules: RuleId[] = [
      ...(facts.connection.kind === 'unix' ? (['SD201'] as RuleId[]) : []),
      ...FILE_RULE_IDS,
      ...needSettings,
    ];
    unchecked.push({ rules: rules.sort(), reason });
  } else {
    for (const file of host.files) {
      const h = checkFile(file, host);
      if (h !== undefined) hits.push(h);
    }
    const dj = host.daemonJson;
    if (dj.state === 'invalid' || dj.state === 'unreadable') {
      notes.push(
        `${dj.file} ${dj.state === 'invalid' ? 'is not valid JSON' : 'cannot be read'} (${dj.error}): ${dj.state === 'invalid' ? 'the engine will refuse to start with it' : 'run the audit as root'}`,
      );
      unchecked.push({
        rules: (['SD201', ...needSettings] as RuleId[]).sort(),
        reason: `the settings in ${dj.file} could not be read`,
      });
    }
    if (host.listeners === undefined)
      notes.push(
        "the engine's open sockets could not be read (run the audit as root): TCP listeners were taken from its settings only",
      );
    for (const p of host.flagProblems) notes.push(`dockerd's command line: ${p}`);
  }
  return { hits, unchecked, notes };
}
