/**
 * Validates a document against the SARIF 2.1.0 JSON schema as published on npm by
 * @microsoft/jest-sarif (sarif-2.1.0-rtm.5.json, a JSON Schema draft-04 document; it differs from
 * the OASIS final only in a regular expression and in type keywords next to enums). ajv-draft-04
 * reads draft-04; non-unicode regular expressions accept that schema's language-tag pattern.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';

// Both are CommonJS modules that also export themselves as `default`, which NodeNext types see.
const Ajv = AjvDraft04.default;
const addFormats = ajvFormats.default;

const require = createRequire(import.meta.url);
const schemaFile = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;

const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

/** The schema's complaints about a document (empty when it is valid SARIF 2.1.0). */
export function sarifErrors(doc: unknown): string[] {
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
