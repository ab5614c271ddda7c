import { describe, expect, it } from 'vitest';
import { parseRunArgv } from '../../../src/docker-cli/parse-argv.js';
import { planAspects, previewText } from '../../../src/pick/preview-text.js';
import { decide } from '../../../src/policy/decide.js';
import { resolvePreset } from '../../../src/presets/builtin.js';
import { convertUserFlags, plan } from '../../../src/run/pipeline.js';
import type { ParsedRun } from '../../../src/docker-cli/parsed-run.js';
import type { ImageFacts } from '../../../src/engine/engine.js';
import type { Preset } from '../../../src/presets/types.js';

const ctx = { env: { HOME: '/root' }, cwd: '/work', apiVersion: '1.41' };
const rootImage = { id: 'sha256:1', user: '', volumes: [], exposedPorts: [] };
const appImage = { id: 'sha256:2', user: 'app', volumes: [], exposedPorts: [] };

function planRun(parsed: ParsedRun, preset: Preset, image: ImageFacts | undefined, c: typeof ctx) {
  const { user, secrets } = convertUserFlags(parsed, c);
  return plan({ parsed, user, secrets, preset }, image, c);
}

async function aspects(
  preset: string,
  argv: string[],
  image: typeof rootImage | null = rootImage,
): Promise<Record<string, string>> {
  const plan = planRun(parseRunArgv([...argv, 'img']), await resolvePreset(preset), image ?? undefined, ctx);
  return Object.fromEntries(planAspects(plan).map((a) => [a.label, `${a.value} [${a.from}]`]));
}

describe('the preview of a preset for one run', () => {
  it("compat: six capabilities back, writable root, the image's own user", async () => {
    expect(await aspects('compat', ['-p', '80'], appImage)).toEqual({
      user: "app (the image's own) [the image]",
      capabilities: 'only CHOWN, DAC_OVERRIDE, FOWNER, NET_BIND_SERVICE, SETGID, SETUID [preset compat]',
      'new privileges': 'blocked (no-new-privileges) [preset compat]',
      seccomp: 'profile strict.json [preset compat]',
      'root filesystem': 'writable [preset compat]',
      limits: 'memory 1g, cpus 2, pids 512 [preset compat]',
      network: 'the default bridge (reaches other hosts) [docker default]',
      ports: '127.0.0.1:(random) -> 80/tcp [preset compat]',
    });
  });

  it('your flags show where they loosen the preset', async () => {
    const a = await aspects('strict', [
      '--privileged',
      '--network',
      'host',
      '-P',
      '-v',
      '/srv:/srv',
      '-u',
      '0',
      '--memory',
      '2g',
    ]);
    expect(a.user).toBe('0 [your flags]');
    expect(a.capabilities).toBe('every capability and every device (--privileged) [preset strict, your flags]');
    expect(a.seccomp).toBe('off (--privileged) [preset strict, your flags]');
    expect(a['root filesystem']).toBe('read-only; tmpfs /tmp; mounts /srv [preset strict, your flags]');
    expect(a.limits).toBe('memory 2g, cpus 1, pids 256 [preset strict, your flags]');
    expect(a.network).toBe("the host's own (no isolation) [your flags]");
    expect(a.ports).toBe('every exposed port, on all interfaces (-P) [your flags]');
  });

  it("none: docker's defaults, said as such", async () => {
    const a = await aspects('none', ['--security-opt', 'seccomp=unconfined', '--cap-drop', 'NET_RAW'], null);
    expect(a.user).toBe("the image's own (not inspected) [the image]");
    expect(a.capabilities).toBe("docker's default set minus NET_RAW [your flags]");
    expect(a['new privileges']).toBe('allowed (setuid binaries work) [docker default]');
    expect(a.seccomp).toBe('off (unconfined) [your flags]');
    expect(a.limits).toBe('memory unbounded, cpus unbounded, pids unbounded [docker default]');
    expect(a.ports).toBe('none published [-]');
  });

  it('lists findings by rule, most severe first, the fix of those needing consent, cut to the width, then the verdict', async () => {
    const plan = planRun(parseRunArgv(['img']), await resolvePreset('none'), rootImage, ctx);
    const cap = (name: string) =>
      ({
        rule: 'SD112',
        severity: 'medium',
        title: 'capability added',
        detail: `CapAdd has ${name}`,
        fix: 'Remove the --cap-add.',
        origin: 'preset',
        item: name.replace('CAP_', ''),
        key: `SD112:${name.replace('CAP_', '')}`,
      }) as const;
    const decision = decide(
      [
        {
          rule: 'SD132',
          severity: 'info',
          title: 'image not pinned by digest',
          detail: 'img is a tag',
          fix: 'Pin it.',
          origin: 'user',
          item: 'img',
          key: 'SD132:img',
        },
        cap('CAP_CHOWN'),
        cap('CAP_SETUID'),
        {
          rule: 'SD118',
          severity: 'high',
          title: 'runs as root',
          detail: 'the container runs as uid 0',
          fix: 'Pass -u 1000.',
          origin: 'image',
          key: 'SD118',
        },
      ],
      [],
      'ask',
    );
    const text = previewText(plan, decision);
    expect(text.slice(text.indexOf('Findings:'))).toBe(
      [
        'Findings:',
        '  HIGH    SD118  runs as root: the container runs as uid 0 (from the image)',
        '                 fix: Pass -u 1000.',
        '  MEDIUM  SD112  capability added: CapAdd has CAP_CHOWN, and 1 more like it (from the preset)',
        '  info    SD132  image not pinned by digest',
        'Policy ask: the run asks you before it starts',
      ].join('\n'),
    );
    expect(
      previewText(plan, decision, 40)
        .split('\n')
        .every((line) => line.length <= 40 || !/^ {2}(HIGH|MEDIUM|info|accepted)/.test(line)),
    ).toBe(true);
    expect(previewText(plan, decision, 40)).toContain('  HIGH    SD118  runs as root: the cont…\n');
    expect(text.split('\n')[0]).toMatch(/^ {2}user {13}root \(the image's default\) {2}\[the image\]$/);
  });
});
