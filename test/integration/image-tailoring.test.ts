/**
 * Image tailoring on the real engine: the folders an image declares transient (label
 * io.safedock.tmpfs) are writable tmpfs mounts owned by the container's user under strict's
 * read-only root, and nothing else is; without the label the same program dies of the read-only root.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_LABEL,
  TEST_LABEL_ARGS,
  TEST_RUN_ID,
  inspectContainer,
  removeContainer,
  runCli,
  runDocker,
} from '../helpers/engine.js';

const TAG = `safedock-test-transient:${TEST_RUN_ID.toLowerCase().replace(/[^a-z0-9_.-]/g, '-')}`;
const PLAIN = `${TAG}-plain`;
// Writes into each folder and says who owns it; then tries the root filesystem, which stays read-only.
const SCRIPT =
  'for d in /run/app /var/cache/app; do echo hi > $d/f && echo "wrote $d $(stat -c %u:%g $d)"; done; ' +
  'touch /etc/x 2>/dev/null && echo "root writable" || echo "root read-only"';
const dockerfile = (label: string): string =>
  [
    'FROM safedock-busybox:latest',
    'RUN ["/bin/sh", "-c", "mkdir -p /run/app /var/cache/app"]',
    label,
    `CMD ["/bin/sh", "-c", ${JSON.stringify(SCRIPT)}]`,
  ].join('\n');

const containers: string[] = [];

beforeAll(async () => {
  for (const [tag, label] of [
    [TAG, 'LABEL io.safedock.tmpfs="/run/app, /var/cache/app /etc"'],
    [PLAIN, ''],
  ] as const) {
    const built = await runDocker(['build', '-q', '--label', TEST_LABEL, '-t', tag, '-'], {
      stdin: dockerfile(label),
      env: { DOCKER_BUILDKIT: '0' },
      timeoutMs: 120_000,
    });
    if (built.code !== 0) throw new Error(`docker build ${tag}: ${built.stderr}`);
  }
}, 180_000);

afterAll(async () => {
  for (const id of containers) await removeContainer(id);
  await runDocker(['image', 'rm', '-f', TAG, PLAIN]);
});

describe('the transient folders an image declares', () => {
  it('are tmpfs mounts owned by the container user under the read-only root; the system folder it names is not', async () => {
    const run = await runCli(['run', '-d', ...TEST_LABEL_ARGS, TAG], {
      env: { CI: 'true', SAFEDOCK_PRESET: undefined },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('the image names /run/app as transient (label io.safedock.tmpfs)');
    expect(run.stderr).toContain(`the image's label io.safedock.tmpfs names "/etc": ignored`);
    const id = run.stdout.trim();
    containers.push(id);
    const wait = await runDocker(['wait', id]);
    expect(wait.stdout.trim()).toBe('0');
    const logs = await runDocker(['logs', id]);
    expect(logs.stdout).toBe('wrote /run/app 65534:65534\nwrote /var/cache/app 65534:65534\nroot read-only\n');
    const info = await inspectContainer<{ HostConfig: { ReadonlyRootfs: boolean; Tmpfs: Record<string, string> } }>(id);
    expect(info?.HostConfig.ReadonlyRootfs).toBe(true);
    expect(info?.HostConfig.Tmpfs).toEqual({
      '/tmp': 'rw,noexec,nosuid,nodev,size=64m',
      '/run/app': 'uid=65534,gid=65534',
      '/var/cache/app': 'uid=65534,gid=65534',
    });
  });

  it('without the label the same program cannot write there', async () => {
    const run = await runCli(['run', '--rm', ...TEST_LABEL_ARGS, PLAIN], {
      env: { CI: 'true', SAFEDOCK_PRESET: undefined },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('root read-only\n');
    expect(run.stderr).toMatch(/can't create \/run\/app\/f: Read-only file system/);
  });
});
