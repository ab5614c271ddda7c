import { publishOn, namesAddress } from '../run/publish-address.js';
import type { Preset, PresetSetting } from '../presets/types.js';
import type { InitAnswers } from './answers.js';
import { normalizeAddress } from './checks.js';

export type Builtin = 'sandbox' | 'strict' | 'compat';

/**
 * The built-in preset closest to the answers: compat for software that starts as root or writes
 * into its own files (strict would break it), sandbox for a workload without network, else strict.
 */
export function closestBuiltin(answers: Pick<InitAnswers, 'network' | 'startsAsRoot'>): { name: Builtin; why: string } {
  if (answers.startsAsRoot) return { name: 'compat', why: 'the software starts as root or writes into its own files' };
  if (answers.network === false) return { name: 'sandbox', why: 'the workload needs no network' };
  return { name: 'strict', why: 'the default for a networked service that runs as a non-root user' };
}

/** A preset document as written to a file: what validatePreset reads back. */
export interface PresetDocument {
  name: string;
  summary: string;
  extends: string;
  settings: Record<string, PresetSetting>;
}

const ASKED = 'answered in safedock init';
const TMPFS_OPTIONS = 'rw,noexec,nosuid,nodev,size=64m';

/**
 * The ports the answers publish, as docker -p takes them, each bound to the answered address
 * unless it names its own. They belong to the service init records in the project config, never
 * to the preset: a preset applies to every run in the folder, and two containers cannot publish
 * one host port.
 */
export function servicePorts(answers: Pick<InitAnswers, 'network' | 'ports' | 'address'>): string[] {
  if (answers.network === false) return [];
  const address = normalizeAddress(answers.address);
  return answers.ports.map((spec) => (namesAddress(spec) ? spec : publishOn(spec, address)));
}

/** A docker volume name for a path of the project: `web-var-cache` for /var/cache in preset web. */
export function volumeName(preset: string, path: string): string {
  const slug = path.replace(/^\/+|\/+$/g, '').replace(/[^A-Za-z0-9_.-]+/g, '-');
  return `${preset}-${slug || 'data'}`;
}

const valueOf = (preset: Preset, flag: string): string | undefined => {
  const value = preset.settings[flag]?.value;
  return value === undefined ? undefined : String(value);
};

/**
 * The project preset the answers need on top of the base (resolved) preset: only what differs
 * from it, each setting with the reason it is there. Undefined when the base alone fits.
 */
export function projectPresetDoc(answers: InitAnswers, base: Preset): PresetDocument | undefined {
  const settings: Record<string, PresetSetting> = {};
  const parts: string[] = [];
  const baseNetwork = valueOf(base, 'network');
  if (answers.network === false && baseNetwork !== 'none') {
    settings.network = {
      value: 'none',
      reason: `The workload needs no network (${ASKED}): it gets only a loopback interface, so it reaches no host and no host reaches it (CIS 5.30).`,
    };
    parts.push('no network');
  } else if (answers.network === true && baseNetwork === 'none') {
    settings.network = {
      value: 'bridge',
      reason: `The workload needs the network (${ASKED}), so ${base.name}'s --network none is lifted for it.`,
    };
    parts.push('with network');
  }
  const tmpfs = answers.writable.filter((w) => w.kind === 'tmpfs');
  if (tmpfs.length > 0) {
    settings.tmpfs = {
      value: tmpfs.map((w) => `${w.path}:${TMPFS_OPTIONS}`),
      reason: `The software writes here (${ASKED}): an in-memory tmpfs that cannot hold executables and is emptied when the container stops, so the root filesystem can stay read-only (CIS 5.13).`,
    };
    parts.push(`writable ${tmpfs.map((w) => w.path).join(', ')}`);
  }
  const volumes = answers.writable.filter((w) => w.kind === 'volume');
  if (volumes.length > 0) {
    settings.volume = {
      value: volumes.map((w) => `${volumeName(answers.name, w.path)}:${w.path}`),
      reason: `The software keeps data here between runs (${ASKED}): a named volume per path. A new volume belongs to root unless the image has that folder, so the container's user must be able to write it.`,
    };
    parts.push(`volumes ${volumes.map((w) => w.path).join(', ')}`);
  }
  if (answers.user !== undefined) {
    // A user in the settings is a choice: the base's root-image tailoring no longer applies.
    settings.user = {
      value: answers.user,
      reason: `The workload runs as this fixed user (${ASKED}), e.g. to own the files it writes (CIS 4.1, PSS restricted "runAsNonRoot").`,
    };
    parts.push(`user ${answers.user}`);
  }
  if (answers.memory !== undefined && answers.memory !== valueOf(base, 'memory')) {
    settings.memory = {
      value: answers.memory,
      reason: `The workload's memory budget (${ASKED}); a runaway process cannot exhaust the host's memory (CIS 5.11).`,
    };
    parts.push(`memory ${answers.memory}`);
  }
  if (answers.cpus !== undefined && answers.cpus !== valueOf(base, 'cpus')) {
    settings.cpus = {
      value: answers.cpus,
      reason: `The workload's CPU budget (${ASKED}); it cannot starve the host of CPU time (CIS 5.12).`,
    };
    parts.push(`cpus ${answers.cpus}`);
  }
  if (Object.keys(settings).length === 0) return undefined;
  return {
    name: answers.name,
    summary: `${base.name} for this project: ${parts.join('; ')} (written by safedock init).`,
    extends: base.name,
    settings,
  };
}
