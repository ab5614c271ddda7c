import { ruleScope, type RuleScope } from './rule-scope.js';
import type { Rule } from './types.js';

/** How a rule's findings are keyed: the id, or ID:ITEM for rules that fire once per item. */
const keyOf = (r: Rule): string => (r.item === undefined ? r.id : `${r.id}:${r.item.replaceAll(' ', '-')}`);

/** A table cell: pipes escaped, one line. */
const cell = (text: string): string => text.replaceAll('|', '\\|').replace(/\s*\n\s*/g, ' ');

const SECTIONS: Readonly<Record<RuleScope, readonly string[]>> = {
  settings: [
    "## A container's settings (SD1xx)",
    '',
    '`safedock run` checks every run against these rules before anything reaches the engine, and',
    '`safedock audit` checks every existing container against the same rules. The rules read the',
    'settings the engine gets (the preset, image tailoring and your flags, merged and converted),',
    'with host paths resolved through `..`, repeated slashes and symlinks, never the way a flag was',
    'spelt: `-u0`, `--user=0:0` and `-u root` are one finding, as are `--cap-add sys_admin` and',
    '`CAP_SYS_ADMIN`, or `-v /var/run:/x` and the engine socket inside it.',
    '',
    'Each finding names the setting as the engine gets it and where it came from (your flags, the',
    "preset, the image, or docker's default), and carries a key: the rule id, then `:ITEM` for rules",
    'that fire once per item (`SD111:NET_ADMIN`, `SD121:/etc/krb5.conf:/etc/krb5.conf`,',
    '`SD129:DB_PASSWORD`). High and critical findings need consent: a yes on a terminal, or',
    '`--accept KEY --reason "why"` on the command line (`accept:` in `.safedock.yaml` or a preset,',
    'keyed the same way, for high ones only: a file never accepts a critical finding). A bare id of a',
    'per-item rule accepts every finding of that rule and is shown so; for critical rules it is',
    "refused. A preset's acceptance covers only what the preset itself (or image tailoring) set,",
    'never your flags. Under `--policy warn` high and critical findings run and are recorded in the',
    'label `io.safedock.warned`; with `CI` set, warn still needs `--accept` for critical ones. A',
    'setting a rule cannot read the way the engine will is itself a finding (SD135): the policy fails',
    'closed. Info findings appear in `--dry-run` only. `safedock rules ID` shows one rule in full.',
  ],
  daemon: [
    "## The engine's daemon (SD2xx)",
    '',
    "`safedock audit --daemon` reads the engine's configuration through its API (`/info`, the default",
    "bridge's options, the swarm) and, on a local engine, from the host: the daemon's command line,",
    'its daemon.json, its TCP listeners and the owner and mode of its files. Each fix names the',
    'daemon.json key and the dockerd flag (or the owner and mode) that removes the finding.',
  ],
  runtime: [
    '## What only an existing container shows (SD3xx)',
    '',
    '`safedock audit` also checks what no run flag alone decides: restart and health settings, the',
    "network and namespaces a container shares with others, and, on a local engine, its process's",
    "state read from the host's /proc compared with what its configuration says.",
  ],
};

/**
 * docs/rules.md: the catalog as tables, one per scope, then why each rule matters. Generated (npm
 * run docs:rules); a unit test fails when the file and the catalog differ.
 */
export function rulesMarkdown(rules: readonly Rule[]): string {
  const lines = [
    '# Risk rules',
    '',
    '<!-- Generated from src/policy/catalog.ts by `npm run docs:rules`: edit the catalog, not this file. -->',
    '',
    'Rule ids never change meaning and are never reused. `accept:` in `.safedock.yaml` takes any of',
    'them but the critical ones, for `safedock run` and `safedock audit` in that folder.',
    '',
  ];
  for (const [scope, intro] of Object.entries(SECTIONS) as [RuleScope, readonly string[]][]) {
    const inScope = rules.filter((r) => ruleScope(r.id) === scope);
    if (inScope.length === 0) continue;
    lines.push(
      ...intro,
      '',
      '| ID | Severity | Key | Title | Fix | CIS | PSS |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...inScope.map(
        (r) =>
          `| ${r.id} | ${r.severity} | ${keyOf(r)} | ${cell(r.title)} | ${cell(r.fix)} | ${r.cis.join(', ') || '-'} | ${r.pss.join(', ') || '-'} |`,
      ),
      '',
    );
  }
  lines.push(
    'CIS: CIS Docker Benchmark 1.6 check ids, as docker-bench-security numbers them (C.5.3.x are its',
    'community checks). PSS: Kubernetes Pod Security Standards controls.',
    '',
    '## Why each rule matters',
    '',
    ...rules.flatMap((r) => [`### ${r.id} ${r.title}`, '', r.why, '']),
  );
  return `${lines.join('\n').trimEnd()}\n`;
}
