/**
 * "The setting responsible" of a diagnosis: for each part of the hardening, the option that set it
 * as the run's provenance names it (a preset's file and key, image tailoring, your flags), or, for a
 * container read back without a plan, the preset it was run under. Pure.
 */
import { basename } from 'node:path';
import { describeSource, type Origin, type Provenance } from '../model/provenance.js';
import type { Hardening } from './diagnose.js';

/** Where each part lives in the model (the provenance key), and how the preset spells it. */
const PARTS: Readonly<Record<Hardening, { key: string; presetText: string }>> = {
  'read-only': { key: 'readOnly', presetText: 'read-only: true' },
  user: { key: 'user', presetText: 'the non-root user (image.nonRootUser or user)' },
  'cap-drop': { key: 'capDrop:ALL', presetText: 'cap-drop: ALL' },
  seccomp: { key: 'securityOpt:seccomp', presetText: 'security-opt: seccomp' },
  'no-new-privileges': { key: 'securityOpt:no-new-privileges', presetText: 'security-opt: no-new-privileges' },
};

/** The setting of each part from a plan's provenance; `preset` names the preset for image tailoring. */
export function settingFromProvenance(
  provenance: Provenance,
  preset: { name: string; file: string },
): (part: Hardening) => string {
  return (part) => {
    const origin = provenance.get(PARTS[part].key);
    if (origin === undefined) return `${PARTS[part].presetText} (not set by this run)`;
    const from =
      origin.source.kind === 'image'
        ? `image tailoring, preset ${preset.name} (${preset.file}: image.nonRootUser)`
        : describeSource(origin.source);
    return `${optionText(origin)} from ${from}`;
  };
}

/** The setting of each part of a container read back: the preset it ran under, by name. */
export function settingOfPreset(preset: string): (part: Hardening) => string {
  return (part) => `${PARTS[part].presetText} (preset ${preset})`;
}

/** The option as typed, short: a profile by its file name, a boolean flag without its value. */
function optionText(origin: Origin): string {
  const value = origin.text;
  if (value === 'true') return `--${origin.flag}`;
  const profile = /^seccomp[=:](.+)$/s.exec(value)?.[1];
  if (profile !== undefined)
    return `--${origin.flag} seccomp=${profile.startsWith('{') ? '(inline profile)' : basename(profile)}`;
  return `--${origin.flag} ${value}`;
}
