// Writes docs/export.md from the export renderers' tables (src/export/). Run with `npm run docs:export`
// (tsx loads the TypeScript sources); test/unit/export/doc.test.ts fails when the two differ.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportMarkdown } from '../src/export/export-doc.ts';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'export.md');
writeFileSync(file, exportMarkdown());
process.stdout.write(`wrote ${file}\n`);
