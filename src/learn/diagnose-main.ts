/**
 * `safedock diagnose CONTAINER`: the diagnosis of `safedock run` for a container started with -d
 * that has exited: its exit code, the tail of its logs and its settings (inspect), its user resolved
 * in its own /etc/passwd. Wires the engine reads to the pure diagnosis.
 */
import { basename } from 'node:path';
import { SafedockError } from '../errors.js';
import { connect, type ContainerInspect, type Engine } from '../engine/engine.js';
import { processGlobals } from '../engine/global-options.js';
import { selectEngine } from '../engine/select.js';
import { selectPreset } from '../presets/select.js';
import { evaluateSyscall, type SeccompProfile } from '../seccomp/index.js';
import { diagnose, diagnosisText } from './diagnose.js';
import { OUTPUT_TAIL } from './engine-trials.js';
import { NO_ACCOUNTS, parseAccounts, resolveUser } from './passwd.js';
import { TarLister } from './tar-entries.js';

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
  const d = diagnose(exitCode, output, {
    preset,
    ids: await userIds(engine, info),
    readOnly: info.HostConfig?.ReadonlyRootfs === true,
    command: [...(info.Config?.Entrypoint ?? []), ...(info.Config?.Cmd ?? [])],
    env: info.Config?.Env ?? [],
    workingDir: info.Config?.WorkingDir ?? '',
    seccompRefuses: seccompOf(info),
    volumeName: (path) => `${slug(basename(cwd))}-${slug(path)}`,
    learnArgs: [info.Config?.Image ?? info.Image ?? container, ...(info.Config?.Cmd ?? [])],
  });
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

/** The container's user as numbers: as given, or looked up in the container's own /etc/passwd. */
async function userIds(engine: Engine, info: ContainerInspect): Promise<{ uid: number; gid: number } | undefined> {
  const user = info.Config?.User ?? '';
  if (/^\d+(:\d+)?$/.test(user) || user === '') return resolveUser(user, NO_ACCOUNTS);
  const read = async (path: string): Promise<string> => {
    const stream = await engine.archive(info.Id, path);
    if (stream === undefined) return '';
    const lister = new TarLister({ keepFirstFile: true });
    for await (const chunk of stream) {
      lister.push(chunk as Buffer);
      if (lister.firstFile !== undefined || lister.done) break;
    }
    stream.destroy();
    return lister.firstFile?.toString('utf8') ?? '';
  };
  return resolveUser(user, parseAccounts(await read('/etc/passwd'), await read('/etc/group')));
}

/** Whether the container's seccomp profile (sent inline at create) refuses a system call. */
function seccompOf(info: ContainerInspect): (syscall: string) => boolean | undefined {
  const opt = (info.HostConfig?.SecurityOpt ?? []).find((o) => /^seccomp[=:]/.test(o));
  const json = opt?.slice('seccomp='.length);
  let profile: SeccompProfile | undefined;
  try {
    profile = json === undefined || json === 'unconfined' ? undefined : (JSON.parse(json) as SeccompProfile);
  } catch {
    profile = undefined;
  }
  return (syscall) => (profile === undefined ? undefined : !evaluateSyscall(profile, syscall).allowed);
}

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
