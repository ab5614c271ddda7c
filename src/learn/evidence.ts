/**
 * What a program's output says about the hardening it ran into, one finding per recognised line.
 * The shapes are in the table of src/learn/evidence-patterns.ts, the types in evidence-types.ts;
 * this file holds the scan. Pure: text in, findings out.
 */
import { EVIDENCE_PATTERNS } from './evidence-patterns.js';
import type { Evidence } from './evidence-types.js';

export type { Evidence, EvidenceKind, EvidencePattern, PrivilegedOp } from './evidence-types.js';

/** Lines longer than this are cut before matching: output is untrusted and may be huge. */
const MAX_LINE = 2000;

/**
 * The findings in a program's output, in order, each line giving at most one (the first row of the
 * table that matches it); a finding repeated word for word is kept once.
 */
export function parseEvidence(output: string): Evidence[] {
  const found: Evidence[] = [];
  const seen = new Set<string>();
  for (const raw of output.split(/\r?\n/)) {
    const line = stripNoise(raw.slice(0, MAX_LINE));
    if (line === '') continue;
    for (const row of EVIDENCE_PATTERNS) {
      const match = row.pattern.exec(line);
      if (match === null) continue;
      const evidence = row.read(match, line);
      if (evidence === undefined) continue;
      const key = evidenceKey(evidence);
      if (!seen.has(key)) {
        seen.add(key);
        found.push(evidence);
      }
      break;
    }
  }
  return found;
}

/** What makes two findings the same, whatever line they came from. */
export function evidenceKey(e: Evidence): string {
  switch (e.kind) {
    case 'read-only':
    case 'denied':
      return `${e.kind}:${e.path}`;
    case 'not-permitted':
      return `${e.kind}:${e.op}:${e.path ?? ''}`;
    case 'bind':
      return `${e.kind}:${String(e.port)}`;
    case 'syscall':
      return `${e.kind}:${e.syscall}`;
    case 'no-user':
      return `${e.kind}:${e.user}`;
    case 'capability':
      return `${e.kind}:${e.capability}`;
    case 'needs-root':
      return e.kind;
  }
}

/** Terminal colour codes and a trailing carriage return say nothing about the error. */
function stripNoise(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/\x1b\[[0-9;]*m/g, '').trimEnd();
}
