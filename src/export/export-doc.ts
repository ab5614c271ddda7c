/**
 * docs/export.md, from the renderers' own tables: for each target, every model field it cannot
 * carry, why, and what to do instead. Kept in step by test/unit/export/doc.test.ts.
 */
import { RUN_FLAGS, rowFields } from '../docker-cli/run-flags.js';
import { COMPOSE } from './compose.js';
import { K8S } from './k8s.js';
import { SWARM } from './swarm.js';
import type { FieldTable } from './walk.js';
import type { SpecField } from '../model/run-spec.js';

const TARGETS: ReadonlyArray<[string, FieldTable<never>]> = [
  ['Compose (compose.yaml; docker-compose 1.29 and Compose v2)', COMPOSE],
  ['Swarm (stack.yaml, file format 3.9; Engine 20.10, API 1.41)', SWARM],
  ['Kubernetes (Deployment or Pod)', K8S],
];

/** The docker run flags that set a field (from the flag table). */
function flagsOf(field: SpecField): string {
  if (field === 'maskedPaths') return '`--security-opt systempaths=unconfined`';
  const rows = RUN_FLAGS.filter((r) => rowFields(r)[0] === field);
  return (rows.length > 0 ? rows : RUN_FLAGS.filter((r) => rowFields(r).includes(field)))
    .map((r) => `\`--${r.name}\``)
    .join(', ');
}

const cell = (text: string): string => text.replaceAll('|', '\\|');

export function exportMarkdown(): string {
  const out = [
    '# What each export carries',
    '',
    'Written by `npm run docs:export` from the renderers in `src/export/` (one table per target with an',
    'entry for every setting of the run model). Every setting not listed under a target is carried',
    'by it; a listed one is reported on stderr when a run sets it, and `--strict-export` makes it an',
    'error. Parts of a setting a target cannot carry (a tmpfs option, a published address) are',
    'reported the same way at export time.',
    '',
    "Measured on this project's engine (Engine 20.10, API 1.41):",
    '',
    '- docker-compose 1.29 opens `security_opt: ["seccomp=./strict.json"]` relative to the folder it',
    "  runs in (not the compose file's); an inline JSON profile fails. The export writes the profile",
    '  beside compose.yaml: run docker-compose from that folder.',
    '- A swarm service on API 1.41 runs without security options: a task container has',
    '  `NoNewPrivs: 0` and no profile, while `read_only`, `user`, `cap_drop`, limits and logging arrive.',
    '- `docker stack deploy` ignores the `tmpfs:` key; a `type: tmpfs` volume is mounted',
    '  `nosuid,nodev,noexec` with the given size. `deploy.resources.limits.pids` needs file format 3.9.',
    '',
  ];
  for (const [name, table] of TARGETS) {
    out.push(`## ${name}`, '', '| setting | why it is not carried | instead |', '| --- | --- | --- |');
    for (const field of Object.keys(table) as SpecField[]) {
      const entry = table[field];
      if (typeof entry === 'function' || !('lost' in entry)) continue;
      out.push(`| ${flagsOf(field)} | ${cell(entry.lost)} | ${cell(entry.instead)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
