import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE, TEST_LABEL, TEST_LABEL_ARGS, dockerJson, imageId, runCli, runDocker } from '../helpers/engine.js';

const PROBE =
  "grep -E '^(CapEff|NoNewPrivs):' /proc/self/status; echo uid=$(id -u); echo memory=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)";

let project: string;
let nested: string;
let config: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'safedock-project-'));
  nested = join(project, 'src', 'deep');
  config = mkdtempSync(join(tmpdir(), 'safedock-xdg-'));
  mkdirSync(nested, { recursive: true });
  mkdirSync(join(project, '.safedock', 'presets'), { recursive: true });
  writeFileSync(join(project, '.safedock.yaml'), 'preset: web\n');
  writeFileSync(
    join(project, '.safedock', 'presets', 'web.yaml'),
    [
      'name: web',
      'summary: strict, with less memory and uid 4242',
      'extends: strict',
      'settings:',
      '  memory:',
      '    value: 128m',
      '    reason: the web tier is small',
      'image:',
      '  nonRootUser:',
      '    value: "4242:4242"',
      '',
    ].join('\n'),
  );
});

afterAll(() => {
  rmSync(project, { recursive: true, force: true });
  rmSync(config, { recursive: true, force: true });
});

describe('a hand-written project preset that extends strict', () => {
  it('is the default for runs anywhere below the project folder', async () => {
    const r = await runCli(['run', '--rm', ...TEST_LABEL_ARGS, TEST_IMAGE, 'sh', '-c', PROBE], {
      cwd: nested,
      env: { XDG_CONFIG_HOME: config },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('uid=4242');
    expect(r.stdout).toContain(`memory=${128 * 1024 * 1024}`);
    expect(r.stdout).toMatch(/CapEff:\s+0000000000000000/);
    expect(r.stdout).toMatch(/NoNewPrivs:\s+1/);
  });

  it('shows up in presets list with its source, and explain credits its file', async () => {
    const list = await runCli(['presets', 'list'], { cwd: nested, env: { XDG_CONFIG_HOME: config } });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/web\s.*project/);
    const explain = await runCli(['explain', TEST_IMAGE], { cwd: nested, env: { XDG_CONFIG_HOME: config } });
    expect(explain.code, explain.stderr).toBe(0);
    expect(explain.stdout).toMatch(/--memory 128m\s+preset web: settings\.memory\n\s+the web tier is small\n/);
    expect(explain.stdout).toMatch(/with preset web from\s+\S*web\.yaml/);
    expect(explain.stdout).toMatch(/--cap-drop ALL\s+preset web/);
    // Wrapped to 80 columns: a long path goes to a line of its own.
    expect(explain.stdout.replace(/\s+/g, ' ')).toContain(
      `(preset chosen by the project config ${join(project, '.safedock.yaml')})`,
    );
  });

  it('presets show refuses a value run would refuse, naming the file, the line and the key, as run does', async () => {
    const file = join(project, '.safedock', 'presets', 'lots.yaml');
    writeFileSync(file, 'name: lots\nextends: strict\nsettings:\n  cpus: { value: "1" }\n  memory: { value: lots }\n');
    try {
      const show = await runCli(['presets', 'show', 'lots'], { cwd: nested, env: { XDG_CONFIG_HOME: config } });
      const run = await runCli(['run', '--rm', '--preset', 'lots', TEST_IMAGE, 'true'], {
        cwd: nested,
        env: { XDG_CONFIG_HOME: config },
      });
      expect(show.stdout).toBe('');
      expect(show.code).toBe(125);
      expect(show.stderr).toMatch(
        new RegExp(`^safedock: preset ${file}:5: settings\\.memory: invalid argument "lots"`),
      );
      expect(show.stderr.split('\n')[0]).toBe(run.stderr.split('\n')[0]);
      expect(run.code).toBe(125);
    } finally {
      rmSync(file);
    }
  });

  it('--preset on the command line still wins over the project default', async () => {
    const r = await runCli(
      ['run', '--rm', '--preset', 'none', '--policy', 'warn', ...TEST_LABEL_ARGS, TEST_IMAGE, 'id', '-u'],
      { cwd: nested, env: { XDG_CONFIG_HOME: config } },
    );
    expect(r.stdout).toBe('0\n');
  });
});

describe('safedock explain', () => {
  it('lists each setting with its source and what the flags loosened, and creates nothing', async () => {
    const r = await runCli([
      'explain',
      '--memory',
      '2g',
      '--security-opt',
      'no-new-privileges=false',
      '-p',
      '8080:80',
      ...TEST_LABEL_ARGS,
      TEST_IMAGE,
      'true',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/--cap-drop ALL\s+preset strict: settings\.cap-drop/);
    expect(r.stdout).toMatch(/--memory 2g\s+your flags/);
    expect(r.stdout).toMatch(/--publish 127\.0\.0\.1:8080:80\s+preset strict: ports\.defaultAddress/);
    expect(r.stdout).toMatch(/--user 65534:65534\s+image tailoring/);
    expect(r.stdout).toMatch(
      /replaced these preset values:\n(.*\n)*\s+--security-opt: no-new-privileges -> no-new-privileges=false/,
    );
    expect(r.stdout).toMatch(/--memory: 512m -> 2g/);
    const left = await dockerJson<unknown[]>(
      `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: [TEST_LABEL] }))}`,
    );
    expect(left).toEqual([]);
  });
});

describe('image VOLUMEs under a read-only root', () => {
  let image: string | undefined;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'safedock-volume-image-'));
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${TEST_IMAGE}\nVOLUME /data\nLABEL ${TEST_LABEL}\n`);
    const tag = `safedock-test-volume:${process.pid}`;
    const built = await runDocker(['build', '-q', '-t', tag, dir], { env: { DOCKER_BUILDKIT: '0' } });
    rmSync(dir, { recursive: true, force: true });
    expect(built.code, built.stderr).toBe(0);
    image = await imageId(tag);
  });
  afterAll(async () => {
    if (image) await runDocker(['image', 'rm', '-f', image]);
  });

  it('are reported, and stay writable as docker makes them', async () => {
    // As the volume's owner (root, without capabilities): the root filesystem refuses the write,
    // the anonymous volume takes it.
    const r = await runCli([
      'run',
      '--rm',
      '-u',
      '0',
      '--accept',
      'SD118',
      '--reason',
      'the test observes root',
      ...TEST_LABEL_ARGS,
      image as string,
      'sh',
      '-c',
      'touch /x 2>/dev/null || echo root-read-only; touch /data/x && echo data-writable',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('root-read-only\ndata-writable\n');
    expect(r.stderr).toContain(
      'safedock: VOLUME /data of the image stays writable despite --read-only (an anonymous volume); --tmpfs /data keeps it in memory\n',
    );
  });

  it('are not reported when the run mounts something there', async () => {
    const r = await runCli(['run', '--rm', '--tmpfs', '/data', ...TEST_LABEL_ARGS, image as string, 'true']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/VOLUME/);
  });
});
