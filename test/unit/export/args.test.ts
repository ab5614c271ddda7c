/**
 * The args renderer is the inverse of toSpec: for every accepted line of the oracle corpus, the
 * flags rendered from the model parse back into the same create request. The one normalisation:
 * an env file and -e giving one name twice send both entries, which flags alone cannot repeat; the
 * engine keeps the last, so the environments are compared as the container gets them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunRequest } from '../../../src/api/create-body.js';
import { parseRunArgv } from '../../../src/docker-cli/parse-argv.js';
import { cpusText, csvField, renderArgs } from '../../../src/export/args.js';
import { shellLine } from '../../../src/export/shell-quote.js';
import { readCsvRecord } from '../../../src/grammar/csv.js';
import { parseNanoCpus } from '../../../src/grammar/units.js';
import { mergeLayers } from '../../../src/model/merge.js';
import { convertUserFlags, dockerRequest } from '../../../src/run/pipeline.js';
import { shellWords } from '../../helpers/argv-words.js';

const ROOT = join(import.meta.dirname, '../../..');
const lines = readFileSync(join(ROOT, 'test/fixtures/oracle/run-cases.txt'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('!'));
const ctx = {
  env: { HOME: '/root', PATH: '/bin' },
  cwd: ROOT,
  apiVersion: '1.41',
  engineSocket: '/var/run/docker.sock',
};
const noProfile = { profilePath: () => undefined, hideSecrets: false };

/** The environment as the container gets it: the last entry of a name wins. */
function effective(request: RunRequest): RunRequest {
  const env = request.body.Env;
  if (env === null) return request;
  const byName = new Map(env.map((e) => [e.split('=')[0], e]));
  return { ...request, body: { ...request.body, Env: [...byName.values()].sort() } };
}

describe('args: parse(args(spec)) sends what the original flags send', () => {
  it.each(lines)('%s', (line) => {
    const words = shellWords(line.replaceAll('IMAGE', 'safedock-test:latest'));
    const parsed = parseRunArgv(words);
    const original = dockerRequest(parsed, ctx);
    const spec = mergeLayers([convertUserFlags(parsed, ctx).user]).spec;
    const { words: rendered, gaps } = renderArgs(spec, noProfile);
    expect(gaps).toEqual([]);
    // Through the shell: the quoted line splits back into the same words.
    const again = shellWords(shellLine(rendered));
    expect(again).toEqual(rendered);
    expect(effective(dockerRequest(parseRunArgv(again), ctx))).toEqual(effective(original));
  });
});

describe('args: value spellings', () => {
  it('writes CPUs exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64_000_000_000 }), (n) => {
        expect(parseNanoCpus(cpusText(n))).toBe(n);
      }),
    );
  });
  it('quotes csv fields as Go reads them', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ minLength: 1 }).filter((s) => !/[\r\n]/.test(s)),
          { minLength: 1 },
        ),
        (fields) => {
          expect(readCsvRecord(fields.map(csvField).join(','))).toEqual(fields);
        },
      ),
    );
  });
  it('quotes shell words so that the shell splits them back', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), (words) => {
        expect(shellWords(shellLine(words))).toEqual(words);
      }),
    );
  });
  it('passes a credential by name, never its value', () => {
    const parsed = parseRunArgv(['-e', 'DB_PASSWORD=hunter2', '-e', 'MODE=prod', 'img']);
    const spec = mergeLayers([convertUserFlags(parsed, ctx).user]).spec;
    const { words } = renderArgs(spec, { ...noProfile, hideSecrets: true });
    expect(words).toContain('--env=DB_PASSWORD');
    expect(words).toContain('--env=MODE=prod');
    expect(words.join(' ')).not.toContain('hunter2');
  });
});
