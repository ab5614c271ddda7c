import { namesAddress } from '../run/publish-address.js';
import type { PresetCatalog } from '../presets/catalog.js';
import { comparePresets } from '../pick/previews.js';
import type { Choice, PromptSession } from '../prompt/session.js';
import { LOOPBACK, type InitAnswers, type WritableKind, type WritablePath } from './answers.js';
import {
  checkAddress,
  checkCpus,
  checkMemory,
  checkPort,
  checkPresetName,
  checkUser,
  checkWritablePath,
  withGroup,
} from './checks.js';
import { closestBuiltin, projectPresetDoc } from './propose.js';

/** "a, b c" → ["a", "b", "c"]: lists are typed on one line. */
export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter((item) => item !== '');
}

function eachOf(check: (item: string) => string | undefined): (text: string) => string | undefined {
  return (text) => {
    for (const item of splitList(text)) {
      const problem = check(item);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

const optional =
  (check: (value: string) => string | undefined) =>
  (value: string): string | undefined =>
    value === '' ? undefined : check(value);

const OTHER_ADDRESS = 'other';

/**
 * The wizard: what the workload needs, one question at a time, each with the answer the flags
 * gave (or the safe default) preselected. Returns the answers; writes nothing.
 */
export async function askInitAnswers(
  session: PromptSession,
  defaults: InitAnswers,
  catalog: PresetCatalog,
  builtins: readonly string[],
): Promise<InitAnswers> {
  // A base given with --preset answers the network question by default (sandbox: no).
  const givenBase =
    defaults.base === undefined
      ? undefined
      : (await catalog.resolve({ name: defaults.base, origin: '--preset' })).preset;
  const networkDefault =
    defaults.network ?? (givenBase === undefined || String(givenBase.settings.network?.value ?? '') !== 'none');
  const network = await session.confirm(
    'Does the workload need the network (to reach other hosts, or to be reached)?',
    networkDefault,
  );

  let ports: string[] = [];
  let address = defaults.address;
  if (network) {
    const text = await session.input(
      'Ports its service publishes (only runs with --service use them), as HOST:CONTAINER (e.g. 8080:80), separated by commas (empty: none):',
      {
        default: defaults.ports.join(', '),
        validate: eachOf(checkPort),
      },
    );
    ports = splitList(text);
    if (ports.some((spec) => !namesAddress(spec))) {
      const known = [LOOPBACK, '0.0.0.0'];
      const picked = await session.select<string>(
        'Publish them on which address?',
        [
          { value: LOOPBACK, name: `${LOOPBACK}    this machine only (loopback)` },
          { value: '0.0.0.0', name: '0.0.0.0      every interface: other machines can connect' },
          { value: OTHER_ADDRESS, name: 'another address of this host' },
        ],
        { default: known.includes(defaults.address) ? defaults.address : OTHER_ADDRESS },
      );
      address =
        picked === OTHER_ADDRESS
          ? await session.input('Address to publish on:', {
              default: known.includes(defaults.address) ? '' : defaults.address,
              validate: checkAddress,
            })
          : picked;
    }
  }

  const startsAsRoot = await session.confirm(
    'Does the software start as root and then drop privileges, or write into its own files (as the official nginx, postgres or httpd images do)?',
    defaults.startsAsRoot,
  );

  const proposal = closestBuiltin({ network, startsAsRoot });
  const { entries } = await catalog.list();
  const offered = entries
    .filter((e) => e.overriddenBy === undefined)
    .map(({ preset }) => ({ ...preset, source: preset.source ?? ('built-in' as const) }))
    .sort(comparePresets);
  const label = (name: string): string => `${name}${name === proposal.name ? ' (proposed)' : ''}`;
  const width = Math.max(...offered.map((p) => label(p.name).length));
  const bases: Choice<string>[] = offered.map((preset) => ({
    value: preset.name,
    name: `${label(preset.name).padEnd(width)}  ${preset.source}`,
    description:
      preset.name === proposal.name ? `${preset.summary}\nProposed because ${proposal.why}.` : preset.summary,
    short: preset.name,
  }));
  const base = await session.select('Preset to build on:', bases, {
    default: defaults.base ?? proposal.name,
    pageSize: Math.min(bases.length, 10),
  });
  const { preset: resolved } = await catalog.resolve({ name: base, origin: '--preset' });

  const readOnly = String(resolved.settings['read-only']?.value) === 'true';
  const writableText = await session.input(
    `Paths the software writes to, separated by commas (${readOnly ? `${base} keeps the root filesystem read-only` : `${base} leaves the root filesystem writable`}; empty: none):`,
    { default: defaults.writable.map((w) => w.path).join(', '), validate: eachOf(checkWritablePath) },
  );
  const writable: WritablePath[] = [];
  for (const path of splitList(writableText)) {
    const kind = await session.select<WritableKind>(
      `Where does ${path} keep what is written?`,
      [
        { value: 'tmpfs', name: 'in memory (tmpfs): emptied when the container stops' },
        { value: 'volume', name: 'in a named volume: kept between runs' },
      ],
      { default: defaults.writable.find((w) => w.path === path)?.kind ?? 'tmpfs' },
    );
    writable.push({ path, kind });
  }

  const keeps =
    resolved.image?.nonRootUser === undefined
      ? "the image's own user"
      : `the image's own user, or ${String(resolved.image.nonRootUser.value)} for images that would run as root`;
  const user = await session.input(`Run as a fixed UID[:GID]? (a UID alone gets the same GID; empty: ${keeps})`, {
    default: defaults.user ?? '',
    validate: optional(checkUser),
  });
  const setting = (flag: string): string =>
    resolved.settings[flag] === undefined ? '' : String(resolved.settings[flag].value);
  const unbounded = (flag: string): string => (setting(flag) === '' ? '; empty: no limit' : '');
  const memory = await session.input(`Memory limit (e.g. 512m, 2g${unbounded('memory')}):`, {
    default: defaults.memory ?? setting('memory'),
    validate: optional(checkMemory),
  });
  const cpus = await session.input(`CPUs (e.g. 0.5, 2${unbounded('cpus')}):`, {
    default: defaults.cpus ?? setting('cpus'),
    validate: optional(checkCpus),
  });

  const answers: InitAnswers = {
    network,
    ports,
    address,
    startsAsRoot,
    writable,
    user: user === '' ? undefined : withGroup(user),
    memory: memory === '' ? undefined : memory,
    cpus: cpus === '' ? undefined : cpus,
    base,
    name: defaults.name,
  };
  const needsPreset = projectPresetDoc(answers, resolved) !== undefined;
  if (needsPreset || ports.length > 0) {
    const what = !needsPreset
      ? 'Name of the service that publishes these ports:'
      : ports.length > 0
        ? 'Name of the project preset (and of the service with the ports):'
        : 'Name of the project preset:';
    answers.name = await session.input(what, {
      default: defaults.name,
      validate: (value) => checkPresetName(value, base, builtins),
    });
  }
  return answers;
}
