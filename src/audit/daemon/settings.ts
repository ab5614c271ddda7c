import type { DaemonJson } from './daemon-facts.js';
import type { FlagValue } from './dockerd-flags.js';

/** A daemon setting as the engine runs with it: the command line's, else daemon.json's. */
export function settingOf(flags: Readonly<Record<string, FlagValue>>, daemonJson: DaemonJson, key: string): unknown {
  if (key in flags) return flags[key];
  return daemonJson.state === 'read' ? daemonJson.settings[key] : undefined;
}
