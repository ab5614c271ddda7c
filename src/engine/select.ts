import { join } from 'node:path';
import { goFsError } from '../grammar/go-fs-error.js';
import { goJsonSyntaxError } from '../grammar/go-json-error.js';
import { SafedockError } from '../errors.js';
import { sha256Hex } from '../hash.js';
import { nodeEngineFs, type EngineFs } from './engine-fs.js';
import { initError, wantsDebug, type EngineGlobals } from './global-options.js';
import { parseHost, targetOf, type EngineTarget, type TlsFiles } from './target.js';

/** Why this engine: the first of docker's sources that named one. */
export type EngineSource =
  'context-flag' | 'host-flag' | 'DOCKER_HOST' | 'DOCKER_CONTEXT' | 'current-context' | 'default';

/** The engine a command talks to, and why: the docker CLI's choice for the same inputs. */
export interface EngineSelection {
  /** The docker context in force ("default" when none is). */
  context: string;
  source: EngineSource;
  target: EngineTarget;
  /** The config.json that named the current context, for messages. */
  configFile: string;
  /** Whether -D or --log-level debug asked for docker's debug output. */
  debug: boolean;
  /** Lines docker would print as warnings (a config.json it could not parse). */
  warnings: string[];
}

export const DEFAULT_CONTEXT = 'default';

/**
 * Picks the engine exactly as the docker CLI does: `--context` and `-H` together are refused;
 * then `--context`, `-H`, DOCKER_HOST, DOCKER_CONTEXT, config.json's currentContext (set by
 * `docker context use`), else the default context. The default context's address is -H or
 * DOCKER_HOST with docker's TLS options and variables; a named context's comes from its
 * metadata and TLS files in the context store. Pure: reads only through `fs`.
 */
export function resolveEngine(globals: EngineGlobals, env: NodeJS.ProcessEnv, fs: EngineFs): EngineSelection {
  const hosts = globals.hosts ?? [];
  const contextFlag = globals.context ?? '';
  if (contextFlag !== '' && hosts.length > 0) {
    throw new SafedockError('conflicting options: cannot specify both --host and --context', {
      code: 'engine-endpoint',
      exitCode: 1,
    });
  }
  const home = (): string => nonEmpty(env.HOME) ?? fs.homedir();
  // The variable and the default decide where certificates are looked for; --config does not
  // move them (docker computes that default before it reads its flags).
  const envConfigDir = nonEmpty(env.DOCKER_CONFIG) ?? join(home(), '.docker');
  const configDir = nonEmpty(globals.config) ?? envConfigDir;
  const configFile = join(configDir, 'config.json');
  const warnings: string[] = [];
  const current = currentContext(configFile, fs, warnings);

  let context: string;
  let source: EngineSource;
  if (contextFlag !== '') [context, source] = [contextFlag, 'context-flag'];
  else if (hosts.length > 0) [context, source] = [DEFAULT_CONTEXT, 'host-flag'];
  else if (nonEmpty(env.DOCKER_HOST) !== undefined) [context, source] = [DEFAULT_CONTEXT, 'DOCKER_HOST'];
  else if (nonEmpty(env.DOCKER_CONTEXT) !== undefined) [context, source] = [env.DOCKER_CONTEXT ?? '', 'DOCKER_CONTEXT'];
  else if (current !== undefined) [context, source] = [current, 'current-context'];
  else [context, source] = [DEFAULT_CONTEXT, 'default'];

  const target =
    context === DEFAULT_CONTEXT
      ? defaultTarget(globals, env, fs, nonEmpty(env.DOCKER_CERT_PATH) ?? envConfigDir)
      : contextTarget(context, configDir, fs);
  return { context, source, target, configFile, debug: wantsDebug(globals), warnings };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** config.json's currentContext; a file docker cannot parse is warned about and ignored, as docker does. */
function currentContext(file: string, fs: EngineFs, warnings: string[]): string | undefined {
  const bytes = fs.readFile(file);
  if (bytes === undefined) return undefined;
  const text = bytes.toString('utf8');
  const syntax = text.trim() === '' ? undefined : goJsonSyntaxError(text);
  if (syntax !== undefined) {
    warnings.push(`WARNING: Error parsing config file (${file}): ${syntax}`);
    return undefined;
  }
  if (text.trim() === '') return undefined;
  const config = JSON.parse(text) as unknown;
  if (typeof config !== 'object' || config === null) return undefined;
  const name = (config as { currentContext?: unknown }).currentContext;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** The default context: -H or DOCKER_HOST, with TLS from --tls* or DOCKER_TLS_VERIFY / DOCKER_TLS. */
function defaultTarget(globals: EngineGlobals, env: NodeJS.ProcessEnv, fs: EngineFs, certPath: string): EngineTarget {
  // A variable that is set at all turns TLS on: docker tests for a non-empty value, so even
  // DOCKER_TLS_VERIFY=0 verifies. --tlsverify given at all (even =false) turns TLS on too.
  const verify = globals.tlsVerify ?? nonEmpty(env.DOCKER_TLS_VERIFY) !== undefined;
  const tls = globals.tlsVerify !== undefined || verify || (globals.tls ?? nonEmpty(env.DOCKER_TLS) !== undefined);
  const given = globals.hosts ?? [];
  if (given.length > 1) throw initError('Specify only one -H');
  const host = parseHost(given[0] ?? env.DOCKER_HOST ?? '', tls);
  let files: TlsFiles | undefined;
  if (tls) {
    // The CA is always read; a client certificate or key only when named, or when the default file exists.
    const ca = readRequired(globals.tlsCaCert ?? join(certPath, 'ca.pem'), fs);
    const cert =
      globals.tlsCert === undefined ? fs.readFile(join(certPath, 'cert.pem')) : readRequired(globals.tlsCert, fs);
    const key =
      globals.tlsKey === undefined ? fs.readFile(join(certPath, 'key.pem')) : readRequired(globals.tlsKey, fs);
    files = { ca, cert, key, skipVerify: !verify };
  }
  return targetOf(host, files !== undefined && host.startsWith('tcp://') ? files : undefined);
}

function readRequired(file: string, fs: EngineFs): Buffer {
  const bytes = fs.readFile(file);
  if (bytes === undefined) {
    throw initError(
      goFsError({ code: 'ENOENT' }, file),
      'Put the certificate there, or name it with --tlscacert, --tlscert or --tlskey.',
    );
  }
  return bytes;
}

/** The folder of a context in the store: docker names it by the SHA-256 of the context's name. */
export function contextDirName(name: string): string {
  return sha256Hex(name);
}

interface ContextMeta {
  Name?: unknown;
  Endpoints?: Record<string, { Host?: unknown; SkipTLSVerify?: unknown } | null | undefined> | null;
}

/** A named context: its docker endpoint's host from meta.json, its TLS files from the tls folder. */
function contextTarget(name: string, configDir: string, fs: EngineFs): EngineTarget {
  const hash = contextDirName(name);
  const metaFile = join(configDir, 'contexts', 'meta', hash, 'meta.json');
  const bytes = fs.readFile(metaFile);
  if (bytes === undefined) {
    throw initError(
      `context "${name}": context not found: ${goFsError({ code: 'ENOENT' }, metaFile)}`,
      `List the contexts with \`docker context ls\`, or choose another with --context, DOCKER_CONTEXT or \`docker context use\`.`,
    );
  }
  const text = bytes.toString('utf8');
  const syntax = goJsonSyntaxError(text);
  if (syntax !== undefined) throw initError(`context "${name}": parsing ${metaFile}: ${syntax}`);
  const meta = JSON.parse(text) as ContextMeta | null;
  const endpoint = meta?.Endpoints?.docker;
  if (endpoint === undefined || endpoint === null) throw initError('cannot find docker endpoint in context');
  const host = endpoint.Host ?? '';
  const skip = endpoint.SkipTLSVerify ?? false;
  if (typeof host !== 'string' || typeof skip !== 'boolean') {
    throw initError(
      `context "${name}": parsing ${metaFile}: the docker endpoint's Host or SkipTLSVerify has the wrong type`,
    );
  }
  // A context without a host is the engine's built-in default, the local socket.
  const address = host === '' ? parseHost('', false) : host;
  if (!/^[a-z]+:\/\//.test(address)) throw initError(`unable to parse docker host \`${address}\``);
  const tlsDir = join(configDir, 'contexts', 'tls', hash, 'docker');
  const [ca, cert, key] = ['ca.pem', 'cert.pem', 'key.pem'].map((f) => fs.readFile(join(tlsDir, f)));
  const hasTls = ca !== undefined || cert !== undefined || key !== undefined;
  const tls = hasTls || skip ? { ca, cert, key, skipVerify: skip } : undefined;
  return targetOf(parseHost(address, false), address.startsWith('tcp://') ? tls : undefined);
}

/** resolveEngine on this machine's files: what a command calls with its environment and global options. */
export function selectEngine(env: NodeJS.ProcessEnv, globals: EngineGlobals = {}): EngineSelection {
  return resolveEngine(globals, env, nodeEngineFs);
}
