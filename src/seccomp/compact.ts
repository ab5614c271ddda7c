import { SafedockError } from '../errors.js';

/**
 * The profile text with insignificant whitespace removed, as docker's CLI does (Go's json.Compact)
 * before sending `seccomp=<json>` in HostConfig.SecurityOpt. Strings, key order and number spellings
 * are kept byte for byte (a JSON.parse/stringify round trip would round integers above 2^53).
 */
export function compactProfile(text: string, source = 'seccomp profile'): string {
  try {
    JSON.parse(text);
  } catch (e) {
    throw new SafedockError(`${source}: not valid JSON: ${(e as Error).message}`, {
      code: 'seccomp-json',
      cause: e,
      hint: `fix the JSON, then check the profile with: safedock seccomp check ${source}`,
    });
  }
  let out = '';
  let inString = false;
  let escaped = false;
  for (const ch of text) {
    if (inString) {
      out += ch;
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
      out += ch;
    } else if (ch !== ' ' && ch !== '\t' && ch !== '\n' && ch !== '\r') {
      out += ch;
    }
  }
  return out;
}
