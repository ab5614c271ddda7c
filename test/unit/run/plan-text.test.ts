import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRunArgv } from '../../../src/docker-cli/parse-argv.js';
import type { ImageFacts } from '../../../src/engine/engine.js';
import { judgePlan } from '../../../src/policy/judge.js';
import { packageRoot, resolvePreset } from '../../../src/presets/builtin.js';
import { convertUserFlags, finalize, plan } from '../../../src/run/pipeline.js';
import { planToText } from '../../../src/run/render-plan.js';

/**
 * --dry-run and explain at 80 columns, against golden files (test/fixtures/golden). The seccomp
 * profile's digest and rule count change with the profile, so they are checked apart and left
 * out of the comparison. UPDATE_GOLDEN=1 rewrites the files after a deliberate change of layout.
 */
const GOLDEN = join(packageRoot, 'test', 'fixtures', 'golden');
const ctx = { env: { HOME: '/root' }, cwd: '/work', apiVersion: '1.41' };
const rootImage: ImageFacts = { id: 'sha256:1', user: '', volumes: [], exposedPorts: ['80/tcp'] };

async function render(view: 'plan' | 'explain', presetName: string, argv: string[], verbose = false): Promise<string> {
  const parsed = parseRunArgv(argv);
  const { user, secrets } = convertUserFlags(parsed, ctx);
  const preset = { ...(await resolvePreset(presetName)), chosenBy: '--preset' };
  const planned = plan({ parsed, user, secrets, preset }, rootImage, ctx);
  const decision = judgePlan(planned, { mode: 'enforce', flagAccepts: [], project: undefined, ...ctx });
  const { request } = finalize(planned, undefined, { apiVersion: ctx.apiVersion });
  return planToText(planned, request, ctx.apiVersion, view, decision, { columns: 80, verbose });
}

const VOLATILE = /sha256:[0-9a-f]{12}, \d+ syscall rules/g;

function expectGolden(name: string, text: string): void {
  const file = join(GOLDEN, name);
  const stable = text.replace(VOLATILE, 'sha256:DIGEST, N syscall rules');
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, stable);
  expect(stable).toBe(readFileSync(file, 'utf8'));
}

const longest = (text: string): number => Math.max(...text.split('\n').map((l) => l.length));

describe('plans at 80 columns', () => {
  it('--dry-run under strict: settings, notes, findings and the request, its profile summarised', async () => {
    const text = await render('plan', 'strict', ['-p', '8080:80', '-e', 'TOKEN=s3cr3t', 'web', 'serve']);
    expectGolden('dry-run-strict.txt', text);
    expect(longest(text)).toBeLessThanOrEqual(80);
    expect(text).not.toContain('s3cr3t');
    // The profile sent is named, with its digest and its number of rules, not its body.
    const profile = JSON.stringify(JSON.parse(readFileSync(join(packageRoot, 'seccomp', 'strict.json'), 'utf8')));
    const rules = (JSON.parse(profile) as { syscalls: unknown[] }).syscalls.length;
    const digest = createHash('sha256').update(profile).digest('hex').slice(0, 12);
    expect(text).toContain(`"seccomp=<strict.json: sha256:${digest}, ${rules} syscall rules>"`);
    expect(text).not.toContain('SCMP_ACT');
  });

  it('explain under compat: each reason once under its values, findings, what the preset accepted', async () => {
    const text = await render('explain', 'compat', ['-v', '/etc:/x', 'web']);
    expectGolden('explain-compat.txt', text);
    expect(longest(text)).toBeLessThanOrEqual(80);
  });

  it('explain with flags that replace preset values', async () => {
    const text = await render('explain', 'strict', [
      '--memory',
      '2g',
      '--security-opt',
      'no-new-privileges=false',
      '-u',
      '1000',
      'web',
    ]);
    expectGolden('explain-overrides.txt', text);
    expect(longest(text)).toBeLessThanOrEqual(80);
  });

  it('a narrower terminal gets a narrower plan', async () => {
    const text = await render('explain', 'sandbox', ['web']);
    const parsed = parseRunArgv(['web']);
    const { user, secrets } = convertUserFlags(parsed, ctx);
    const preset = await resolvePreset('sandbox');
    const planned = plan({ parsed, user, secrets, preset }, rootImage, ctx);
    const { request } = finalize(planned, undefined, { apiVersion: ctx.apiVersion });
    const narrow = planToText(planned, request, '1.41', 'explain', undefined, { columns: 60 });
    expect(longest(narrow)).toBeLessThanOrEqual(60);
    expect(longest(text)).toBeGreaterThan(60);
  });

  it('--verbose: the whole body, the seccomp profile and fields at their defaults included', async () => {
    const text = await render('plan', 'strict', ['web'], true);
    expect(text).toContain('SCMP_ACT_ERRNO');
    expect(text).toContain('"Privileged": false');
    expect(text).not.toContain('--verbose shows');
  });
});
