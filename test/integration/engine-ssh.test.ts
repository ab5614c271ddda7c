/**
 * ssh:// engines, reached as the docker CLI reaches them: the system's `ssh` running
 * `docker system dial-stdio` on the remote host. An `ssh` placed first on PATH stands in for the
 * real one: it records its arguments and runs the rest of the command here (the "remote host" is
 * this machine), so the whole path is real — the spawn, HTTP over its stdin and stdout, the
 * hijacked attach — and the arguments can be compared with the docker CLI's.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE, TEST_LABEL_ARGS, engineSocket, runCli, runDocker } from '../helpers/engine.js';

let dir: string;
let env: Record<string, string | undefined>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'safedock-ssh-'));
  const log = join(dir, 'args.log');
  const fake = join(dir, 'ssh');
  // Exits 255 with ssh's words for the host "unreachable"; otherwise runs what follows `-- HOST`.
  writeFileSync(
    fake,
    `#!/bin/bash
printf '%s\\n' "$*" >> ${JSON.stringify(log)}
args=("$@")
for i in "\${!args[@]}"; do if [[ "\${args[$i]}" == "--" ]]; then host=\${args[$((i + 1))]}; rest=("\${args[@]:$((i + 2))}"); break; fi; done
if [[ "$host" == unreachable ]]; then echo "ssh: Could not resolve hostname unreachable: Name or service not known" >&2; exit 255; fi
export DOCKER_HOST=unix://${engineSocket()}
exec "\${rest[@]}"
`,
  );
  chmodSync(fake, 0o755);
  env = { PATH: `${dir}:${process.env['PATH'] ?? ''}`, DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined, CI: 'true' };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function calls(): string[] {
  try {
    return readFileSync(join(dir, 'args.log'), 'utf8').trim().split('\n');
  } catch {
    return [];
  }
}

describe('-H ssh://', () => {
  it('runs a container through ssh: output, exit code and stdin, with the arguments docker gives ssh', async () => {
    rmSync(join(dir, 'args.log'), { force: true });
    const r = await runCli(
      [
        '-H',
        'ssh://me@engine.example:2222',
        'run',
        '--rm',
        '-i',
        '-u',
        '1000',
        ...TEST_LABEL_ARGS,
        TEST_IMAGE,
        'sh',
        '-c',
        'cat; exit 4',
      ],
      { env, stdin: 'through ssh\n' },
    );
    expect(r.stdout).toBe('through ssh\n');
    expect(r.code, r.stderr).toBe(4);
    const ours = new Set(calls());
    rmSync(join(dir, 'args.log'), { force: true });
    const docker = await runDocker(['-H', 'ssh://me@engine.example:2222', 'version'], { env });
    expect(docker.code, docker.stderr).toBe(0);
    expect(ours).toEqual(new Set(calls()));
    expect([...ours]).toEqual(['-o ConnectTimeout=30 -T -l me -p 2222 -- engine.example docker system dial-stdio']);
  });

  it('DOCKER_HOST=ssh:// without a user or port', async () => {
    rmSync(join(dir, 'args.log'), { force: true });
    const r = await runCli(['run', '--rm', '-u', '1000', ...TEST_LABEL_ARGS, TEST_IMAGE, 'echo', 'ok'], {
      env: { ...env, DOCKER_HOST: 'ssh://engine.example' },
    });
    expect(r.stdout).toBe('ok\n');
    expect(new Set(calls())).toEqual(new Set(['-o ConnectTimeout=30 -T -- engine.example docker system dial-stdio']));
  });

  it('ssh failing: exit 125, ssh’s own words, no stack trace', async () => {
    const r = await runCli(['-H', 'ssh://me@unreachable', 'run', '--rm', TEST_IMAGE, 'true'], { env });
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('cannot connect to the Docker engine at ssh://me@unreachable');
    expect(r.stderr).toContain('ssh: Could not resolve hostname unreachable');
    expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
  });

  it('a password in the address is refused and never printed', async () => {
    const r = await runCli(['-H', 'ssh://me:hunter2@engine.example', 'run', '--rm', TEST_IMAGE, 'true'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('plain-text password is not supported');
    expect(r.stderr).not.toContain('hunter2');
  });
});
