import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportMarkdown } from '../../../src/export/export-doc.js';

describe('docs/export.md', () => {
  it('is what the renderers say (npm run docs:export rewrites it)', () => {
    expect(readFileSync(join(import.meta.dirname, '../../../docs/export.md'), 'utf8')).toBe(exportMarkdown());
  });
});
