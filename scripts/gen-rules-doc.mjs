// Writes docs/rules.md from the rule catalog (src/policy/catalog.ts). Run with `npm run docs:rules`
// (tsx loads the TypeScript sources); test/unit/policy/catalog.test.ts fails when the two differ.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES } from '../src/policy/catalog.ts';
import { rulesMarkdown } from '../src/policy/rules-doc.ts';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'rules.md');
writeFileSync(file, rulesMarkdown(RULES));
process.stdout.write(`wrote ${file} (${RULES.length} rules)\n`);
