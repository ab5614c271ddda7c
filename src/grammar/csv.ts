import { ValueError } from './value-error.js';

/**
 * One record of Go's encoding/csv (comma-separated, "quoted" fields with "" for a quote), as docker
 * reads --mount and --network values. Throws ValueError with Go's messages for malformed quotes.
 */
export function readCsvRecord(text: string): string[] {
  const line = text.split('\n')[0]?.replace(/\r$/, '') ?? '';
  if (text.length === 0) throw new ValueError('EOF');
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    const start = i;
    if (line.charAt(i) !== '"') {
      const end = line.indexOf(',', i);
      const field = end < 0 ? line.slice(i) : line.slice(i, end);
      const q = field.indexOf('"');
      if (q >= 0) throw new ValueError(`parse error on line 1, column ${start + q + 1}: bare " in non-quoted-field`);
      fields.push(field);
      if (end < 0) return fields;
      i = end + 1;
      continue;
    }
    // Quoted field.
    let value = '';
    i++;
    for (;;) {
      const q = line.indexOf('"', i);
      if (q < 0)
        throw new ValueError(
          `parse error on line 1, column ${line.length + 1}: extraneous or missing " in quoted-field`,
        );
      value += line.slice(i, q);
      const next = line.charAt(q + 1);
      if (next === '"') {
        value += '"';
        i = q + 2;
      } else if (next === ',') {
        fields.push(value);
        i = q + 2;
        break;
      } else if (next === '') {
        fields.push(value);
        return fields;
      } else {
        throw new ValueError(`parse error on line 1, column ${q + 2}: extraneous or missing " in quoted-field`);
      }
    }
  }
}
