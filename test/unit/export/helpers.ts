import { parseRunArgv } from '../../../src/docker-cli/parse-argv.js';
import type { ExportContext } from '../../../src/export/export-context.js';
import { planProfile, workloadName } from '../../../src/export/profile.js';
import { judgePlan } from '../../../src/policy/judge.js';
import { resolvePreset } from '../../../src/presets/builtin.js';
import { convertUserFlags, finalSpec, plan } from '../../../src/run/pipeline.js';
import type { RunSpec } from '../../../src/model/run-spec.js';

export const ctx = { env: { HOME: '/root' }, cwd: '/work' };
export const rootImage = { id: 'sha256:1', user: '', volumes: [], exposedPorts: [] };

/** The plan `safedock run ARGV` would run under PRESET, as an export starts from it. */
export async function planned(argv: string[], preset = 'strict'): Promise<{ spec: RunSpec; export: ExportContext }> {
  const parsed = parseRunArgv(argv);
  const { user, secrets } = convertUserFlags(parsed, ctx);
  const p = plan({ parsed, user, secrets, preset: await resolvePreset(preset) }, rootImage, ctx);
  // Judged as an export judges it (warn: the tests look at the documents, not at refusals).
  const decision = judgePlan(p, { mode: 'warn', flagAccepts: [], project: undefined, env: ctx.env, cwd: ctx.cwd });
  const { spec } = finalSpec(p, decision);
  return {
    spec,
    export: {
      name: workloadName(spec),
      preset,
      profile: planProfile(spec),
      toFolder: true,
      kind: 'deployment',
      seccomp: 'localhost',
      user: { uid: 65534, gid: 65534 },
      isolatedNetwork: p.isolatedNetwork,
    },
  };
}
