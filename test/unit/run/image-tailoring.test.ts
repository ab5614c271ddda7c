import { describe, expect, it } from 'vitest';
import { parseRunArgv } from '../../../src/docker-cli/parse-argv.js';
import type { ImageFacts } from '../../../src/engine/engine.js';
import { resolvePreset } from '../../../src/presets/builtin.js';
import { TRANSIENT_LABEL } from '../../../src/run/image-tailoring.js';
import { convertUserFlags, finalize, needsImageFacts, plan } from '../../../src/run/pipeline.js';

const ctx = { env: {}, cwd: '/work', apiVersion: '1.41' };
const image = (label: string | undefined, user = ''): ImageFacts => ({
  id: 'sha256:1',
  user,
  volumes: ['/data'],
  exposedPorts: [],
  ...(label === undefined ? {} : { labels: { [TRANSIENT_LABEL]: label } }),
});

async function tailored(argv: string[], facts: ImageFacts, preset = 'strict') {
  const parsed = parseRunArgv(argv);
  const { user, secrets } = convertUserFlags(parsed, ctx);
  const runPlan = plan({ parsed, user, secrets, preset: await resolvePreset(preset) }, facts, ctx);
  const { request } = finalize(runPlan, undefined, { apiVersion: ctx.apiVersion });
  return { runPlan, tmpfs: request.body.HostConfig.Tmpfs ?? {} };
}

describe('image tailoring: the folders the image declares transient (label io.safedock.tmpfs)', () => {
  it('a tmpfs owned by the container user for each, under the read-only root, with its provenance and a note', async () => {
    const { runPlan, tmpfs } = await tailored(['img'], image('/run, /var/lib/nginx /var/log/nginx'));
    expect(tmpfs).toEqual({
      '/tmp': 'rw,noexec,nosuid,nodev,size=64m',
      '/run': 'uid=65534,gid=65534',
      '/var/lib/nginx': 'uid=65534,gid=65534',
      '/var/log/nginx': 'uid=65534,gid=65534',
    });
    expect(runPlan.provenance.get('mounts:/var/lib/nginx')).toEqual({
      source: {
        kind: 'image',
        reason: "The image's label io.safedock.tmpfs names /var/lib/nginx as transient.",
      },
      flag: 'tmpfs',
      text: '/var/lib/nginx:uid=65534,gid=65534',
    });
    expect(runPlan.notes).toContain(
      'the image names /run as transient (label io.safedock.tmpfs): a tmpfs there owned by 65534:65534 (--tmpfs /run:uid=65534,gid=65534); your own --tmpfs or -v there wins',
    );
    // The VOLUME report stays as it was.
    expect(runPlan.notes.some((n) => n.startsWith('VOLUME /data of the image stays writable'))).toBe(true);
  });

  it.each([
    ['your numeric user owns them', ['-u', '1000:1001', 'img'], '', { '/run': 'uid=1000,gid=1001' }],
    ['a lone uid: group 0, as runc', ['-u', '1000', 'img'], '', { '/run': 'uid=1000,gid=0' }],
    ['a named user: world-writable, as docker makes a tmpfs', ['-u', 'www-data', 'img'], '', { '/run': '' }],
    ['the image’s own non-root user', ['img'], '999:999', { '/run': 'uid=999,gid=999' }],
    ['your --tmpfs there wins', ['--tmpfs', '/run:mode=0700', 'img'], '', { '/run': 'mode=0700' }],
    ['your volume there wins', ['-v', 'state:/run', 'img'], '', {}],
  ])('%s', async (_what, argv, imageUser, expected) => {
    const { tmpfs } = await tailored(argv, image('/run', imageUser));
    expect(Object.fromEntries(Object.entries(tmpfs).filter(([target]) => target !== '/tmp'))).toEqual(expected);
  });

  it('the preset’s own mount stays the preset’s', async () => {
    const { tmpfs } = await tailored(['img'], image('/tmp'));
    expect(tmpfs['/tmp']).toBe('rw,noexec,nosuid,nodev,size=64m');
  });

  it('nothing under a writable root, nothing without the label', async () => {
    expect(Object.keys((await tailored(['--read-only=false', 'img'], image('/run'))).tmpfs)).toEqual(['/tmp']);
    expect(Object.keys((await tailored(['img'], image(undefined))).tmpfs)).toEqual(['/tmp']);
    expect(Object.keys((await tailored(['img'], image('/run'), 'none')).tmpfs)).toEqual([]);
    // Your --read-only under the pass-through preset: the image is read, and its folders tailored.
    const none = await tailored(['--read-only', 'img'], image('/run'), 'none');
    expect(none.tmpfs).toEqual({ '/run': 'uid=0,gid=0' });
    expect(
      needsImageFacts(await resolvePreset('none'), convertUserFlags(parseRunArgv(['--read-only', 'img']), ctx).user),
    ).toBe(true);
  });

  it.each([
    ['run', 'it is not an absolute, plain path'],
    ['/var/../etc', 'it is not an absolute, plain path'],
    ['/run/', 'it is not an absolute, plain path'],
    ['/etc', 'it is a system folder a tmpfs would hide'],
    ['/usr', 'it is a system folder a tmpfs would hide'],
    ['/', 'it is a system folder a tmpfs would hide'],
    ['/proc/sys', 'it is under /proc, /sys or /dev'],
    ['/dev/shm', 'it is under /proc, /sys or /dev'],
  ])('%s is refused: %s', async (path, why) => {
    const { runPlan, tmpfs } = await tailored(['img'], image(path));
    expect(Object.keys(tmpfs)).toEqual(['/tmp']);
    expect(runPlan.notes).toContain(
      `the image's label io.safedock.tmpfs names ${JSON.stringify(path)}: ignored, ${why}`,
    );
  });

  it('takes at most 16 folders', async () => {
    const paths = Array.from({ length: 20 }, (_, i) => `/run/p${String(i)}`);
    const { runPlan, tmpfs } = await tailored(['img'], image(paths.join(',')));
    expect(Object.keys(tmpfs)).toHaveLength(17);
    expect(runPlan.notes).toContain(
      "the image's label io.safedock.tmpfs names 20 folders; only the first 16 are taken",
    );
  });
});
