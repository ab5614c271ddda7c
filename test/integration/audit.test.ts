import { selectEngine } from '../../src/engine/select.js';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherContainers } from '../../src/audit/container/read-containers.js';
import { parseProcStatus } from '../../src/audit/host/proc-status.js';
import { capabilityNames } from '../../src/audit/container/capabilities.js';
import { EngineReader } from '../../src/engine/engine-reader.js';
import { TEST_IMAGE, TEST_LABEL_ARGS, removeContainer, runCli, runDocker } from '../helpers/engine.js';
import { sarifErrors } from '../helpers/sarif.js';

// safedock audit against the real engine: containers started with docker's own CLI, the JSON
// report read back, and what it says checked against docker inspect and the container's own /proc.

interface JsonFinding {
  rule: string;
  severity: string;
  detail: string;
  status: string;
  failing: boolean;
  acceptance: { reason: string; by: string; source: string } | null;
}
interface JsonContainer {
  id: string;
  name: string;
  startedBy: string;
  preset: string | null;
  effective: {
    pid: number;
    uid: number;
    capabilities: string[];
    noNewPrivs: boolean;
    seccomp: string;
    stricter: string[];
  } | null;
  findings: JsonFinding[];
}
interface JsonReport {
  result: string;
  exitCode: number;
  daemon: { findings: JsonFinding[]; unchecked: { rules: string[]; reason: string }[]; notes: string[] } | null;
  containers: JsonContainer[];
  unchecked: { rules: string[]; reason: string }[];
}

const run = randomUUID().slice(0, 8);
const started: string[] = [];
let dir: string;

/** docker run -d with the test label and a unique name; returns the name. */
async function dockerRun(
  name: string,
  args: readonly string[],
  command: readonly string[] = ['sleep', '600'],
): Promise<string> {
  const full = `sd-audit-${run}-${name}`;
  const r = await runDocker(['run', '-d', ...TEST_LABEL_ARGS, '--name', full, ...args, TEST_IMAGE, ...command]);
  expect(r.code, r.stderr).toBe(0);
  started.push(full);
  return full;
}

async function audit(
  args: readonly string[],
  cwd?: string,
): Promise<{ code: number | null; report: JsonReport; stderr: string }> {
  const r = await runCli(['audit', '--json', ...args], cwd === undefined ? {} : { cwd });
  let report: JsonReport;
  try {
    report = JSON.parse(r.stdout) as JsonReport;
  } catch {
    throw new Error(`audit ${args.join(' ')} printed no JSON (exit ${r.code}):\n${r.stderr}${r.stdout}`);
  }
  return { code: r.code, report, stderr: r.stderr };
}

const container = (report: JsonReport, name: string): JsonContainer => {
  const c = report.containers.find((x) => x.name === name);
  if (c === undefined) throw new Error(`${name} is not in the report`);
  return c;
};
const rules = (c: JsonContainer) => c.findings.map((f) => f.rule);
/** The runtime rules' ids only (SD3xx). */
const runtimeRules = (c: JsonContainer) => rules(c).filter((r) => r.startsWith('SD3'));

/** The container's /proc/1/status, read inside it: what its init process really has. */
async function statusInside(name: string) {
  const r = await runDocker(['exec', name, 'cat', '/proc/1/status']);
  expect(r.code, r.stderr).toBe(0);
  const s = parseProcStatus(r.stdout);
  if (s === undefined) throw new Error(`unreadable /proc/1/status in ${name}`);
  return s;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'safedock-audit-'));
});
afterAll(async () => {
  for (const name of started) await removeContainer(name).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('safedock audit --daemon on this engine', () => {
  it("finds what the engine's settings leave open, judged against docker info and the host", async () => {
    const { code, report } = await audit(['--daemon', '--no-containers']);
    expect(code).toBe(0); // this engine's defaults leave nothing high or critical open
    const daemon = report.daemon;
    if (daemon === null) throw new Error('no daemon section');
    const found = new Set(daemon.findings.map((f) => f.rule));

    // The oracle: docker's own CLI, and the host's files read here.
    const info = JSON.parse((await runDocker(['info', '--format', '{{json .}}'])).stdout) as {
      SecurityOptions: string[];
      LiveRestoreEnabled: boolean;
      LoggingDriver: string;
      Plugins: { Authorization: string[] | null };
      Swarm: {
        LocalNodeState: string;
        ControlAvailable: boolean;
        Cluster?: { Spec?: { EncryptionConfig?: { AutoLockManagers?: boolean } } };
      };
    };
    const icc = (
      await runDocker([
        'network',
        'inspect',
        'bridge',
        '--format',
        '{{index .Options "com.docker.network.bridge.enable_icc"}}',
      ])
    ).stdout.trim();
    const security = info.SecurityOptions.join(' ');
    expect(found.has('SD211')).toBe(icc !== 'false');
    expect(found.has('SD212')).toBe(!/name=userns|name=rootless/.test(security));
    expect(found.has('SD223')).toBe(!security.includes('name=rootless'));
    expect(found.has('SD210')).toBe(!security.includes('name=seccomp') || security.includes('profile=unconfined'));
    expect(found.has('SD216')).toBe(!info.LiveRestoreEnabled && info.Swarm.LocalNodeState !== 'active');
    expect(found.has('SD219')).toBe(['json-file', 'local', 'none'].includes(info.LoggingDriver));
    expect(found.has('SD221')).toBe((info.Plugins.Authorization ?? []).length === 0);
    const swarm = info.Swarm;
    const manager = swarm.LocalNodeState === 'active' && swarm.ControlAvailable;
    expect(found.has('SD215')).toBe(manager && swarm.Cluster?.Spec?.EncryptionConfig?.AutoLockManagers !== true);

    // Settings only the host shows: dockerd's command line and daemon.json.
    const pid = (await runProcessOut('pgrep', ['-xo', 'dockerd'])).trim();
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    const daemonJson = existsSync('/etc/docker/daemon.json')
      ? (JSON.parse(readFileSync('/etc/docker/daemon.json', 'utf8')) as Record<string, unknown>)
      : {};
    expect(found.has('SD213')).toBe(
      daemonJson['no-new-privileges'] !== true && !/--no-new-privileges(=true)?( |$)/.test(cmdline),
    );
    expect(found.has('SD217')).toBe(
      daemonJson['userland-proxy'] !== false && !cmdline.includes('--userland-proxy=false'),
    );
    expect(found.has('SD218')).toBe(
      daemonJson['default-ulimits'] === undefined && !cmdline.includes('--default-ulimit'),
    );
    expect(found.has('SD201')).toBe(false);

    // The socket's owner and mode (CIS 3.15, 3.16), read here.
    const sock = statSync('/var/run/docker.sock');
    expect(found.has('SD202')).toBe((sock.mode & 0o117) !== 0 || sock.uid !== 0);
    expect(daemon.unchecked).toEqual([]);

    // On the engine started by scripts/engine.sh (plain dockerd, no daemon.json) that is exactly:
    // (The engine is shared: another suite may have made it a swarm node meanwhile.)
    if (cmdline.trim() === 'dockerd' && !existsSync('/etc/docker/daemon.json') && swarm.LocalNodeState !== 'active')
      expect([...found].sort()).toEqual([
        'SD211',
        'SD212',
        'SD213',
        'SD216',
        'SD217',
        'SD218',
        'SD219',
        'SD221',
        'SD223',
      ]);
    for (const f of daemon.findings) expect(f.status).toBe('open');
  });

  it('--fail-on medium fails on those findings; the text names the CIS id and the daemon.json key', async () => {
    const r = await runCli(['audit', '--daemon', '--no-containers', '--fail-on', 'medium']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('MEDIUM   SD211  containers on the default bridge may talk to each other');
    expect(r.stdout).toContain('CIS 2.2. Fix: Set "icc": false in daemon.json (dockerd --icc=false)');
    expect(r.stdout).toMatch(/^FAIL: \d+ findings? at medium or above not accepted \(--fail-on medium\)$/m);
    for (const line of r.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(r.stdout).not.toContain('\u001b[');
  });
});

describe('safedock audit of containers started with docker run', () => {
  let plain: string;
  let joiner: string;
  let hardened: string;
  let unconfined: string;
  let restarting: string;
  beforeAll(async () => {
    plain = await dockerRun('plain', []);
    joiner = await dockerRun('joiner', ['--pid', `container:${plain}`, '--network', `container:${plain}`]);
    hardened = await dockerRun('hardened', [
      '--cap-drop',
      'ALL',
      '--security-opt',
      'no-new-privileges',
      '-u',
      '1000:1000',
      '--network',
      'none',
      '--health-cmd',
      'true',
    ]);
    unconfined = await dockerRun('unconfined', ['--security-opt', 'seccomp=unconfined', '--network', 'none']);
    restarting = await dockerRun('restarting', ['--restart', 'always']);
  }, 120_000);

  it('restart policy, health check, default bridge, shared namespaces: each with its id', async () => {
    const { report } = await audit([plain, joiner, hardened, unconfined, restarting]);
    const p = container(report, plain);
    expect(runtimeRules(p)).toEqual(['SD304', 'SD304', 'SD302', 'SD303']);
    const details = (c: JsonContainer, rule: string) => c.findings.filter((f) => f.rule === rule).map((f) => f.detail);
    expect(details(p, 'SD304')).toEqual([
      `its process namespace is shared with ${joiner} (it joined with --pid container:${plain})`,
      `its network namespace is shared with ${joiner} (it joined with --network container:${plain})`,
    ]);
    expect(details(p, 'SD303')[0]).toMatch(/^the container is on the default bridge/);
    // The joiner's own settings say it joined (SD110, a settings rule); it gets no SD304 of its own.
    expect(rules(container(report, joiner))).not.toContain('SD304');
    expect(rules(container(report, joiner))).toContain('SD110');
    expect(rules(container(report, restarting))).toContain('SD301');
    expect(container(report, restarting).findings.find((f) => f.rule === 'SD301')?.detail).toBe(
      'RestartPolicy is "always": restarted without end',
    );
    expect(runtimeRules(container(report, hardened))).toEqual([]);
    for (const c of report.containers) {
      expect(c.startedBy).toBe('other');
      for (const f of c.findings) expect(f.status).toBe('drift');
    }
  });

  it("reads each process from the host: what the container's own /proc/1/status shows", async () => {
    const { report } = await audit([plain, hardened, unconfined]);
    for (const name of [plain, hardened, unconfined]) {
      const inside = await statusInside(name);
      const eff = container(report, name).effective;
      expect(eff, name).not.toBeNull();
      expect(eff?.uid).toBe(inside.uids[1]);
      expect(eff?.capabilities).toEqual(capabilityNames(inside.capEff));
      expect(eff?.noNewPrivs).toBe(inside.noNewPrivs);
      expect(eff?.seccomp).toBe(['off', 'strict', 'filter'][inside.seccomp]);
    }
    expect(container(report, hardened).effective).toMatchObject({
      uid: 1000,
      capabilities: [],
      noNewPrivs: true,
      seccomp: 'filter',
    });
    expect(container(report, unconfined).effective?.seccomp).toBe('off');
    expect(container(report, plain).effective?.capabilities).toHaveLength(14);
    // Each matches its configuration: no effective-state finding.
    for (const c of report.containers)
      for (const f of c.findings) expect(['SD305', 'SD306', 'SD307', 'SD308']).not.toContain(f.rule);
    expect(report.unchecked.filter((u) => u.rules.includes('SD305'))).toEqual([]);
  });

  it('says once when the processes cannot be read', async () => {
    const reader = await EngineReader.connect(selectEngine(process.env));
    try {
      const g = await gatherContainers(reader, { all: false, names: [plain, hardened], proc: join(dir, 'no-proc') });
      expect(g.unchecked).toHaveLength(1);
      expect(g.unchecked[0]?.rules).toEqual(['SD305', 'SD306', 'SD307', 'SD308']);
      expect(g.unchecked[0]?.reason).toMatch(
        /^the processes of 2 running containers could not be read from this host's \/proc \(first: cannot read /,
      );
      expect(g.containers.every((c) => c.process === undefined)).toBe(true);
    } finally {
      reader.close();
    }
  });

  it("accept: in the folder's .safedock.yaml applies to audit", async () => {
    const project = join(dir, 'project');
    await runProcessOut('mkdir', ['-p', project]);
    writeFileSync(join(project, '.safedock.yaml'), 'accept:\n  SD301: "the job must come back after a reboot"\n');
    const without = await audit([restarting, '--fail-on', 'low']);
    expect(without.code).toBe(1);
    const withConfig = await audit([restarting, '--fail-on', 'low'], project);
    const f = container(withConfig.report, restarting).findings.find((x) => x.rule === 'SD301');
    expect(f).toMatchObject({
      status: 'accepted',
      failing: false,
      acceptance: { reason: 'the job must come back after a reboot', source: 'project' },
    });
    expect(f?.acceptance?.by).toBe(`the project config ${join(project, '.safedock.yaml')}`);
  });

  it('--all takes containers that never started; by default only running ones are audited', async () => {
    const name = `sd-audit-${run}-created`;
    const r = await runDocker(['create', ...TEST_LABEL_ARGS, '--name', name, TEST_IMAGE, 'true']);
    expect(r.code, r.stderr).toBe(0);
    started.push(name);
    const all = await audit(['--all']);
    expect(all.report.containers.map((c) => c.name)).toContain(name);
    expect(container(all.report, name).effective).toBeNull();
    const running = await audit([]);
    expect(running.report.containers.map((c) => c.name)).not.toContain(name);
    expect(running.report.containers.map((c) => c.name)).toContain(plain);
  });

  it('--sarif validates against the SARIF 2.1.0 schema', async () => {
    const r = await runCli(['audit', '--sarif', '--daemon', plain, joiner, restarting]);
    expect(r.code).toBe(1); // plain runs as root (SD118, high)
    const doc = JSON.parse(r.stdout) as { runs: { results: unknown[] }[] };
    expect(sarifErrors(doc), r.stdout.slice(0, 2000)).toEqual([]);
    expect(doc.runs[0]?.results.length).toBeGreaterThan(5);
  });

  it('could not audit: exit 2 for a missing container or no engine; a bad flag is 125 as everywhere', async () => {
    const missing = await runCli(['audit', `sd-audit-${run}-nope`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`safedock: could not audit: no such container: sd-audit-${run}-nope`);
    expect(missing.stdout).toBe('');
    const noEngine = await runCli(['audit'], { env: { DOCKER_HOST: `unix://${join(dir, 'none.sock')}` } });
    expect(noEngine.code).toBe(2);
    expect(noEngine.stderr).toContain('cannot connect to the Docker engine');
    const badFlag = await runCli(['audit', '--fail-on', 'severe']);
    expect(badFlag.code).toBe(125);
    const nothing = await runCli(['audit', '--no-containers']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('safedock: could not audit: --no-containers leaves nothing to audit');
  });
});

describe('risky settings given to docker run: each found with the id safedock run gives it', () => {
  /** docker run options → the settings rule each must raise. */
  const CASES: readonly (readonly [string, readonly string[], readonly string[]])[] = [
    ['socket', ['-v', '/var/run/docker.sock:/var/run/docker.sock'], ['SD102']],
    ['hostnet', ['--network', 'host'], ['SD106']],
    ['hostpid', ['--pid', 'host'], ['SD104']],
    ['hostipc', ['--ipc', 'host'], ['SD105']],
    ['sysadmin', ['--cap-add', 'SYS_ADMIN'], ['SD111']],
    ['seccomp', ['--security-opt', 'seccomp=unconfined'], ['SD114']],
    ['root', ['-u', '0'], ['SD118']],
    ['nolimits', [], ['SD126', 'SD127', 'SD128']],
    ['ports', ['-p', '80'], ['SD125']],
    ['etc', ['-v', '/etc:/host-etc:ro'], ['SD121']],
    ['rootdir', ['-v', '/root:/host-root'], ['SD120']],
  ];
  const names = new Map<string, string>();
  let report: JsonReport;
  beforeAll(async () => {
    for (const [key, args] of CASES) names.set(key, await dockerRun(key, args));
    ({ report } = await audit([...names.values()]));
  }, 180_000);

  it.each(CASES)('%s: %j', async (key, args, expected) => {
    const c = container(report, names.get(key) ?? '');
    for (const id of expected) expect(rules(c), `${key} should raise ${id}`).toContain(id);
    for (const f of c.findings) expect(f.status).toBe('drift');
    // The same rule ids as safedock run gives the same options (the pass-through preset, so that
    // nothing is added under them), except the image pin (info) which both give.
    const dry = await runCli([
      'run',
      '--dry-run',
      '--json',
      '--preset',
      'none',
      '--policy',
      'warn',
      ...args,
      TEST_IMAGE,
      'sleep',
      '600',
    ]);
    expect(dry.code, dry.stderr).toBe(0);
    // The default bridge is SD303's in an audit (it also knows the daemon's icc), SD155's in a run.
    const planned = (JSON.parse(dry.stdout) as { policy: { findings: { rule: string }[] } }).policy.findings
      .map((f) => f.rule)
      .filter((r) => r !== 'SD155');
    const audited = rules(c).filter((r) => r.startsWith('SD1'));
    expect([...new Set(audited)].sort()).toEqual([...new Set(planned)].sort());
  });

  it('critical findings fail the audit; the text groups them worst first', async () => {
    const r = await runCli(['audit', ...names.values()]);
    expect(r.code).toBe(1);
    const first = r.stdout.split('\n').find((l) => l.startsWith('sd-audit-'));
    // Worst first: a container with a critical finding heads the list.
    const heads = report.containers.filter((c) => c.findings.some((f) => f.severity === 'critical')).map((c) => c.name);
    expect(heads.some((n) => first?.startsWith(`${n} `))).toBe(true);
  });
});

describe('accepted at run time', () => {
  it('a finding accepted with safedock run --accept is shown as accepted and passes --fail-on high', async () => {
    const name = `sd-audit-${run}-accepted`;
    const reason = 'the entrypoint drops to uid 1000 itself';
    const r = await runCli([
      'run',
      '-d',
      ...TEST_LABEL_ARGS,
      '--name',
      name,
      '-u',
      '0',
      '--accept',
      'SD118',
      '--reason',
      reason,
      TEST_IMAGE,
      'sleep',
      '600',
    ]);
    expect(r.code, r.stderr).toBe(0);
    started.push(name);
    const { code, report } = await audit([name, '--fail-on', 'high']);
    const c = container(report, name);
    expect(c).toMatchObject({ startedBy: 'safedock', preset: 'strict' });
    expect(c.findings.find((f) => f.rule === 'SD118')).toMatchObject({
      status: 'accepted',
      failing: false,
      acceptance: { reason, by: '--accept', source: 'label' },
    });
    expect(code).toBe(0);
    const text = await runCli(['audit', name]);
    expect(text.stdout.replace(/\s+/g, ' ')).toContain(`accepted on the container: ${reason} (by --accept)`);
  });
});

describe('an image that carries safedock labels', () => {
  it('does not pass its containers off as started by safedock with risks accepted', async () => {
    const context = mkdtempSync(join(dir, 'forged-'));
    const keys = JSON.stringify({ SD118: { reason: 'planted', by: '--accept', accepted: 'SD118', origin: 'image' } });
    const forged: Record<string, string> = {
      'io.safedock.preset': 'strict',
      'io.safedock.accepted': 'SD118',
      'io.safedock.accepted.SD118': 'planted (--accept)',
      'io.safedock.accepted.keys': keys,
    };
    const lines = Object.entries(forged).map(([k, v]) => `LABEL ${k}=${JSON.stringify(v)}`);
    writeFileSync(join(context, 'Dockerfile'), [`FROM ${TEST_IMAGE}`, ...lines, ''].join('\n'));
    const image = `safedock-test-forged-${run}:latest`;
    const built = await runDocker(['build', '-q', ...TEST_LABEL_ARGS, '-t', image, context], {
      env: { DOCKER_BUILDKIT: '0' },
    });
    expect(built.code, built.stderr).toBe(0);
    try {
      const name = `sd-audit-${run}-forged`;
      const r = await runDocker(['run', '-d', ...TEST_LABEL_ARGS, '--name', name, image, 'sleep', '600']);
      expect(r.code, r.stderr).toBe(0);
      started.push(name);
      // The engine did copy them onto the container.
      const labels = await runDocker(['inspect', '-f', '{{json .Config.Labels}}', name]);
      expect(labels.stdout).toContain('io.safedock.accepted.keys');
      const { report } = await audit([name]);
      const c = container(report, name);
      expect(c).toMatchObject({ startedBy: 'other', preset: null });
      expect(c.findings.find((f) => f.rule === 'SD118')).toMatchObject({ status: 'drift', acceptance: null });
    } finally {
      // The container first: an image still in use is only untagged by rmi, and left behind.
      await removeContainer(`sd-audit-${run}-forged`).catch(() => undefined);
      await runDocker(['rmi', '-f', image]);
    }
  });
});

describe('a container started by safedock run', () => {
  it('under the default preset: started by safedock, nothing above low', async () => {
    const name = `sd-audit-${run}-safe`;
    const r = await runCli(['run', '-d', ...TEST_LABEL_ARGS, '--name', name, TEST_IMAGE, 'sleep', '600']);
    expect(r.code, r.stderr).toBe(0);
    started.push(name);
    const { code, report } = await audit([name, '--fail-on', 'medium']);
    const c = container(report, name);
    expect(c).toMatchObject({ startedBy: 'safedock', preset: 'strict' });
    expect(c.findings.filter((f) => !['info', 'low'].includes(f.severity))).toEqual([]);
    expect(code).toBe(0);
    expect(c.effective).toMatchObject({ capabilities: [], noNewPrivs: true, seccomp: 'filter' });
    expect(c.effective?.uid).not.toBe(0);
  });
});

async function runProcessOut(command: string, args: readonly string[]): Promise<string> {
  const { runProcess } = await import('../helpers/engine.js');
  const r = await runProcess(command, args);
  if (r.code !== 0) throw new Error(`${command} ${args.join(' ')}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}
