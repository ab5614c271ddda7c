import { describe, expect, it } from 'vitest';
import { parseRunArgv } from '../../../src/docker-cli/parse-argv.js';
import { resolvePreset } from '../../../src/presets/builtin.js';
import { convertUserFlags, plan } from '../../../src/run/pipeline.js';

const ctx = { env: { HOME: '/root' }, cwd: '/work' };
const rootImage = { id: 'sha256:1', user: '', volumes: [], exposedPorts: [] };

describe("strict's isolated network, by engine", () => {
  it.each([
    ['docker', ['safedock'], 'safedock'],
    ['podman', [], undefined],
  ] as const)('on %s: networks %j', async (engineKind, networks, isolated) => {
    const parsed = parseRunArgv(['img']);
    const { user, secrets } = convertUserFlags(parsed, ctx);
    const p = plan({ parsed, user, secrets, preset: await resolvePreset('strict') }, rootImage, { ...ctx, engineKind });
    // Podman drops the bridge's inter-container option: a network of safedock's own would keep
    // nothing apart, so the run stays on Podman's default network (and SD155 says so).
    expect(p.spec.networks.map((n) => n.target)).toEqual(networks);
    expect(p.isolatedNetwork).toBe(isolated);
  });
});
