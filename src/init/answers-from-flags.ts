import { SafedockError } from '../errors.js';
import { LOOPBACK, type InitAnswers, type WritablePath } from './answers.js';
import {
  checkAddress,
  checkCpus,
  checkMemory,
  checkPort,
  checkUser,
  defaultPresetName,
  parseWritable,
  withGroup,
} from './checks.js';

/** `safedock init`'s flags: every answer of the wizard, for scripts (with --yes) or as the wizard's defaults. */
export interface InitOptions {
  yes: boolean;
  force: boolean;
  preset?: string | undefined;
  network?: boolean | undefined;
  port: string[];
  address?: string | undefined;
  writable: string[];
  user?: string | undefined;
  memory?: string | undefined;
  cpus?: string | undefined;
  startsAsRoot?: boolean | undefined;
  name?: string | undefined;
}

function invalid(flag: string, value: string, problem: string): SafedockError {
  return new SafedockError(`invalid argument "${value}" for ${flag}: ${problem}`, {
    code: 'usage',
    exitCode: 1,
    hint: 'safedock init --help lists every flag with an example.',
  });
}

function checked(
  flag: string,
  value: string | undefined,
  check: (v: string) => string | undefined,
): string | undefined {
  if (value === undefined) return undefined;
  const problem = check(value);
  if (problem !== undefined) throw invalid(flag, value, problem);
  return value;
}

/**
 * The answers the flags give, checked; what no flag gives takes the safe default: the base's
 * network, no ports, loopback, no root start, nothing writable beyond the base's, its limits.
 */
export function answersFromFlags(options: InitOptions, folder: string, builtins: readonly string[]): InitAnswers {
  // Ports need the network; without either flag the base preset decides.
  const network = options.network ?? (options.port.length > 0 ? true : undefined);
  if (network === false && options.port.length > 0) {
    throw new SafedockError(
      `--no-network and --port ${options.port.join(', ')} contradict each other: a container without network publishes no port`,
      {
        code: 'usage',
        exitCode: 1,
        hint: 'Drop --no-network (the workload serves on those ports), or drop the --port flags.',
      },
    );
  }
  const writable: WritablePath[] = options.writable.map((text) => {
    const parsed = parseWritable(text);
    if (typeof parsed === 'string') throw invalid('--writable', text, `${parsed} (PATH, PATH:tmpfs or PATH:volume)`);
    return parsed;
  });
  for (const port of options.port) checked('--port', port, checkPort);
  return {
    network,
    ports: [...options.port],
    address: checked('--address', options.address, checkAddress) ?? LOOPBACK,
    startsAsRoot: options.startsAsRoot ?? false,
    writable,
    user: ((user) => (user === undefined ? undefined : withGroup(user)))(checked('--user', options.user, checkUser)),
    memory: checked('--memory', options.memory, checkMemory),
    cpus: checked('--cpus', options.cpus, checkCpus),
    base: options.preset,
    name: options.name ?? defaultPresetName(folder, builtins),
  };
}
