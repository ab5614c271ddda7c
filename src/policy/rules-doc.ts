import type { Rule } from './types.js';

/** A table cell: pipes escaped, one line. */
const cell = (text: string): string => text.replaceAll('|', '\\|').replace(/\s*\n\s*/g, ' ');

/**
 * docs/rules.md: the catalog as a table, then why each rule matters. Generated (npm run
 * docs:rules); a unit test fails when the file and the catalog differ.
 */
export function rulesMarkdown(rules: readonly Rule[]): string {
  const lines = [
    '# Risk rules',
    '',
    '<!-- Generated from src/policy/catalog.ts by `npm run docs:rules`: edit the catalog, not this file. -->',
    '',
    '`safedock run` checks every run against these rules before anything reaches the engine. The rules',
    'read the settings the engine will get (the preset, image tailoring and your flags, merged and',
    'converted), with host paths resolved through `..`, repeated slashes and symlinks, never the way a',
    'flag was spelt: `-u0`, `--user=0:0` and `-u root` are one finding, as are `--cap-add sys_admin`',
    'and `CAP_SYS_ADMIN`, or `-v /var/run:/x` and the engine socket inside it.',
    '',
    'Each finding names the setting as the engine gets it and where it came from (your flags, the',
    "preset, the image, or docker's default). High and critical findings need consent: a yes on a",
    'terminal, or `--accept ID --reason "why"` on the command line (`accept:` in `.safedock.yaml`).',
    'Info findings appear in `--dry-run` only. `safedock rules ID` shows one rule in full.',
    '',
    '| ID | Severity | Title | Fix | CIS | PSS |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rules.map(
      (r) =>
        `| ${r.id} | ${r.severity} | ${cell(r.title)} | ${cell(r.fix)} | ${r.cis.join(', ') || '-'} | ${r.pss.join(', ') || '-'} |`,
    ),
    '',
    'CIS: CIS Docker Benchmark 1.6 check ids (C.5.3.x are docker-bench-security community checks).',
    'PSS: Kubernetes Pod Security Standards controls.',
    '',
    '## Why each rule matters',
    '',
    ...rules.flatMap((r) => [`### ${r.id} ${r.title}`, '', r.why, '']),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}
