/**
 * The seccomp side of safedock learn: the base preset's profile (the file its security-opt names),
 * the profiles derived from it for the trials (temporary files, removed at the end), and the one
 * written next to the learnt preset. A derived profile is the base with only the calls the program
 * was seen to need added back, calls the engine's default profile allows to every container.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { anchorProfilePath } from '../presets/profile-path.js';
import type { Preset } from '../presets/types.js';
import {
  allowSyscalls,
  engineDefaultAllows,
  evaluateSyscall,
  validateSeccompProfile,
  type EngineFlavour,
  type SeccompProfile,
} from '../seccomp/index.js';
import type { SeccompSetup } from './learn-loop.js';

export interface DerivedProfiles {
  setup: SeccompSetup;
  /** The derived profile to write next to the preset (its path is setup.file, from the working folder). */
  final(syscalls: readonly string[], why: string): SeccompProfile | undefined;
  /** Its absolute path. */
  readonly path: string;
  /** Removes the trials' profiles. */
  cleanup(): void;
}

/**
 * Undefined when there is nothing to derive from: the preset names no profile file (none,
 * unconfined, the engine's), or your own --security-opt seccomp=… chose the profile.
 */
export function openDerivedProfiles(
  preset: Preset,
  where: { engine: EngineFlavour; cwd: string; presetDir: string; name: string; yourSeccomp: boolean },
): DerivedProfiles | undefined {
  if (where.yourSeccomp) return undefined;
  const setting = preset.settings['security-opt']?.value;
  const option = (Array.isArray(setting) ? setting : setting === undefined ? [] : [setting])
    .map((v) => anchorProfilePath(String(v), preset))
    .filter((v) => /^seccomp[=:]/i.test(v))
    .at(-1);
  const file = option?.slice('seccomp='.length);
  if (file?.startsWith('/') !== true) return undefined;
  let base: SeccompProfile;
  try {
    base = validateSeccompProfile(JSON.parse(readFileSync(file, 'utf8')), file);
  } catch {
    return undefined;
  }
  const path = join(where.presetDir, `${where.name}.seccomp.json`);
  let trialDir: string | undefined;
  const written = new Map<string, string | undefined>();
  const derive = (syscalls: readonly string[], comment: string): SeccompProfile | undefined =>
    allowSyscalls(base, syscalls, comment, path);
  return {
    path,
    setup: {
      refuses: (syscall) => !evaluateSyscall(base, syscall).allowed,
      engineAllows: (syscall) => engineDefaultAllows(syscall, where.engine),
      base: basename(file),
      file: relative(where.cwd, path) || path,
      trialFile: (syscalls) => {
        const key = [...syscalls].sort().join(',');
        if (written.has(key)) return written.get(key);
        const profile = derive(syscalls, 'Added back for a trial of safedock learn.');
        let trial: string | undefined;
        if (profile !== undefined) {
          trialDir ??= mkdtempSync(join(tmpdir(), 'safedock-learn-'));
          trial = join(trialDir, `${key.replaceAll(',', '-')}.json`);
          writeFileSync(trial, `${JSON.stringify(profile, null, 2)}\n`);
        }
        written.set(key, trial);
        return trial;
      },
    },
    final: (syscalls, why) => derive(syscalls, why),
    cleanup: () => {
      if (trialDir !== undefined) rmSync(trialDir, { recursive: true, force: true });
    },
  };
}
