/**
 * Who may accept what. A file (a preset's `accept:`, the project config's) can be planted or
 * changed by whoever writes to the folder it lies in, and a run applies it without asking: it may
 * accept a finding up to high, never a critical one. A critical finding is accepted only by
 * `--accept` on the command line or by a person answering yes on the terminal.
 */
import type { Acceptance } from './accept.js';
import type { Finding } from './types.js';

/** Whether this acceptance may stand for this finding. */
export function mayAccept(acceptance: Acceptance, finding: Pick<Finding, 'severity'>): boolean {
  if (finding.severity !== 'critical') return true;
  return acceptance.by.kind === 'flag' || acceptance.by.kind === 'terminal';
}
