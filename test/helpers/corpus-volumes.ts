/**
 * The named volumes the oracle corpus (test/fixtures/oracle/run-cases.txt) names: the engine
 * creates one when a container names it (the oracle and from-inspect suites create containers from
 * the corpus), so the integration teardown removes, once every container is gone, the ones the
 * run made (those that were there before it stay).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runProcess } from './engine.js';

/** The named volumes in these command lines (`-v NAME:…`, `source=NAME`). */
export function corpusVolumes(lines: readonly string[]): string[] {
  return [
    ...new Set(
      lines.flatMap((line) => [
        ...[...line.matchAll(/(?:-v |--volume[= ])([A-Za-z0-9][\w.-]*):/g)].map((m) => m[1] ?? ''),
        ...[...line.matchAll(/source=([A-Za-z0-9][\w.-]*)/g)].map((m) => m[1] ?? ''),
      ]),
    ),
  ];
}

async function volumeNames(): Promise<Set<string>> {
  const r = await runProcess('docker', ['volume', 'ls', '-q']);
  return new Set(r.stdout.split('\n').filter((v) => v !== ''));
}

/** Call before the run; the returned function removes the corpus volumes made since. */
export async function trackCorpusVolumes(): Promise<() => Promise<void>> {
  const before = await volumeNames();
  const lines = readFileSync(join(REPO_ROOT, 'test/fixtures/oracle/run-cases.txt'), 'utf8').split('\n');
  const names = corpusVolumes(lines);
  return async () => {
    const now = await volumeNames();
    const made = names.filter((v) => now.has(v) && !before.has(v));
    if (made.length > 0) await runProcess('docker', ['volume', 'rm', ...made]);
  };
}
