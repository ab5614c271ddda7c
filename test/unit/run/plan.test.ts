import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../../src/presets/builtin.js';
import { describe, expect, it } from 'vitest';
import { parseRunArgv } from '../../../src/docker-cli/parse-argv.js';
import { resolvePreset } from '../../../src/presets/builtin.js';
import { convertUserFlags, finalize, needsImageFacts as needsImage, plan } from '../../../src/run/pipeline.js';
import { maskEnv, planSettings, planToJson, planToText } from '../../../src/run/render-plan.js';
import type { ParsedRun } from '../../../src/docker-cli/parsed-run.js';
import type { ImageFacts } from '../../../src/engine/engine.js';
import type { Preset } from '../../../src/presets/types.js';
import { renderRunHelp } from '../../../src/docker-cli/run-help.js';
import { RUN_FLAGS } from '../../../src/docker-cli/run-flags.js';

const ctx = { env: { HOME: '/root', TOKEN: 'from-env-secret' }, cwd: '/work', apiVersion: '1.41' };
const rootImage = { id: 'sha256:1', user: '', volumes: [], exposedPorts: [] };

/** The pipeline's plan and the request finalize makes of it, with the settings a plan lists. */
function planRun(parsed: ParsedRun, preset: Preset, image: ImageFacts | undefined, c: typeof ctx) {
  const { user, secrets } = convertUserFlags(parsed, c);
  const planned = plan({ parsed, user, secrets, preset }, image, c);
  const { request } = finalize(planned, undefined, { apiVersion: c.apiVersion });
  const options = planSettings(planned).map((o) => ({ name: o.flag, value: o.text, source: o.source }));
  return { ...planned, request, options };
}
const needsImageFacts = (preset: Preset, parsed: ParsedRun): boolean =>
  needsImage(preset, convertUserFlags(parsed, ctx).user);

describe('planRun', () => {
  it('turns the strict preset and the flags into one create body', async () => {
    const plan = planRun(
      parseRunArgv(['--rm', '-p', '8080:80', 'img', 'true']),
      await resolvePreset('strict'),
      rootImage,
      ctx,
    );
    const hc = plan.request.body.HostConfig;
    expect(hc.CapDrop).toEqual(['ALL']);
    expect(hc.ReadonlyRootfs).toBe(true);
    // safedock's profile, read from seccomp/ next to presets/ and sent inline and compacted.
    const profile = JSON.stringify(JSON.parse(readFileSync(join(packageRoot, 'seccomp', 'strict.json'), 'utf8')));
    expect(hc.SecurityOpt).toEqual(['no-new-privileges', `seccomp=${profile}`]);
    expect(hc.PortBindings).toEqual({ '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] });
    expect(hc.Memory).toBe(512 * 1024 * 1024);
    expect(hc.NanoCpus).toBe(1e9);
    expect(hc.PidsLimit).toBe(256);
    expect(hc.Tmpfs).toEqual({ '/tmp': 'rw,noexec,nosuid,nodev,size=64m' });
    expect(hc.AutoRemove).toBe(true);
    expect(plan.request.body.User).toBe('65534:65534');
    expect(plan.request.body.Cmd).toEqual(['true']);
  });

  it('with none, the body is the one docker would send', async () => {
    const argv = ['-e', 'A=1', 'img'];
    const plan = planRun(parseRunArgv(argv), await resolvePreset('none'), undefined, ctx);
    expect(plan.request.body.HostConfig.CapDrop).toBeNull();
    expect(plan.request.body.User).toBe('');
    expect(plan.options.every((o) => o.source.kind === 'user')).toBe(true);
  });

  it('needs the image when it may replace a root user or report VOLUMEs under a read-only root', async () => {
    const strict = await resolvePreset('strict');
    expect(needsImageFacts(strict, parseRunArgv(['img']))).toBe(true);
    expect(needsImageFacts(strict, parseRunArgv(['-u', '1000', 'img']))).toBe(true);
    expect(needsImageFacts(await resolvePreset('compat'), parseRunArgv(['img']))).toBe(true);
    // The image's user decides whether the run is root (policy rule SD118), whatever the preset.
    expect(needsImageFacts(await resolvePreset('none'), parseRunArgv(['img']))).toBe(true);
    expect(needsImageFacts(await resolvePreset('none'), parseRunArgv(['-u', '', 'img']))).toBe(true);
    expect(needsImageFacts(await resolvePreset('none'), parseRunArgv(['-u', '1000', 'img']))).toBe(false);
  });
});

describe('the printed plan never shows env values', () => {
  it.each([[['-e', 'TOKEN=s3cr3t', 'img']], [['-e', 'TOKEN', 'img']], [['--env=TOKEN=s3cr3t', 'img']]])(
    '%j',
    async (argv) => {
      const plan = planRun(parseRunArgv(argv), await resolvePreset('strict'), rootImage, ctx);
      const text = planToText(plan, plan.request, '1.41');
      const json = JSON.stringify(planToJson(plan, plan.request, '1.41'));
      for (const out of [text, json]) {
        expect(out).not.toContain('s3cr3t');
        expect(out).not.toContain('from-env-secret');
        expect(out).toContain('TOKEN=********');
      }
    },
  );

  it('maskEnv keeps names and bare entries', () => {
    expect(maskEnv(['A=1', 'B=', 'C', 'D=x=y'])).toEqual(['A=********', 'B=********', 'C', 'D=********']);
    expect(maskEnv(null)).toBeNull();
  });
});

describe('run --help', () => {
  it("lists every flag of the table and safedock's own", () => {
    const help = renderRunHelp();
    for (const flag of RUN_FLAGS) {
      if (flag.hidden) expect(help).not.toContain(`--${flag.name} `);
      else expect(help).toContain(`--${flag.name}`);
    }
    for (const own of ['--preset', '--dry-run', '--json']) expect(help).toContain(own);
    expect(help).toMatch(/Examples:/);
  });
});

describe('a seccomp profile named by a preset is validated before use', () => {
  it.each([
    ['{}', /seccomp/],
    ['{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["ptrace"],"action":"SCMP_ACT_ERRNO"}]}', /default/i],
    ['{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["ptrase"],"action":"SCMP_ACT_ALLOW"}]}', /ptrace/],
    ['not json', /cannot be read as JSON/],
  ])('%s is refused, naming the file', async (text, message) => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'safedock-profile-'));
    writeFileSync(join(dir, 'p.json'), text);
    const preset = {
      name: 'mine',
      summary: '',
      file: join(dir, 'mine.yaml'),
      settings: { 'security-opt': { value: ['seccomp=p.json'] } },
    };
    expect(() => planRun(parseRunArgv(['img']), preset, rootImage, ctx)).toThrow(message);
    expect(() => planRun(parseRunArgv(['img']), preset, rootImage, ctx)).toThrow(join(dir, 'p.json'));
  });

  it("a profile given with the user's own --security-opt is sent as docker sends it", async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'safedock-profile-'));
    writeFileSync(join(dir, 'allow.json'), '{"defaultAction":"SCMP_ACT_ALLOW"}');
    const plan = planRun(
      parseRunArgv(['--security-opt', `seccomp=${join(dir, 'allow.json')}`, 'img']),
      await resolvePreset('none'),
      undefined,
      ctx,
    );
    expect(plan.request.body.HostConfig.SecurityOpt).toEqual(['seccomp={"defaultAction":"SCMP_ACT_ALLOW"}']);
  });
});

describe('preset env values are masked too', () => {
  it('in the list of replaced preset values, text and JSON', () => {
    const preset = {
      name: 'p',
      summary: '',
      file: '/x/p.yaml',
      settings: { env: { value: ['API_TOKEN=supersecret'] } },
    };
    const plan = planRun(parseRunArgv(['-e', 'API_TOKEN=mine', 'img']), preset, rootImage, ctx);
    const text = planToText(plan, plan.request, '1.41');
    const json = JSON.stringify(planToJson(plan, plan.request, '1.41'));
    for (const out of [text, json]) {
      expect(out).not.toContain('supersecret');
      expect(out).not.toContain('=mine');
    }
    expect(text).toContain('--env: API_TOKEN=******** -> API_TOKEN=********');
  });
});
