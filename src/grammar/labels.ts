import { ValueError } from './value-error.js';

/**
 * docker's opts.ValidateLabel for one -l value; the value is kept as given. Only space and tab count
 * as whitespace here (measured: a no-break space passes).
 */
export function validateLabel(value: string): string {
  const eq = value.indexOf('=');
  const key = (eq < 0 ? value : value.slice(0, eq)).replace(/^[ \t]+|[ \t]+$/g, '');
  if (key === '') throw new ValueError(`invalid label '${value}': empty name`);
  if (/[ \t]/.test(key)) throw new ValueError(`label '${key}' contains whitespaces`);
  return value;
}

/** opts.ConvertKVStringsToMap: split at the first "=", a bare key maps to "", later keys win. */
export function kvStringsToMap(entries: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of entries) {
    const eq = e.indexOf('=');
    if (eq < 0) out[e] = '';
    else out[e.slice(0, eq)] = e.slice(eq + 1);
  }
  return out;
}
