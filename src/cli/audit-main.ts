import { formatError } from '../errors.js';
import { selectEngine } from '../engine/select.js';
import type { EngineGlobals } from '../engine/global-options.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gatherContainers } from '../audit/container/read-containers.js';
import { judgeContainer } from '../audit/container/judge-container.js';
import { auditHostView, settingsJudge } from '../audit/container/settings-judge.js';
import { containerName } from '../audit/container/container-name.js';
import { namespaceSharing } from '../audit/container/namespace-sharing.js';
import { judgeDaemon } from '../audit/daemon/judge-daemon.js';
import { readDaemonFacts } from '../audit/daemon/read-daemon.js';
import { sortFindings, toFinding } from '../audit/findings.js';
import { auditExitCode, AUDIT_EXIT, type AuditReport, type DaemonReport, type FailOn } from '../audit/report.js';
import { COLORS, PLAIN, useColor } from '../audit/render/colors.js';
import { auditToJson } from '../audit/render/json.js';
import { auditToSarif } from '../audit/render/sarif.js';
import { auditToText } from '../audit/render/text.js';
import type { AuditAcceptance } from '../audit/types.js';
import { EngineReader } from '../engine/engine-reader.js';
import type { EngineInfo } from '../api/engine-state.js';
import { UsageError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import { findProjectFolder, PROJECT_CONFIG_FILE, readProjectConfig } from '../presets/project-config.js';
import { ProgressLine, type ProgressStream } from './progress.js';

export type AuditFormat = 'text' | 'json' | 'sarif';

export interface AuditOptions {
  names: readonly string[];
  all: boolean;
  daemon: boolean;
  containers: boolean;
  format: AuditFormat;
  failOn: FailOn;
}

export interface AuditEnvironment {
  stdout: { isTTY?: boolean; columns?: number; write(text: string, done: () => void): unknown };
  stderr: ProgressStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** docker's global options given before the command (--context, -H, --tls…). */
  globals?: EngineGlobals;
}

function toolVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version?: string }).version ?? '';
  } catch {
    return '';
  }
}

/** accept: of the nearest .safedock.yaml, as audit acceptances by finding key (SD118, SD111:NET_ADMIN). */
async function projectAccepts(cwd: string): Promise<Map<string, AuditAcceptance>> {
  const folder = findProjectFolder(cwd);
  // A project folder may hold presets and no config file.
  if (folder === undefined || !existsSync(join(folder, PROJECT_CONFIG_FILE))) return new Map();
  const config = await readProjectConfig(join(folder, PROJECT_CONFIG_FILE));
  return new Map(
    Object.entries(config.accept ?? {}).map(([key, reason]) => [
      key,
      { reason, by: `the project config ${config.file}`, source: 'project' as const },
    ]),
  );
}

/** Gathers, judges and builds the report; throws SafedockError when nothing can be audited. */
export async function runAudit(options: AuditOptions, environment: AuditEnvironment): Promise<AuditReport> {
  if (!options.containers && !options.daemon && options.names.length === 0)
    throw new UsageError('--no-containers leaves nothing to audit', "Add --daemon to audit the engine's daemon alone.");
  const t0 = performance.now();
  const progress = new ProgressLine(environment.stderr);
  const accepts = await projectAccepts(environment.cwd);
  const reader = await EngineReader.connect(selectEngine(environment.env, environment.globals ?? {}));
  try {
    let daemon: DaemonReport | undefined;
    let icc: boolean | undefined;
    let daemonInfo: EngineInfo | undefined;
    const notes: string[] = [];
    if (options.daemon) {
      progress.update('safedock: reading the daemon…');
      const facts = await readDaemonFacts(reader);
      const verdict = judgeDaemon(facts);
      daemonInfo = facts.info;
      icc =
        facts.bridge === undefined
          ? undefined
          : facts.bridge.Options?.['com.docker.network.bridge.enable_icc'] !== 'false';
      daemon = {
        name: facts.info.Name ?? '',
        findings: sortFindings(
          verdict.hits.map((hit) => {
            const acceptance = accepts.get(hit.rule);
            return acceptance === undefined ? toFinding(hit, 'open') : toFinding(hit, 'accepted', acceptance);
          }),
        ),
        unchecked: verdict.unchecked,
        notes: verdict.notes,
      };
    }
    const report: AuditReport = {
      tool: { name: 'safedock', version: toolVersion() },
      engine: {
        address: reader.target.display,
        version: reader.engineVersion,
        apiVersion: reader.apiVersion,
        local: reader.target.kind === 'unix',
      },
      failOn: options.failOn,
      scope: {
        containers: options.containers || options.names.length > 0,
        all: options.all || options.names.length > 0,
        daemon: options.daemon,
      },
      daemon,
      containers: [],
      unchecked: [],
      notes,
      durationMs: 0,
    };
    if (options.containers || options.names.length > 0) {
      if (icc === undefined) {
        const bridge = await reader.network('bridge');
        icc = bridge === undefined ? undefined : bridge.Options?.['com.docker.network.bridge.enable_icc'] !== 'false';
      }
      const gathered = await gatherContainers(reader, {
        all: options.all,
        names: options.names,
        onProgress: (done, total) => progress.update(`safedock: inspecting containers ${done}/${total}`),
      });
      const shares = namespaceSharing(
        gathered.containers.map((c) => ({
          inspect: c.inspect,
          ...(c.process ? { namespaces: c.process.namespaces } : {}),
        })),
        gathered.hostNamespaces,
      );
      const images = await reader.inspectImages(gathered.containers.map((c) => c.inspect.Image ?? ''));
      const cgroupVersion = (daemonInfo ?? (await reader.info())).CgroupVersion;
      const settings = settingsJudge(
        images,
        auditHostView(reader.target.kind === 'unix', environment.env, environment.cwd),
        { cgroupVersion },
      );
      report.containers = gathered.containers.map((c) =>
        judgeContainer(c.inspect, {
          settings,
          runtime: { bridgeIcc: icc, shares: shares.get(c.inspect.Id) ?? [], name: containerName(c.inspect) },
          process: c.process,
          passwd: c.passwd,
          projectAccepts: accepts,
          imageLabels: images.get(c.inspect.Image ?? '')?.labels,
        }),
      );
      report.unchecked.push(...gathered.unchecked);
      notes.push(...gathered.notes);
    }
    report.durationMs = performance.now() - t0;
    return report;
  } finally {
    progress.done();
    reader.close();
  }
}

/** Renders the report in the chosen format. */
export function renderAudit(report: AuditReport, format: AuditFormat, environment: AuditEnvironment): string {
  if (format === 'json') return `${JSON.stringify(auditToJson(report), null, 2)}\n`;
  if (format === 'sarif') return `${JSON.stringify(auditToSarif(report), null, 2)}\n`;
  const tty = environment.stdout.isTTY === true;
  return auditToText(report, {
    width: tty ? (environment.stdout.columns ?? 80) : 80,
    palette: useColor(tty, environment.env) ? COLORS : PLAIN,
  });
}

/** `safedock audit`: resolves with the exit code (0 passed, 1 failed, 2 could not audit); never throws. */
export async function auditMain(options: AuditOptions, environment: AuditEnvironment): Promise<number> {
  try {
    const report = await runAudit(options, environment);
    const text = renderAudit(report, options.format, environment);
    // A pipe takes large reports in pieces: exit only once all of it is written.
    await new Promise<void>((resolve) => environment.stdout.write(text, () => resolve()));
    return auditExitCode(report);
  } catch (err) {
    // The one formatter speaks; the exit code stays the audit's own "could not audit".
    const { text } = formatError(err, { command: 'audit', debug: environment.env.SAFEDOCK_DEBUG === '1' });
    environment.stderr.write(text.replace(/^safedock: /, 'safedock: could not audit: '));
    return AUDIT_EXIT.couldNotAudit;
  }
}
