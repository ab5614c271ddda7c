/**
 * `safedock diagnose CONTAINER`: the diagnosis of `safedock run` for a container started with -d
 * that has exited: its exit code, the tail of its logs and its settings (inspect), its user resolved
 * in its own /etc/passwd. Wires the engine reads to the pure diagnosis.
 */
import { SafedockError } from '../errors.js';
import { connect } from '../engine/engine.js';
import { processGlobals } from '../engine/global-options.js';
import { selectEngine } from '../engine/select.js';
import { selectPreset } from '../presets/select.js';
import { containerUserIds } from '../learn/container-user.js';
import { diagnose, diagnosisText } from '../learn/diagnose.js';
import { OUTPUT_TAIL } from '../learn/engine-trials.js';
import { containerFacts } from '../learn/run-facts.js';

export interface DiagnoseEnvironment {
  stdout: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export async function diagnoseMain(container: string, { stdout, env, cwd }: DiagnoseEnvironment): Promise<number> {
  const engine = await connect(selectEngine(env, processGlobals()), { env });
  const info = await engine.inspectContainer(container);
  if (info === undefined)
    throw new SafedockError(`no such container: ${container}`, {
      code: 'no-such-container',
      exitCode: 1,
      hint: 'Name a container by its name or id, as docker ps -a lists them.',
    });
  if (info.State?.Running === true)
    throw new SafedockError(`the container ${container} is still running`, {
      code: 'running',
      exitCode: 1,
      hint: 'safedock diagnose reads a container that has exited; stop it first, or read its logs with docker logs.',
    });
  const exitCode = info.State?.ExitCode ?? 0;
  const output = await engine.logs(info.Id, OUTPUT_TAIL, info.Config?.Tty === true);
  const preset = await selectPreset(undefined, { cwd, env }).then(
    (p) => p.name,
    () => 'in use',
  );
  // The defaults of the very image it ran (by id) tell the user's own command from the image's.
  const imageRef = info.Image ?? info.Config?.Image;
  const image = imageRef === undefined ? undefined : await engine.inspectImage(imageRef).catch(() => undefined);
  const d = diagnose(
    exitCode,
    output,
    containerFacts(info, image, {
      cwd,
      engine: { kind: engine.facts.kind, version: engine.engineVersion },
      ids: await containerUserIds(engine, info.Id, info.Config?.User ?? ''),
      preset,
    }),
  );
  if (d === undefined) {
    stdout.write(
      exitCode === 0
        ? `${container} exited 0: nothing to diagnose.\n`
        : `${container} exited ${String(exitCode)}; its last ${String(OUTPUT_TAIL)} lines of output name nothing safedock recognises as the hardening.\n`,
    );
    return 0;
  }
  stdout.write(diagnosisText(d, exitCode));
  return 0;
}
