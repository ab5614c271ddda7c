/** What the host's /proc/PID/status says about a process's privileges. */
export interface ProcStatus {
  /** Real, effective, saved and file-system uid, as seen from the reader's user namespace. */
  uids: readonly number[];
  /** Effective and bounding capability sets, as bit masks (bit n = capability n). */
  capEff: bigint;
  capBnd: bigint;
  noNewPrivs: boolean;
  /** 0 off, 1 strict, 2 filter. */
  seccomp: number;
}

/** Parses /proc/PID/status; undefined when a field the audit needs is missing (a kernel too old, not a process). */
export function parseProcStatus(text: string): ProcStatus | undefined {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  const uid = fields.get('Uid');
  const capEff = fields.get('CapEff');
  const capBnd = fields.get('CapBnd');
  const nnp = fields.get('NoNewPrivs');
  const seccomp = fields.get('Seccomp');
  if (uid === undefined || capEff === undefined || capBnd === undefined || nnp === undefined || seccomp === undefined)
    return undefined;
  const uids = uid.split(/\s+/).map(Number);
  if (uids.length === 0 || uids.some((n) => !Number.isInteger(n))) return undefined;
  if (!/^[0-9a-f]+$/i.test(capEff) || !/^[0-9a-f]+$/i.test(capBnd)) return undefined;
  return {
    uids,
    capEff: BigInt(`0x${capEff}`),
    capBnd: BigInt(`0x${capBnd}`),
    noNewPrivs: nnp === '1',
    seccomp: Number(seccomp),
  };
}

/** One line of /proc/PID/uid_map: ids [inside, inside+count) are [outside, outside+count) outside. */
export interface IdRange {
  inside: number;
  outside: number;
  count: number;
}

export function parseIdMap(text: string): IdRange[] {
  const ranges: IdRange[] = [];
  for (const line of text.split('\n')) {
    const parts = line.trim().split(/\s+/).map(Number);
    const [inside, outside, count] = parts;
    if (parts.length === 3 && inside !== undefined && outside !== undefined && count !== undefined)
      ranges.push({ inside, outside, count });
  }
  return ranges;
}

/** The id inside the namespace for an id outside it (as /proc shows it to the host), or undefined when unmapped. */
export function insideId(ranges: readonly IdRange[], outside: number): number | undefined {
  for (const r of ranges)
    if (outside >= r.outside && outside < r.outside + r.count) return r.inside + (outside - r.outside);
  return undefined;
}
