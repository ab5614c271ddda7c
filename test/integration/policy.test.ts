import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLI_ENTRY,
  REPO_ROOT,
  TEST_IMAGE,
  TEST_LABEL_ARGS,
  inspectContainer,
  listContainers,
  removeContainer,
  runCli,
} from '../helpers/engine.js';

/** A label unique to one command, so that "nothing was created" can be checked exactly. */
function tag(): { args: string[]; label: string } {
  const label = `safedock.policy-test=${randomUUID()}`;
  return { args: [...TEST_LABEL_ARGS, '--label', label], label };
}

const created = async (label: string): Promise<number> => (await listContainers(label)).length;

/** safedock's stderr with its lines joined: findings and refusals wrap at 80 columns on a pipe. */
const flat = (text: string): string => text.replace(/\s*\n\s*/g, ' ');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'safedock-policy-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('without a terminal (scripts, CI)', () => {
  it('refuses high and critical findings: exit 125, the list printed, nothing created', async () => {
    const t = tag();
    const r = await runCli(['run', '--rm', ...t.args, '-u0', '--cap-add', 'sys_admin', TEST_IMAGE, 'true']);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/CRITICAL\n\s+SD111:SYS_ADMIN {2}dangerous capability added: CapAdd has CAP_SYS_ADMIN/);
    expect(r.stderr).toMatch(/HIGH\n\s+SD118 /);
    expect(flat(r.stderr)).toContain('safedock: refused: 2 high or critical findings not accepted');
    expect(flat(r.stderr)).toContain('--accept SD111:SYS_ADMIN --accept SD118 --reason');
    expect(r.stdout).toBe('');
    expect(await created(t.label)).toBe(0);
  });

  it('a device every container has anyway (--device /dev/null:/dev/blank, to blank a device) runs without a finding', async () => {
    const t = tag();
    const r = await runCli([
      'run',
      '--rm',
      ...t.args,
      '--device',
      '/dev/null:/dev/blank',
      TEST_IMAGE,
      'sh',
      '-c',
      'echo gone > /dev/blank && wc -c < /dev/blank',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('0');
    expect(r.stderr).not.toContain('SD123');
    // A real device is still judged.
    const disk = await runCli(['run', '--rm', ...t.args, '--device', '/dev/mem', TEST_IMAGE, 'true']);
    expect(disk.code).toBe(125);
    expect(disk.stderr).toContain('SD123:/dev/mem');
  });

  it('the findings and the refusal fit 80 columns on a pipe, however long a finding key (COLUMNS wins)', async () => {
    const t = tag();
    const deep = join(dir, 'a-rather-long-folder-name', 'and-another-one-below-it');
    const mount = `${deep}:/container/path/that/is/also/long:rw`;
    const args = ['run', '--rm', ...t.args, '-v', mount, '--cap-add', 'sys_admin', '-v', '/:/host', TEST_IMAGE, 'true'];
    const r = await runCli(args, { env: { COLUMNS: undefined } });
    expect(r.code).toBe(125);
    const longest = Math.max(...r.stderr.split('\n').map((l) => l.length));
    expect(longest, r.stderr).toBeLessThanOrEqual(80);
    expect(r.stderr).toContain('--accept SD120:/:/host');
    const wide = await runCli(args, { env: { COLUMNS: '200' } });
    expect(Math.max(...wide.stderr.split('\n').map((l) => l.length))).toBeGreaterThan(80);
    expect(await created(t.label)).toBe(0);
  });

  it('--yes does not stand in for a person when there is no terminal', async () => {
    const t = tag();
    const r = await runCli(['run', '--rm', ...t.args, '--yes', '-u', 'root', TEST_IMAGE, 'true']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('--yes only answers the question on a terminal');
    expect(await created(t.label)).toBe(0);
  });

  it('--yes with --policy ask (or SAFEDOCK_POLICY=ask) and no terminal is still refused', async () => {
    for (const [args, env] of [
      [['--policy', 'ask'], {}],
      [[], { SAFEDOCK_POLICY: 'ask', CI: '1' }],
    ] as const) {
      const t = tag();
      const r = await runCli(['run', '--rm', ...t.args, ...args, '--yes', '-u0', TEST_IMAGE, 'true'], { env });
      expect(r.code, r.stderr).toBe(125);
      expect(r.stderr).toContain('--yes only answers the question on a terminal');
      expect(await created(t.label)).toBe(0);
    }
  });

  it('a --label in the io.safedock.accepted namespace cannot pass for accepted risk', async () => {
    const t = tag();
    const r = await runCli([
      'run',
      '-d',
      ...t.args,
      '--label',
      'io.safedock.accepted=SD118',
      '--label',
      'io.safedock.accepted.SD118=approved (--accept)',
      TEST_IMAGE,
      'true',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const id = r.stdout.trim();
    try {
      expect(r.stderr).toContain('the label io.safedock.accepted is reserved');
      const c = await inspectContainer<{ Config: { Labels: Record<string, string> } }>(id);
      expect(Object.keys(c?.Config.Labels ?? {}).filter((k) => k.startsWith('io.safedock.accepted'))).toEqual([]);
    } finally {
      await removeContainer(id);
    }
  });

  it('runs what was accepted on purpose, and stamps the reason into the labels', async () => {
    const t = tag();
    const r = await runCli([
      'run',
      '-d',
      ...t.args,
      '-u0:0',
      '--accept',
      'SD118',
      '--reason',
      'needs to chown its volume at start',
      TEST_IMAGE,
      'id',
      '-u',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const id = r.stdout.trim();
    try {
      expect(r.stderr).toContain('safedock: accepted SD118 by --accept\n');
      const c = await inspectContainer<{ Config: { Labels: Record<string, string> } }>(id);
      expect(c?.Config.Labels).toMatchObject({
        'io.safedock.accepted': 'SD118',
        'io.safedock.accepted.SD118': 'needs to chown its volume at start (--accept)',
      });
    } finally {
      await removeContainer(id);
    }
  });

  it('--accept SD111:NET_ADMIN accepts NET_ADMIN alone: with --cap-add ALL the run is refused', async () => {
    const t = tag();
    const accept = ['--accept', 'SD111:NET_ADMIN', '--reason', 'the VPN sets routes'];
    const refused = await runCli([
      'run',
      '--rm',
      ...t.args,
      ...accept,
      '--cap-add',
      'NET_ADMIN',
      '--cap-add',
      'ALL',
      TEST_IMAGE,
      'true',
    ]);
    expect(refused.code).toBe(125);
    expect(flat(refused.stderr)).toContain('refused: 1 high or critical finding not accepted');
    expect(flat(refused.stderr)).toContain('--accept SD111:ALL --reason');
    expect(await created(t.label)).toBe(0);
    // A bare SD111 would cover both: it is refused as a key.
    const bare = await runCli(['run', '--rm', ...t.args, '--accept', 'SD111', '--reason', 'x', TEST_IMAGE, 'true']);
    expect(bare.code).toBe(125);
    expect(bare.stderr).toContain('SD111 alone would accept every SD111 finding, and SD111 is critical');
    // NET_ADMIN alone runs, the capability is there, and the label names the key.
    const r = await runCli([
      'run',
      '-d',
      ...t.args,
      ...accept,
      '--cap-add',
      'cap_net_admin',
      TEST_IMAGE,
      'sh',
      '-c',
      'grep CapBnd /proc/self/status',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const id = r.stdout.trim();
    try {
      expect(r.stderr).toContain('safedock: accepted SD111:NET_ADMIN by --accept');
      const c = await inspectContainer<{
        Config: { Labels: Record<string, string> };
        HostConfig: { CapAdd: string[] };
      }>(id);
      expect(c?.HostConfig.CapAdd).toEqual(['CAP_NET_ADMIN']);
      expect(c?.Config.Labels['io.safedock.accepted']).toBe('SD111');
      expect(JSON.parse(c?.Config.Labels['io.safedock.accepted.keys'] ?? '{}')).toEqual({
        'SD111:NET_ADMIN': {
          reason: 'the VPN sets routes',
          by: '--accept',
          accepted: 'SD111:NET_ADMIN',
          origin: 'user',
        },
      });
    } finally {
      await removeContainer(id);
    }
  });

  it('warn leaves a trace: high findings run stamped as warned-through, with where warn came from', async () => {
    const t = tag();
    const r = await runCli(['run', '-d', ...t.args, '-u0', TEST_IMAGE, 'true'], {
      env: { SAFEDOCK_POLICY: 'warn', CI: '1' },
    });
    expect(r.code, r.stderr).toBe(0);
    const id = r.stdout.trim();
    try {
      expect(flat(r.stderr)).toContain('running under --policy warn (from SAFEDOCK_POLICY) with SD118 not accepted');
      const c = await inspectContainer<{ Config: { Labels: Record<string, string> } }>(id);
      expect(JSON.parse(c?.Config.Labels['io.safedock.warned'] ?? '{}')).toEqual({
        mode: 'warn',
        from: 'SAFEDOCK_POLICY',
        keys: ['SD118'],
      });
      expect(c?.Config.Labels['io.safedock.accepted']).toBeUndefined();
    } finally {
      await removeContainer(id);
    }
  });

  it('under CI, warn still needs --accept for a critical finding; without CI it runs, warned-through', async () => {
    const t = tag();
    const ci = await runCli(['run', '--rm', ...t.args, '--cap-add', 'SYS_ADMIN', TEST_IMAGE, 'true'], {
      env: { SAFEDOCK_POLICY: 'warn', CI: 'true' },
    });
    expect(ci.code).toBe(125);
    expect(flat(ci.stderr)).toContain(
      'refused: 1 critical finding not accepted (CI is set: warn lets no critical finding through unattended',
    );
    expect(ci.stderr).toContain('--accept SD111:SYS_ADMIN');
    expect(await created(t.label)).toBe(0);
    const local = await runCli(
      ['run', '-d', ...t.args, '--policy', 'warn', '--cap-add', 'SYS_ADMIN', TEST_IMAGE, 'true'],
      {
        env: { CI: undefined },
      },
    );
    expect(local.code, local.stderr).toBe(0);
    const id = local.stdout.trim();
    try {
      const c = await inspectContainer<{ Config: { Labels: Record<string, string> } }>(id);
      expect(JSON.parse(c?.Config.Labels['io.safedock.warned'] ?? '{}')).toMatchObject({
        from: '--policy',
        keys: ['SD111:SYS_ADMIN'],
      });
    } finally {
      await removeContainer(id);
    }
  });

  it('accepts from the project config, naming the file in the label', async () => {
    const project = mkdtempSync(join(dir, 'project-'));
    writeFileSync(join(project, '.safedock.yaml'), 'accept:\n  SD118: the entrypoint drops to uid 1000 itself\n');
    const t = tag();
    const r = await runCli(['run', '-d', ...t.args, '--user', 'root', TEST_IMAGE, 'true'], { cwd: project });
    expect(r.code, r.stderr).toBe(0);
    const id = r.stdout.trim();
    try {
      const c = await inspectContainer<{ Config: { Labels: Record<string, string> } }>(id);
      expect(c?.Config.Labels['io.safedock.accepted.SD118']).toBe(
        `the entrypoint drops to uid 1000 itself (the project config ${join(project, '.safedock.yaml')})`,
      );
    } finally {
      await removeContainer(id);
    }
  });

  it('an unknown rule in the project config is an error naming the file and line', async () => {
    const project = mkdtempSync(join(dir, 'project-'));
    writeFileSync(join(project, '.safedock.yaml'), 'preset: strict\naccept:\n  SD9: typo\n');
    const r = await runCli(['run', '--rm', ...TEST_LABEL_ARGS, TEST_IMAGE, 'true'], { cwd: project });
    expect(r.code).toBe(125);
    expect(r.stderr).toContain(join(project, '.safedock.yaml'));
    expect(r.stderr).toContain('"SD9" is not a rule id');
  });

  it('compat accepts the image root and the writable root it is for: the run goes ahead, labelled', async () => {
    const t = tag();
    const r = await runCli(['run', '-d', ...t.args, '--preset', 'compat', TEST_IMAGE, 'true']);
    expect(r.code, r.stderr).toBe(0);
    const id = r.stdout.trim();
    try {
      const c = await inspectContainer<{ Config: { Labels: Record<string, string> } }>(id);
      expect(c?.Config.Labels['io.safedock.accepted']).toBe('SD112,SD118,SD119,SD155');
      expect(c?.Config.Labels['io.safedock.accepted.SD118']).toMatch(/\(preset compat \(.*compat\.yaml\)\)$/);
    } finally {
      await removeContainer(id);
    }
  });

  it('--policy warn reports and runs; --json-file gets the findings as JSON', async () => {
    const r = await runCli(['run', '--rm', ...TEST_LABEL_ARGS, '--policy', 'warn', '-u0', TEST_IMAGE, 'id', '-u']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('0\n');
    expect(r.stderr).toMatch(/HIGH\n\s+SD118 /);
    const dir = mkdtempSync(join(tmpdir(), 'safedock-policy-json-'));
    try {
      const file = join(dir, 'report.json');
      const j = await runCli(['run', '--rm', ...TEST_LABEL_ARGS, '--json-file', file, '-u0', TEST_IMAGE, 'true']);
      expect(j.code).toBe(125);
      const policy = (
        JSON.parse(readFileSync(file, 'utf8')) as {
          policy: { verdict: string; blocking: string[]; findings: Array<{ rule: string }> };
        }
      ).policy;
      expect(policy.verdict).toBe('refuse');
      expect(policy.blocking).toEqual(['SD118']);
      expect(policy.findings.map((f) => f.rule)).toContain('SD118');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('piped stdin reaches the container untouched while a warning is shown', async () => {
    const input = Buffer.concat([Buffer.from('line one\n'), Buffer.from([0, 1, 2, 255, 10]), Buffer.from('y\nn\n')]);
    const r = await runCli(['run', '--rm', '-i', ...TEST_LABEL_ARGS, '--pids-limit', '-1', TEST_IMAGE, 'cat'], {
      stdin: input,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/MEDIUM\n\s+SD127 /);
    expect(r.stdoutBuffer.equals(input)).toBe(true);
  });

  it('--dry-run shows the findings and what the policy would do', async () => {
    const r = await runCli(['run', '--dry-run', '-p', '0.0.0.0:8080:80', '-e', 'DB_PASSWORD=hunter2', TEST_IMAGE]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('SD125');
    expect(r.stdout).toContain('SD129');
    expect(r.stdout).toContain('Policy: enforce; the run would be refused (exit 125)');
    expect(r.stdout).not.toContain('hunter2');
  });
});

describe('--secret NAME=FILE', () => {
  it('a host file outside your home folder (/etc/shadow) is judged as any mount: refused, nothing created', async () => {
    const t = tag();
    const r = await runCli([
      'run',
      '--rm',
      ...t.args,
      '--preset',
      'compat',
      '--secret',
      's=/etc/shadow',
      TEST_IMAGE,
      'true',
    ]);
    expect(r.code, r.stderr).toBe(125);
    expect(r.stderr).toContain('SD121');
    expect(await created(t.label)).toBe(0);
  });

  it('mounts the file read-only at /run/secrets/NAME, under a read-only root, and never shows its value', async () => {
    const file = join(dir, 'db_password');
    writeFileSync(file, 's3cr3t-value\n');
    chmodSync(file, 0o644);
    const script =
      'cat /run/secrets/db; env | grep -c s3cr3t; echo x > /run/secrets/db 2>/dev/null && echo writable || echo read-only';
    const r = await runCli([
      'run',
      '--rm',
      ...TEST_LABEL_ARGS,
      '--secret',
      `db=${file}`,
      TEST_IMAGE,
      'sh',
      '-c',
      script,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('s3cr3t-value\n0\nread-only\n');
    const plan = await runCli(['run', '--dry-run', '--secret', `db=${file}`, TEST_IMAGE]);
    expect(plan.stdout).toContain('/run/secrets/db');
    expect(plan.stdout).not.toContain('s3cr3t');
  });
  it('a missing file is refused before anything is created', async () => {
    const t = tag();
    const r = await runCli(['run', '--rm', ...t.args, '--secret', 'db=./no-such-file', TEST_IMAGE, 'true'], {
      cwd: dir,
    });
    expect(r.code).toBe(125);
    expect(r.stderr).toContain(
      `invalid argument "db=./no-such-file" for "--secret" flag: cannot read ${join(dir, 'no-such-file')}: no such file`,
    );
    expect(await created(t.label)).toBe(0);
  });
});

/**
 * A command under a pseudo-terminal (util-linux `script`): its stdin, stdout, stderr and
 * /dev/tty are the terminal; what is written to `keys` is typed on it.
 */
function onTerminal(command: string): {
  output: () => string;
  type: (keys: string) => void;
  waitFor: (re: RegExp) => Promise<void>;
  done: Promise<number | null>;
} {
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: REPO_ROOT,
    env: { ...process.env, CI: '', TERM: 'dumb' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const waitFor = async (re: RegExp): Promise<void> => {
    const until = Date.now() + 20_000;
    while (!re.test(out)) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${re} in:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { output: () => out, type: (keys) => child.stdin.write(keys), waitFor, done };
}

const quote = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;

describe('on a terminal: the y/N question', () => {
  const QUESTION = /Run anyway with SD118\?/;

  it('yes: the container runs, and the yes is stamped into its labels', async () => {
    const t = tag();
    const term = onTerminal([CLI_ENTRY, 'run', '-d', ...t.args, '-u0', TEST_IMAGE, 'true'].map(quote).join(' '));
    await term.waitFor(QUESTION);
    term.type('y\r');
    expect(await term.done, term.output()).toBe(0);
    const [c] = await listContainers(t.label);
    expect(c).toBeDefined();
    try {
      const info = await inspectContainer<{ Config: { Labels: Record<string, string> } }>(c?.Id ?? '');
      expect(info?.Config.Labels['io.safedock.accepted.SD118']).toBe(
        'confirmed on the terminal (a yes on the terminal)',
      );
    } finally {
      await removeContainer(c?.Id ?? '');
    }
  });

  it('no (or just Enter): exit 125, nothing created', async () => {
    for (const answer of ['n\r', '\r']) {
      const t = tag();
      const term = onTerminal([CLI_ENTRY, 'run', '--rm', ...t.args, '-u0', TEST_IMAGE, 'true'].map(quote).join(' '));
      await term.waitFor(QUESTION);
      term.type(answer);
      expect(await term.done, term.output()).toBe(125);
      expect(term.output()).toContain('not run (answered no); nothing was created');
      expect(await created(t.label)).toBe(0);
    }
  });

  it('Ctrl-C: exit 130, nothing created', async () => {
    const t = tag();
    const term = onTerminal([CLI_ENTRY, 'run', '--rm', ...t.args, '-u0', TEST_IMAGE, 'true'].map(quote).join(' '));
    await term.waitFor(QUESTION);
    term.type('\x03');
    expect(await term.done, term.output()).toBe(130);
    expect(await created(t.label)).toBe(0);
  });

  it('the answer comes from the terminal; piped stdin goes to the container untouched', async () => {
    const t = tag();
    const run = [CLI_ENTRY, 'run', '--rm', '-i', ...t.args, '-u0', TEST_IMAGE, 'sh', '-c', 'echo "got: $(cat)"']
      .map(quote)
      .join(' ');
    const term = onTerminal(`printf 'y\\nfrom the pipe' | ${run}`);
    await term.waitFor(QUESTION);
    term.type('y\r');
    expect(await term.done, term.output()).toBe(0);
    expect(term.output()).toContain('got: y\nfrom the pipe'.replace('\n', '\r\n'));
  });

  it('--yes answers the question', async () => {
    const t = tag();
    const term = onTerminal(
      [CLI_ENTRY, 'run', '--rm', ...t.args, '--yes', '-u0', TEST_IMAGE, 'id', '-u'].map(quote).join(' '),
    );
    expect(await term.done, term.output()).toBe(0);
    expect(term.output()).not.toMatch(QUESTION);
    expect(term.output()).toMatch(/^0\r?$/m);
  });

  it('--json-file holds the findings before the question, and the final verdict after the answer', async () => {
    const t = tag();
    const file = join(dir, `report-${randomUUID()}.json`);
    const term = onTerminal(
      [CLI_ENTRY, 'run', '--rm', ...t.args, '--json-file', file, '-u0', TEST_IMAGE, 'true'].map(quote).join(' '),
    );
    await term.waitFor(QUESTION);
    const read = () =>
      (JSON.parse(readFileSync(file, 'utf8')) as { policy: { verdict: string; blocking: string[] } }).policy;
    expect(read()).toMatchObject({ verdict: 'ask', blocking: ['SD118'] });
    term.type('n\r');
    expect(await term.done, term.output()).toBe(125);
    expect(read()).toMatchObject({ verdict: 'refuse', blocking: ['SD118'] });
    expect(await created(t.label)).toBe(0);
  });

  it('--policy enforce refuses on a terminal too, without asking', async () => {
    const t = tag();
    const term = onTerminal(
      [CLI_ENTRY, 'run', '--rm', ...t.args, '--policy', 'enforce', '-u0', TEST_IMAGE, 'true'].map(quote).join(' '),
    );
    expect(await term.done, term.output()).toBe(125);
    expect(term.output()).not.toMatch(QUESTION);
    expect(await created(t.label)).toBe(0);
  });
});
