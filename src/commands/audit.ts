import { SafedockCommand } from '../cli/safedock-command.js';
import { processGlobals } from '../engine/global-options.js';
import { Args, Flags } from '@oclif/core';
import type { AuditFormat } from '../cli/audit-main.js';
import { loadBundled } from '../cli/bundled.js';
import { AUDIT_EXIT, DEFAULT_FAIL_ON, FAIL_ON } from '../audit/report.js';

export default class Audit extends SafedockCommand {
  static override summary = 'Audit running containers (and the engine daemon) against the same rules as safedock run.';
  static override description = `Judges every running container (--all: every container; or the ones named) with the rules safedock run uses before a container starts, plus the checks only an existing container allows: restart policy, health check, default bridge, namespaces shared between containers, and its process's real capabilities, no-new-privileges, seccomp and user read from the host. --daemon adds the engine's configuration (CIS sections 2 and 3). Findings a run accepted (its io.safedock.accepted labels) or that accept: in .safedock.yaml names are shown as accepted and do not fail the audit.

Exit codes: 0 no unaccepted finding at or above --fail-on; 1 at least one; 2 could not audit (bad input, no engine, a named container missing).`;
  static override usage = 'audit [CONTAINER...] [--all] [--daemon] [--json | --sarif] [--fail-on SEVERITY]';
  static override examples = [
    '<%= config.bin %> audit',
    '<%= config.bin %> audit --daemon --fail-on medium',
    '<%= config.bin %> audit web-1 db-1 --json',
    '<%= config.bin %> audit --all --daemon --sarif > safedock.sarif',
  ];
  static override strict = false;
  static override args = {
    containers: Args.string({ description: 'Containers to audit, by name or id (default: every running one)' }),
  };
  static override flags = {
    all: Flags.boolean({ char: 'a', description: 'Audit every container, not only the running ones', default: false }),
    daemon: Flags.boolean({ description: "Audit the engine's daemon as well (CIS sections 2 and 3)", default: false }),
    containers: Flags.boolean({
      description: 'Audit containers (--no-containers with --daemon audits the daemon alone)',
      default: true,
      allowNo: true,
    }),
    json: Flags.boolean({ description: 'Print one JSON document (fields in docs/audit.md)', exclusive: ['sarif'] }),
    sarif: Flags.boolean({ description: 'Print SARIF 2.1.0, for code-scanning dashboards', exclusive: ['json'] }),
    'fail-on': Flags.option({
      description: 'Exit 1 when an unaccepted finding at or above this severity exists',
      options: FAIL_ON,
      default: DEFAULT_FAIL_ON,
    })(),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Audit);
    const format: AuditFormat = flags.json ? 'json' : flags.sarif ? 'sarif' : 'text';
    // The audit's hundred modules come as one code-cached bundle (src/cli/bundled.ts).
    const audit = await loadBundled('audit', () => import('../cli/audit-main.js'));
    const code = await audit.lib.auditMain(
      {
        names: argv as string[],
        all: flags.all,
        daemon: flags.daemon,
        containers: flags.containers,
        format,
        failOn: flags['fail-on'],
      },
      {
        stdout: process.stdout,
        stderr: process.stderr,
        env: process.env,
        cwd: process.cwd(),
        globals: processGlobals(),
      },
    );
    audit.done(code === AUDIT_EXIT.couldNotAudit ? 1 : 2);
    this.exit(code);
  }
}
