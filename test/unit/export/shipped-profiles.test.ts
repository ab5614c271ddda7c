/** A profile held inline by a container is recognised as a shipped one by its content alone. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonCompact } from '../../../src/grammar/json-compact.js';
import { withShippedFile } from '../../../src/export/shipped-profiles.js';
import { packageRoot } from '../../../src/package-root.js';

const inline = (text: string) => ({ key: 'seccomp', value: text, raw: `seccomp=${text}` });

describe('withShippedFile', () => {
  it('names the shipped file of an inline profile with its content', () => {
    for (const name of ['strict.json', 'sandbox.json']) {
      const file = join(packageRoot, 'seccomp', name);
      const compacted = jsonCompact(readFileSync(file, 'utf8'));
      expect(withShippedFile(inline(compacted))).toEqual({ ...inline(compacted), file });
    }
  });

  it('leaves any other profile, another option, and a named file as they are', () => {
    const other = inline('{"defaultAction":"SCMP_ACT_ERRNO"}');
    expect(withShippedFile(other)).toBe(other);
    const nnp = { key: 'no-new-privileges', value: '', raw: 'no-new-privileges' };
    expect(withShippedFile(nnp)).toBe(nnp);
    const mine = { ...other, file: '/etc/mine.json' };
    expect(withShippedFile(mine)).toBe(mine);
  });
});
