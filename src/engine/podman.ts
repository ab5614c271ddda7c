import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CreateBody } from '../api/create-body.js';
import { SafedockError } from '../errors.js';
import { sha256Hex } from '../hash.js';
import type { EngineFacts } from './engine-api.js';

/**
 * The create body as Podman's Docker-compatible API needs it. Podman 4 reads the value of
 * `seccomp=` in SecurityOpt as a file name on its own host, where docker takes the profile's JSON:
 * sent as is, the create fails and Podman's error repeats the whole profile. So an inline profile
 * is written once to a file named after its SHA-256 (in the user's runtime or cache folder) and
 * the option names that file. A remote Podman cannot read a file written here: that run is refused
 * rather than started without the profile.
 */
export function podmanCreateBody(body: CreateBody, facts: EngineFacts, env: NodeJS.ProcessEnv): CreateBody {
  return readOnlyAsDocker(profilesAsFiles(body, facts, env));
}

/**
 * Podman's compatible API mounts writable tmpfs on /tmp, /var/tmp and /run of a --read-only
 * container (hard-wired in Podman 4), where docker leaves them read-only: a place to write and
 * run files that the read-only root is there to prevent. Each of them that no mount of the run
 * covers gets a read-only tmpfs instead, so that it stays unwritable, as with docker.
 */
function readOnlyAsDocker(body: CreateBody): CreateBody {
  const host = body.HostConfig;
  if (!host.ReadonlyRootfs) return body;
  const covered = new Set<string>(
    [
      ...Object.keys(host.Tmpfs ?? {}),
      ...(host.Mounts ?? []).map((m) => m.Target),
      ...(host.Binds ?? []).map((b) => b.split(':')[1] ?? ''),
      ...Object.keys(body.Volumes),
    ].map((path) => path.replace(/\/+$/, '')),
  );
  const added = PODMAN_READ_ONLY_TMPFS.filter((path) => !covered.has(path));
  if (added.length === 0) return body;
  const tmpfs = { ...(host.Tmpfs ?? {}) };
  for (const path of added) tmpfs[path] = 'ro,nosuid,nodev,noexec';
  return { ...body, HostConfig: { ...host, Tmpfs: tmpfs } };
}

/** The writable tmpfs Podman adds to a read-only container. */
const PODMAN_READ_ONLY_TMPFS = ['/tmp', '/var/tmp', '/run'];

function profilesAsFiles(body: CreateBody, facts: EngineFacts, env: NodeJS.ProcessEnv): CreateBody {
  const options = body.HostConfig.SecurityOpt;
  if (options === null || !options.some(isInlineProfile)) return body;
  if (facts.socketPath === undefined) {
    throw new SafedockError(
      'the engine is Podman on another machine: it reads a seccomp profile only from a file on its own host, so it cannot be given the profile from here',
      {
        code: 'podman-remote-seccomp',
        hint: 'Run against a Podman on this machine (its unix socket), or a Docker engine; safedock does not start the container without its seccomp profile.',
      },
    );
  }
  const rewritten = options.map((option) => {
    if (!isInlineProfile(option)) return option;
    return `seccomp=${profileFile(option.slice(option.indexOf('=') + 1), env)}`;
  });
  return { ...body, HostConfig: { ...body.HostConfig, SecurityOpt: rewritten } };
}

function isInlineProfile(option: string): boolean {
  return /^seccomp[=:]\s*\{/.test(option);
}

/** The folder for profile files: per user, never shared with other users. */
export function profileDir(env: NodeJS.ProcessEnv): string {
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime !== undefined && runtime.startsWith('/')) return join(runtime, 'safedock', 'seccomp');
  const cache = env.XDG_CACHE_HOME;
  const base = cache !== undefined && cache.startsWith('/') ? cache : join(env.HOME ?? homedir(), '.cache');
  return join(base, 'safedock', 'seccomp');
}

/**
 * Writes the profile to `<dir>/<sha256>.json` unless a file with exactly that content is there,
 * and returns its path. Written under a temporary name and renamed, so Podman never reads half a file.
 */
function profileFile(profile: string, env: NodeJS.ProcessEnv): string {
  const digest = sha256Hex(profile);
  const dir = profileDir(env);
  const file = join(dir, `${digest}.json`);
  try {
    if (readFileSync(file, 'utf8') === profile) return file;
  } catch {
    // Not written yet (or unreadable): write it below.
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${String(process.pid)}.tmp`;
    writeFileSync(temporary, profile, { mode: 0o644 });
    renameSync(temporary, file);
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    throw new SafedockError(`cannot write the seccomp profile for Podman to ${file} (${reason})`, {
      code: 'podman-seccomp-file',
      cause,
      hint: 'Podman reads the profile from a file: make that folder writable (or set XDG_RUNTIME_DIR to one that is).',
    });
  }
  return file;
}
