import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { InitAnswers } from '../../../src/init/answers.js';
import { planInit } from '../../../src/init/plan-init.js';
import { initDone } from '../../../src/init/render-init.js';
import { initSummary } from '../../../src/init/render-init.js';
import { scratch } from '../presets/helpers.js';

const answers = (more: Partial<InitAnswers> = {}): InitAnswers => ({
  network: true,
  ports: [],
  address: '127.0.0.1',
  startsAsRoot: false,
  writable: [],
  user: undefined,
  memory: undefined,
  cpus: undefined,
  base: undefined,
  name: 'web',
  ...more,
});

describe('planInit', () => {
  it('a networked service with ports and a cache: a project preset over strict, the config naming it and the ports in a service', async () => {
    const s = scratch();
    const cwd = join(s.root, 'app');
    const plan = await planInit(
      answers({ ports: ['8080:80'], writable: [{ path: '/var/cache/app', kind: 'tmpfs' }], memory: '1g' }),
      { cwd, env: s.env },
    );
    expect(plan.base.name).toBe('strict');
    expect(plan.proposedBecause).toBe('the default for a networked service that runs as a non-root user');
    expect(plan.preset?.file).toBe(join(cwd, '.safedock/presets/web.yaml'));
    expect(plan.preset?.exists).toBe(false);
    const doc = parse(plan.preset?.text ?? '') as Record<string, unknown>;
    expect(doc).toMatchObject({
      name: 'web',
      extends: 'strict',
      settings: { memory: { value: '1g' } },
    });
    // Ports never go into the preset: every run in the folder would publish them.
    expect(doc).not.toHaveProperty('settings.publish');
    expect(plan.preset?.text).toMatch(/^# Project preset written by safedock init/);
    expect(plan.config).toMatchObject({ file: join(cwd, '.safedock.yaml'), exists: false });
    expect(parse(plan.config.text)).toEqual({ preset: 'web', services: { web: { ports: ['127.0.0.1:8080:80'] } } });
    expect(plan.service).toEqual({ name: 'web', ports: ['127.0.0.1:8080:80'] });
    expect(plan.effective.name).toBe('web');
    const args = plan.args.join(' ');
    expect(args).toContain('--cap-drop ALL');
    expect(args).toContain('--read-only');
    expect(args).toContain(
      '--tmpfs /tmp:rw,noexec,nosuid,nodev,size=64m --tmpfs /var/cache/app:rw,noexec,nosuid,nodev,size=64m',
    );
    expect(args).toContain('--memory 1g');
    expect(args).not.toContain('--publish');
    expect(args).toMatch(/--user 65534:65534$/);
    expect(plan.findings).toEqual([]);
    const summary = initSummary(plan);
    expect(summary).toContain(`safedock init in ${cwd}`);
    expect(summary).toContain('project preset  .safedock/presets/web.yaml (new): web, extends strict, adding');
    expect(summary).toContain('project config  .safedock.yaml (new): preset: web');
    expect(summary).toContain('service         web in .safedock.yaml: ports 127.0.0.1:8080:80');
    expect(summary).toContain('published only by `safedock run --service web …`, never by every run here');
    expect(initDone(plan)).toContain('`safedock run --service web IMAGE` also publishes 127.0.0.1:8080:80.');
  });

  it('no network and nothing else: sandbox alone, no project preset', async () => {
    const s = scratch();
    const plan = await planInit(answers({ network: false }), { cwd: s.root, env: s.env });
    expect(plan.base.name).toBe('sandbox');
    expect(plan.preset).toBeUndefined();
    expect(parse(plan.config.text)).toEqual({ preset: 'sandbox' });
    expect(plan.args).toContain('--network');
  });

  it("--preset sandbox without a network answer keeps sandbox's --network none", async () => {
    const s = scratch();
    const plan = await planInit(
      answers({ base: 'sandbox', network: undefined, writable: [{ path: '/work', kind: 'tmpfs' }] }),
      { cwd: s.root, env: s.env },
    );
    expect(plan.preset?.doc.settings.network).toBeUndefined();
    expect(plan.effective.settings.network?.value).toBe('none');
    expect(plan.proposedBecause).toBeUndefined();
  });

  it('software that starts as root builds on compat; its accepted findings stay accepted', async () => {
    const s = scratch();
    const plan = await planInit(answers({ startsAsRoot: true, ports: ['80:80'], address: '0.0.0.0' }), {
      cwd: s.root,
      env: s.env,
    });
    expect(plan.base.name).toBe('compat');
    expect(plan.service?.ports).toEqual(['0.0.0.0:80:80']);
    expect(plan.findings.map((f) => f.rule)).not.toContain('SD118');
    // The service's ports are judged with the preset: every interface is a finding.
    expect(plan.findings.map((f) => f.rule)).toContain('SD125');
  });

  it('marks files that exist, and names an outer project and SAFEDOCK_PRESET', async () => {
    const s = scratch();
    s.write('outer/.safedock.yaml', 'preset: strict\n');
    s.write('outer/app/.safedock.yaml', 'preset: strict\n');
    s.write('outer/app/.safedock/presets/web.yaml', 'name: web\nsettings: {}\n');
    const cwd = join(s.root, 'outer/app');
    const plan = await planInit(answers({ memory: '2g' }), { cwd, env: { ...s.env, SAFEDOCK_PRESET: 'none' } });
    expect(plan.preset?.exists).toBe(true);
    expect(plan.config.exists).toBe(true);
    expect(plan.notes).toContain(
      'SAFEDOCK_PRESET=none is set in this shell and wins over the project config; unset it to use web.',
    );
    const nested = await planInit(answers(), { cwd: join(s.root, 'outer/sub'), env: s.env });
    expect(nested.notes[0]).toBe(
      `${join(s.root, 'outer/sub')} is inside the project ${join(s.root, 'outer')}; runs here will follow the new .safedock.yaml instead of ${join(s.root, 'outer/.safedock.yaml')}.`,
    );
  });

  it('refuses a name that hides another built-in, and an unknown base', async () => {
    const s = scratch();
    await expect(planInit(answers({ name: 'sandbox', memory: '1g' }), { cwd: s.root, env: s.env })).rejects.toThrow(
      /invalid project preset name: "sandbox" is a built-in preset/,
    );
    await expect(planInit(answers({ base: 'nope' }), { cwd: s.root, env: s.env })).rejects.toThrow(
      /unknown preset "nope"/,
    );
    const tightened = await planInit(answers({ name: 'strict', memory: '256m' }), { cwd: s.root, env: s.env });
    expect(tightened.preset?.doc.extends).toBe('strict');
    expect(tightened.effective.settings.memory?.value).toBe('256m');
  });
});
