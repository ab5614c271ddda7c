/**
 * What the value of a flag or an argument completes to: fixed words, names that depend on the
 * folder (presets, the project config's services) or on safedock (rule ids), file or folder
 * names (left to the shell), or nothing (free text: ports, sizes, env values).
 */
import { capabilityName } from '../grammar/capabilities.js';
import { CAPABILITIES as KERNEL_CAPABILITIES } from '../seccomp/types.js';
import { LOG_LEVELS } from '../engine/global-options.js';

export type ValueKind =
  | { kind: 'words'; words: readonly string[] }
  | { kind: 'presets' }
  | { kind: 'services' }
  | { kind: 'rules' }
  | { kind: 'files' }
  | { kind: 'dirs' }
  | { kind: 'none' };

const words = (...list: string[]): ValueKind => ({ kind: 'words', words: list });
const FILES: ValueKind = { kind: 'files' };

/** Linux capabilities as docker's --cap-add and --cap-drop take them (without CAP_), and ALL. */
const CAPABILITIES = ['ALL', ...KERNEL_CAPABILITIES.map(capabilityName).sort((a, b) => a.localeCompare(b))];

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGKILL', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'];

/**
 * Values of `safedock run`'s flags (docker's and safedock's own), by canonical long name. A flag
 * that takes a value and is not listed completes to nothing: its value is free text.
 */
export const RUN_FLAG_VALUES: Readonly<Record<string, ValueKind>> = {
  preset: { kind: 'presets' },
  service: { kind: 'services' },
  accept: { kind: 'rules' },
  policy: words('warn', 'ask', 'enforce'),
  pull: words('always', 'missing', 'never'),
  network: words('bridge', 'host', 'none'),
  restart: words('no', 'always', 'on-failure', 'unless-stopped'),
  'log-driver': words('json-file', 'local', 'none', 'syslog', 'journald', 'gelf', 'fluentd', 'awslogs', 'splunk'),
  'cap-add': words(...CAPABILITIES),
  'cap-drop': words(...CAPABILITIES),
  'security-opt': words(
    'no-new-privileges',
    'seccomp=',
    'seccomp=unconfined',
    'apparmor=',
    'apparmor=unconfined',
    'label=disable',
    'systempaths=unconfined',
  ),
  ipc: words('none', 'private', 'shareable', 'host'),
  pid: words('host'),
  uts: words('host'),
  userns: words('host'),
  cgroupns: words('host', 'private'),
  platform: words('linux/amd64', 'linux/arm64', 'linux/arm/v7'),
  'stop-signal': words(...SIGNALS),
  'env-file': FILES,
  'label-file': FILES,
  cidfile: FILES,
  'device-cgroup-rule': { kind: 'none' },
};

/** Values of the other commands' flags and arguments, by `command id:name` (oclif's options come on their own). */
export const COMMAND_VALUES: Readonly<Record<string, ValueKind>> = {
  'init:preset': { kind: 'presets' },
  'init:address': words('127.0.0.1', '0.0.0.0', '::1', '::'),
  'presets:show:name': { kind: 'presets' },
  'rules:id': { kind: 'rules' },
  'seccomp:check:file': FILES,
};

/** Values of docker's global options, given before the command (`safedock --config DIR run …`). */
export const GLOBAL_OPTION_VALUES: Readonly<Record<string, ValueKind>> = {
  config: { kind: 'dirs' },
  tlscacert: FILES,
  tlscert: FILES,
  tlskey: FILES,
  'log-level': words(...LOG_LEVELS),
};
