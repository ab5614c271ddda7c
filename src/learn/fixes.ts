/**
 * The loosenings safedock learn may propose, narrowest first, and how each reads as docker run
 * flags and as preset settings. One table of the wide ones: those are never taken without saying
 * that nothing narrower worked, and a person's (or --yes's) acceptance with the reason.
 */
import { posix } from 'node:path';
import type { PresetSetting } from '../presets/types.js';

export type Fix =
  /** An in-memory folder owned by the container's user, for files written at run time. */
  | { kind: 'tmpfs'; path: string; uid: number; gid: number; reason: string }
  /** A named volume, filled from the image on first use, for a folder the image fills and the program writes. */
  | { kind: 'volume'; path: string; name: string; reason: string }
  /** Another non-root user the image defines and the program needs. */
  | { kind: 'user'; user: string; uid: number; gid: number; reason: string }
  /** Ports from this number up may be bound without a capability (a namespaced sysctl). */
  | { kind: 'port-start'; port: number; reason: string }
  /** A capability the evidence names. */
  | { kind: 'cap-add'; capability: string; reason: string }
  /**
   * The base preset's seccomp profile with system calls added back that the engine's default
   * allows: `file` is the derived profile as docker run takes it, written next to the preset.
   */
  | { kind: 'seccomp-allow'; syscalls: string[]; file: string; reason: string }
  /** A loosening of the hardening itself: only after saying that nothing narrower worked. */
  | { kind: 'wide'; wide: WideKind; reason: string };

export type WideKind = 'writable-root' | 'root' | 'seccomp-off' | 'privilege-gain';

/** The wide loosenings: the flags, the policy rule each one raises, and what it gives up. */
export const WIDE: Readonly<Record<WideKind, { args: readonly string[]; rule: string; gives: string }>> = {
  'writable-root': { args: ['--read-only=false'], rule: 'SD119', gives: 'the read-only root filesystem' },
  root: { args: ['--user', '0:0'], rule: 'SD118', gives: 'the non-root user' },
  'seccomp-off': {
    args: ['--security-opt', 'seccomp=unconfined'],
    rule: 'SD114',
    gives: "safedock's seccomp profile",
  },
  'privilege-gain': {
    args: ['--security-opt', 'no-new-privileges=false'],
    rule: 'SD117',
    gives: 'no-new-privileges',
  },
};

export const isWide = (fix: Fix): fix is Extract<Fix, { kind: 'wide' }> => fix.kind === 'wide';

/** The tmpfs option string: owned by the container's user, so it may write there under a read-only root. */
export const tmpfsValue = (f: { path: string; uid: number; gid: number }): string =>
  `${f.path}:uid=${String(f.uid)},gid=${String(f.gid)}`;

/** One fix as `docker run` arguments. */
export function fixArgs(fix: Fix): string[] {
  switch (fix.kind) {
    case 'tmpfs':
      return ['--tmpfs', tmpfsValue(fix)];
    case 'volume':
      return ['--volume', `${fix.name}:${fix.path}`];
    case 'user':
      return ['--user', `${String(fix.uid)}:${String(fix.gid)}`];
    case 'port-start':
      return ['--sysctl', `net.ipv4.ip_unprivileged_port_start=${String(fix.port)}`];
    case 'cap-add':
      return ['--cap-add', fix.capability];
    case 'seccomp-allow':
      return ['--security-opt', `seccomp=${fix.file}`];
    case 'wide':
      return [...WIDE[fix.wide].args];
  }
}

/**
 * The fixes that hold at the end: a later user fix replaces an earlier one, and the tmpfs mounts
 * follow the final user (they are made for whoever runs the program); the last derived seccomp
 * profile holds every call added so far, and none holds once seccomp is off.
 */
export function settle(fixes: readonly Fix[]): Fix[] {
  const user = fixes.filter((f) => f.kind === 'user').at(-1);
  const seccompOff = fixes.some((f) => f.kind === 'wide' && f.wide === 'seccomp-off');
  const profile = seccompOff ? undefined : fixes.filter((f) => f.kind === 'seccomp-allow').at(-1);
  const kept = fixes.filter((f) => (f.kind !== 'user' || f === user) && (f.kind !== 'seccomp-allow' || f === profile));
  return user === undefined ? kept : kept.map((f) => (f.kind === 'tmpfs' ? { ...f, uid: user.uid, gid: user.gid } : f));
}

/** All fixes as docker run arguments, in the order found. */
export function fixesArgs(fixes: readonly Fix[]): string[] {
  return settle(fixes).flatMap(fixArgs);
}

/** What the fixes add to a preset: the settings (a flag's values with one reason joining theirs) and the user. */
export interface PresetAdditions {
  settings: Record<string, PresetSetting>;
  /** The user for an image that runs as root (image.nonRootUser), or for every image (settings.user). */
  user?: { setting: PresetSetting; forRootImage: boolean };
  /** Policy findings a wide fix raises, accepted with the fix's reason. */
  accept: Record<string, string>;
}

/** Why each kind of setting helps, said once per setting; the evidence of each value follows. */
const WHY: Readonly<Record<string, string>> = {
  tmpfs:
    "A tmpfs owned by the container's user makes a folder writable under the read-only root; nothing written there outlives the container.",
  volume:
    "A named volume starts as a copy of the image's folder (owners and modes kept) and keeps what is written; the root stays read-only.",
  sysctl:
    "From this port up, ports may be bound without a capability (a sysctl of the container's own network namespace).",
  'cap-add': 'Added back because the program names it.',
};

export function presetAdditions(fixes: readonly Fix[], imageRunsAsRoot: boolean): PresetAdditions {
  const settings: Record<string, PresetSetting> = {};
  const accept: Record<string, string> = {};
  let user: PresetAdditions['user'];
  const seen = new Map<string, string[]>();
  const add = (flag: string, value: string, reason: string): void => {
    const setting = settings[flag];
    const values = setting === undefined ? [] : Array.isArray(setting.value) ? setting.value : [String(setting.value)];
    seen.set(flag, [...(seen.get(flag) ?? []), reason.replace(/\.$/, '')]);
    const why = WHY[flag];
    const evidence = `Seen: ${(seen.get(flag) ?? []).join('; ')}.`;
    settings[flag] = { value: [...values, value], reason: why === undefined ? evidence : `${why} ${evidence}` };
  };
  for (const fix of settle(fixes)) {
    switch (fix.kind) {
      case 'tmpfs':
        add('tmpfs', tmpfsValue(fix), fix.reason);
        break;
      case 'volume':
        add('volume', `${fix.name}:${fix.path}`, fix.reason);
        break;
      case 'port-start':
        add('sysctl', `net.ipv4.ip_unprivileged_port_start=${String(fix.port)}`, fix.reason);
        break;
      case 'cap-add':
        add('cap-add', fix.capability, fix.reason);
        break;
      case 'seccomp-allow':
        // The profile sits next to the preset file, which names it relative to itself.
        add('security-opt', `seccomp=${posix.basename(fix.file)}`, fix.reason);
        break;
      case 'user':
        user = {
          setting: { value: `${String(fix.uid)}:${String(fix.gid)}`, reason: fix.reason },
          forRootImage: imageRunsAsRoot,
        };
        break;
      case 'wide':
        switch (fix.wide) {
          case 'writable-root':
            settings['read-only'] = { value: false, reason: fix.reason };
            break;
          case 'root':
            user = { setting: { value: '0:0', reason: fix.reason }, forRootImage: false };
            break;
          case 'seccomp-off':
            add('security-opt', 'seccomp=unconfined', fix.reason);
            break;
          case 'privilege-gain':
            add('security-opt', 'no-new-privileges=false', fix.reason);
            break;
        }
        accept[WIDE[fix.wide].rule] = fix.reason;
        break;
    }
  }
  return user === undefined ? { settings, accept } : { settings, user, accept };
}
