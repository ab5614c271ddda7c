import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { usageError } from './usage-errors.js';
import { goFsError } from './go-fs-error.js';
import { redactValue } from './env.js';
import { GO_LEADING_SPACE_RE } from './go-space.js';

const MAX_LINE = 64 * 1024;

/**
 * docker's pkg/kvfile: one KEY=VALUE per line, kept as written (no quote processing). Leading
 * whitespace is trimmed, "#" lines and blank lines skipped, a UTF-8 BOM on line 1 dropped. A bare
 * KEY takes its value from `lookup`, and is dropped when lookup finds nothing (or there is no lookup,
 * as for --label-file).
 * Error messages never show a value from the file.
 */
export function readKvFile(
  path: string,
  cwd: string,
  lookup: ((key: string) => string | undefined) | undefined,
): string[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(resolve(cwd, path));
  } catch (err) {
    const isDir = typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'EISDIR';
    // Go opens a directory fine and fails on the read, inside the "invalid env file" wrapper.
    if (isDir)
      throw usageError(
        `invalid env file (${path}): read ${path}: is a directory`,
        `Give the path of a file, not a directory.`,
      );
    throw usageError(goFsError(err, path), `Check that ${path} exists and is readable.`);
  }
  const fail = (reason: string): never => {
    // docker says "env file" for --label-file too.
    throw usageError(`invalid env file (${path}): ${reason}`, `Fix that line in ${path}.`);
  };
  const out: string[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let start = 0;
  let lineNo = 0;
  while (start < bytes.length) {
    lineNo++;
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    let lineBytes = bytes.subarray(start, end);
    start = end + 1;
    if (lineBytes.length > 0 && lineBytes[lineBytes.length - 1] === 0x0d) lineBytes = lineBytes.subarray(0, -1);
    if (lineBytes.length > MAX_LINE) fail('bufio.Scanner: token too long');
    let text: string;
    try {
      text = decoder.decode(lineBytes);
    } catch {
      return fail(`invalid utf8 bytes at line ${lineNo}`);
    }
    if (lineNo === 1 && text.startsWith('\uFEFF')) text = text.slice(1);
    const line = text.replace(GO_LEADING_SPACE_RE, '');
    if (line.length === 0 || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    if (key.length === 0) fail(`no variable name on line '${redactValue(line)}'`);
    // Leading whitespace is any Unicode space; inside the name only space and tab are refused.
    if (/[ \t]/.test(key)) fail(`variable '${key}' contains whitespaces`);
    if (eq >= 0) {
      out.push(line);
      continue;
    }
    const found = lookup?.(line);
    if (found !== undefined) out.push(`${key}=${found}`);
  }
  return out;
}
