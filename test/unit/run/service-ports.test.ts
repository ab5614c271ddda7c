import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRunArgv } from '../../../src/docker-cli/parse-argv.js';
import { SafedockError } from '../../../src/errors.js';
import { describeSource, originOf } from '../../../src/model/provenance.js';
import { plan, prepare } from '../../../src/run/pipeline.js';
import { scratch } from '../presets/helpers.js';

async function planned(cwd: string, env: NodeJS.ProcessEnv, argv: string[]) {
  const prepared = await prepare(parseRunArgv(argv), { cwd, env, mayAsk: false });
  return plan(prepared, undefined, { cwd, env });
}

describe('safedock run --service NAME', () => {
  it("publishes that service's ports, bound to the preset's address unless they name one, credited to the service", async () => {
    const s = scratch();
    const config = s.write(
      'app/.safedock.yaml',
      'preset: strict\nservices:\n  web:\n    ports: ["8080:80", "0.0.0.0:8443:443"]\n',
    );
    const cwd = join(s.root, 'app');
    const run = await planned(cwd, s.env, ['--service', 'web', '-p', '9000:9000', 'img']);
    expect(run.spec.ports.map((p) => `${p.hostIp}:${p.hostPort}->${p.port}`)).toEqual([
      '127.0.0.1:8080->80/tcp',
      '0.0.0.0:8443->443/tcp',
      '127.0.0.1:9000->9000/tcp',
    ]);
    const origin = originOf(run.provenance, 'ports', '443/tcp');
    expect(origin === undefined ? '' : describeSource(origin.source)).toBe(`service web (${config}: services.web)`);
  });

  it('without --service, a run in the folder publishes none of them', async () => {
    const s = scratch();
    s.write('app/.safedock.yaml', 'preset: strict\nservices:\n  web:\n    ports: ["8080:80"]\n');
    const run = await planned(join(s.root, 'app'), s.env, ['img']);
    expect(run.spec.ports).toEqual([]);
  });

  it('an unknown service names the file and the closest service', async () => {
    const s = scratch();
    const config = s.write('app/.safedock.yaml', 'preset: strict\nservices:\n  web: { ports: ["80"] }\n  api: {}\n');
    const err = await planned(join(s.root, 'app'), s.env, ['--service', 'wbe', 'img']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SafedockError);
    expect((err as SafedockError).message).toBe(`no service "wbe" in ${config}`);
    expect((err as SafedockError).hint).toBe('Did you mean web? The services are: web, api.');
    expect((err as SafedockError).exitCode).toBe(125);
  });

  it('without a project config, says so', async () => {
    const s = scratch();
    const err = await planned(s.root, s.env, ['--service', 'web', 'img']).catch((e: unknown) => e);
    expect((err as SafedockError).message).toBe(
      '--service web names a service of the project config, but there is no .safedock.yaml here or above',
    );
  });
});
