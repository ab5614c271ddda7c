import { usageError } from './usage-errors.js';

export interface RestartPolicy {
  Name: string;
  MaximumRetryCount: number;
}

/** docker's opts.ParseRestartPolicy: `name[:max-retries]`; an empty value sends an empty name. */
export function parseRestartPolicy(policy: string): RestartPolicy {
  if (policy === '') return { Name: '', MaximumRetryCount: 0 };
  const colon = policy.indexOf(':');
  const name = colon < 0 ? policy : policy.slice(0, colon);
  const count = colon < 0 ? '' : policy.slice(colon + 1);
  if (colon >= 0 && name === '') {
    throw usageError('invalid restart policy format: no policy provided before colon');
  }
  let max = 0;
  if (count !== '') {
    // strconv.Atoi: optional sign, decimal digits, int64 range.
    if (!/^[+-]?\d+$/.test(count) || BigInt(count) > 2n ** 63n - 1n || BigInt(count) < -(2n ** 63n)) {
      throw usageError('invalid restart policy format: maximum retry count must be an integer');
    }
    max = Number(count);
  }
  return { Name: name, MaximumRetryCount: max };
}

/** RestartPolicy.IsNone: no restart ("no" or empty). */
export function isNoRestart(p: RestartPolicy): boolean {
  return p.Name === 'no' || p.Name === '';
}
