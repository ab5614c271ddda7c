import { readFile, readlink, realpath } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { EngineReader } from '../../engine/engine-reader.js';
import { fileFacts, filesTwoDeep, groupId } from '../host/file-facts.js';
import { parseUnixListeners } from '../host/proc-net.js';
import { parseProcStatus } from '../host/proc-status.js';
import { processesNamed, readCmdline, socketInodes, tcpListenersOf } from '../host/read-process.js';
import type { DaemonFacts, DaemonFile, DaemonFileRole, DaemonHost, DaemonJson } from './daemon-facts.js';
import { parseDockerdArgs } from './dockerd-flags.js';
import { settingOf } from './settings.js';

/** Where the host's files are; tests point these elsewhere. */
export interface HostPaths {
  proc: string;
  etc: string;
}

const HOST: HostPaths = { proc: '/proc', etc: '/etc' };

/** containerd sockets an engine may use: the system's, and the one dockerd 20.10 starts itself. */
const CONTAINERD_SOCKETS = ['/run/containerd/containerd.sock', '/var/run/docker/containerd/containerd.sock'];
const SYSTEMD_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'];
const UNITS = ['docker.service', 'docker.socket'];

/** The daemon's facts: the API's view always, the host's when the engine is local and visible. */
export async function readDaemonFacts(reader: EngineReader, paths: HostPaths = HOST): Promise<DaemonFacts> {
  const info = await reader.info();
  const manager = info.Swarm?.LocalNodeState === 'active' && info.Swarm.ControlAvailable === true;
  const [bridge, swarm] = await Promise.all([reader.network('bridge'), manager ? reader.swarm() : undefined]);
  const target = reader.target;
  const connection = {
    kind: target.kind,
    display: target.display,
    tls: target.kind === 'tcp' && target.tls !== undefined,
  };
  if (target.kind !== 'unix') {
    return {
      connection,
      info,
      bridge,
      swarm,
      host: {
        unavailable: `the engine at ${target.display} is reached over the network: its command line, daemon.json and files are on another host`,
      },
    };
  }
  let host: DaemonHost | { unavailable: string };
  try {
    host = await readDaemonHost(target.socketPath, paths);
  } catch (err) {
    host = {
      unavailable: err instanceof HostUnavailable ? err.message : `reading the host failed: ${(err as Error).message}`,
    };
  }
  return { connection, info, bridge, swarm, host };
}

class HostUnavailable extends Error {}

/** The engine's process: the dockerd that listens on the socket safedock talks to. */
async function findDaemon(socketPath: string, proc: string): Promise<{ pid: number; inodes: Set<number> | undefined }> {
  const candidates = await processesNamed('dockerd', proc);
  if (candidates.length === 0) {
    throw new HostUnavailable(
      'no dockerd process is visible from here (safedock runs in another PID namespace than the engine, or the engine is not dockerd)',
    );
  }
  const socketReal = await realpath(socketPath).catch(() => socketPath);
  const unixText = await readFile(`${proc}/net/unix`, 'utf8').catch(() => '');
  const bound = new Set<number>();
  for (const l of parseUnixListeners(unixText)) {
    const real = await realpath(l.path).catch(() => l.path);
    if (real === socketReal) bound.add(l.inode);
  }
  let unreadable = 0;
  for (const pid of candidates) {
    let inodes: Set<number>;
    try {
      inodes = await socketInodes(pid, proc);
    } catch {
      unreadable++;
      continue;
    }
    if ([...bound].some((i) => inodes.has(i))) return { pid, inodes };
  }
  // Without the right to read another user's open files, one dockerd can still be told apart.
  const only = candidates[0];
  if (candidates.length === 1 && unreadable === 1 && only !== undefined) return { pid: only, inodes: undefined };
  throw new HostUnavailable(
    unreadable > 0
      ? `cannot tell which dockerd listens on ${socketPath}: reading their open files needs root`
      : `no dockerd visible from here listens on ${socketPath}`,
  );
}

async function readDaemonJson(file: string): Promise<DaemonJson> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { file, state: 'absent' };
    return { file, state: 'unreadable', error: (err as Error).message };
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return { file, state: 'invalid', error: 'expected a JSON object' };
    return { file, state: 'read', settings: value as Record<string, unknown> };
  } catch (err) {
    return { file, state: 'invalid', error: (err as Error).message };
  }
}

/** A process's environment variable, when its environ may be read. */
async function environ(pid: number, proc: string, name: string): Promise<string | undefined> {
  const text = await readFile(`${proc}/${pid}/environ`, 'utf8').catch(() => '');
  const entry = text.split('\0').find((e) => e.startsWith(`${name}=`));
  return entry?.slice(name.length + 1);
}

async function readDaemonHost(socketPath: string, paths: HostPaths): Promise<DaemonHost> {
  const { proc, etc } = paths;
  const { pid, inodes } = await findDaemon(socketPath, proc);
  const [argv, statusText] = await Promise.all([
    readCmdline(pid, proc),
    readFile(`${proc}/${pid}/status`, 'utf8').catch(() => ''),
  ]);
  const uid = parseProcStatus(statusText)?.uids[0] ?? 0;
  const { settings: flags, problems } = parseDockerdArgs(argv);
  const home = (await environ(pid, proc, 'HOME')) ?? (uid === 0 ? '/root' : undefined);

  const relative = async (path: string): Promise<string> => {
    if (isAbsolute(path)) return path;
    const cwd = await readlink(`${proc}/${pid}/cwd`).catch(() => '/');
    return join(cwd, path);
  };
  const configFlag = flags['config-file'];
  let configFile: string;
  if (typeof configFlag === 'string' && configFlag !== '') configFile = await relative(configFlag);
  else if (uid === 0) configFile = join(etc, 'docker', 'daemon.json');
  else {
    const xdg =
      (await environ(pid, proc, 'XDG_CONFIG_HOME')) ?? (home === undefined ? undefined : join(home, '.config'));
    configFile = join(xdg ?? '/nonexistent', 'docker', 'daemon.json');
  }
  const daemonJson = await readDaemonJson(configFile);
  const setting = (key: string) => settingOf(flags, daemonJson, key);

  const listeners = inodes === undefined ? undefined : await tcpListenersOf(pid, inodes, proc);

  const wanted: [DaemonFileRole, string][] = [['engine-socket', socketPath]];
  const containerd = setting('containerd');
  for (const path of typeof containerd === 'string' && containerd !== '' ? [containerd] : CONTAINERD_SOCKETS)
    wanted.push(['containerd-socket', path]);
  if (daemonJson.state !== 'absent') wanted.push(['daemon-json', configFile]);
  if (uid === 0) wanted.push(['etc-docker', join(etc, 'docker')]);
  if (setting('tls') === true || setting('tlsverify') === true) {
    const certDir = home === undefined ? undefined : join(home, '.docker');
    for (const [role, key, name] of [
      ['tls-ca', 'tlscacert', 'ca.pem'],
      ['tls-cert', 'tlscert', 'cert.pem'],
      ['tls-key', 'tlskey', 'key.pem'],
    ] as const) {
      const given = setting(key);
      const path = typeof given === 'string' && given !== '' ? await relative(given) : certDir && join(certDir, name);
      if (path !== undefined) wanted.push([role, path]);
    }
  }
  for (const path of await filesTwoDeep(join(etc, 'docker', 'certs.d'))) wanted.push(['registry-cert', path]);
  for (const dir of SYSTEMD_DIRS) for (const unit of UNITS) wanted.push(['systemd-unit', join(dir, unit)]);
  wanted.push(
    ['service-defaults', join(etc, 'default', 'docker')],
    ['service-defaults', join(etc, 'sysconfig', 'docker')],
  );

  const facts = await Promise.all(wanted.map(([, path]) => fileFacts(path)));
  const files: DaemonFile[] = wanted
    .map(([role], i) => ({ role, facts: facts[i] }))
    .filter((f): f is DaemonFile => f.facts !== undefined && f.facts.state !== 'missing');

  const groupSetting = setting('group');
  const groupName = typeof groupSetting === 'string' && groupSetting !== '' ? groupSetting : 'docker';
  const groupText = await readFile(join(etc, 'group'), 'utf8').catch(() => '');
  const socketGid = /^\d+$/.test(groupName) ? Number(groupName) : groupId(groupText, groupName);

  return { pid, uid, argv, flags, flagProblems: problems, daemonJson, listeners, files, socketGid };
}
