/**
 * A volume's password in an export: never written into the document, left to a variable that the
 * deploying side sets. Shown on the engine: docker-compose 1.29 (from its environment) and the
 * exported `docker run` line run by sh create the volume with the very password, and the
 * documents hold no part of it. The volume is a cifs share that nothing mounts here (containers
 * are created, not started), so no share is needed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE, TEST_LABEL_ARGS, TEST_RUN_ID, runCli, runDocker, runProcess } from '../helpers/engine.js';

const dir = mkdtempSync(join(tmpdir(), 'safedock-export-pw-'));
const id = TEST_RUN_ID.toLowerCase().replace(/[^a-z0-9]/g, '');
const project = `sdpw${id}`;
/** The password as typed (a space, a doubled quote, a colon) and as the engine must get it. */
const TYPED = 'Kx7 Wq""9Jv:Pz';
const SENT = 'Kx7 Wq"9Jv:Pz';
const PARTS = ['Kx7', 'Wq', '9Jv', 'Pz'];
const mountOf = (volume: string): string =>
  `type=volume,src=${volume},dst=/share,volume-opt=type=cifs,volume-opt=device=//127.0.0.1/share,"volume-opt=o=username=bob,password=${TYPED}"`;
const volumes = [`sdpwc${id}`, `sdpwa${id}`];

async function volumeOptions(name: string): Promise<Record<string, string> | undefined> {
  const r = await runDocker(['volume', 'inspect', '--format', '{{json .Options}}', name]);
  return r.code === 0 ? (JSON.parse(r.stdout) as Record<string, string>) : undefined;
}

afterAll(async () => {
  await runProcess('docker-compose', ['-p', project, '-f', join(dir, 'compose.yaml'), 'down', '--volumes'], {
    cwd: dir,
    timeoutMs: 120_000,
  }).catch(() => undefined);
  const left = await runDocker(['ps', '-aq', '--filter', `label=safedock.pwtest=${id}`]);
  for (const c of left.stdout.split('\n').filter(Boolean)) await runDocker(['rm', '-f', c]);
  for (const v of volumes) await runDocker(['volume', 'rm', v]);
  rmSync(dir, { recursive: true, force: true });
});

describe("export of a volume's password", () => {
  it('compose: the file holds ${VARIABLE}, and docker-compose creates the volume with the password from its environment', async () => {
    const volume = volumes[0] ?? '';
    const r = await runCli([
      'export',
      '--format',
      'compose',
      '--name',
      'web',
      '--label',
      `safedock.pwtest=${id}`,
      ...TEST_LABEL_ARGS,
      '--mount',
      mountOf(volume),
      TEST_IMAGE,
      'true',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const variable = `${volume.toUpperCase()}_PASSWORD`;
    expect(r.stdout).toContain(`o: username=bob,password=\${${variable}}`);
    expect(r.stderr).toContain(`docker-compose takes it from ${variable}`);
    for (const part of PARTS) expect(r.stdout + r.stderr).not.toContain(part);
    writeFileSync(join(dir, 'compose.yaml'), r.stdout);
    // Created, not started: nothing tries to reach the share.
    const created = await runProcess(
      'docker-compose',
      ['-p', project, '-f', join(dir, 'compose.yaml'), 'up', '--no-start'],
      {
        cwd: dir,
        env: { [variable]: SENT.replace(/,/g, ',,') },
        timeoutMs: 120_000,
      },
    );
    expect(created.code, created.stderr).toBe(0);
    expect((await volumeOptions(volume))?.o).toBe(`username=bob,password=${SENT}`);
  });

  it('args: the line names "$VARIABLE", and sh running it gives docker the password', async () => {
    const volume = volumes[1] ?? '';
    const r = await runCli([
      'export',
      '--format',
      'args',
      '--label',
      `safedock.pwtest=${id}`,
      ...TEST_LABEL_ARGS,
      '--mount',
      mountOf(volume),
      TEST_IMAGE,
      'true',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const variable = `${volume.toUpperCase()}_PASSWORD`;
    expect(r.stdout).toContain(`password='"$${variable}"'`);
    expect(r.stderr).toContain(`the shell takes it from ${variable}`);
    for (const part of PARTS) expect(r.stdout + r.stderr).not.toContain(part);
    // The line as exported, with docker create for docker run (nothing mounts the share).
    const line = r.stdout.trim().replace(/^docker run /, 'docker create ');
    writeFileSync(join(dir, 'line.sh'), `${line}\n`);
    const created = await runProcess('sh', [join(dir, 'line.sh')], { env: { [variable]: TYPED } });
    expect(created.code, created.stderr).toBe(0);
    expect((await volumeOptions(volume))?.o).toBe(`username=bob,password=${SENT}`);
    expect(readFileSync(join(dir, 'line.sh'), 'utf8')).not.toContain('Kx7');
  });
});
