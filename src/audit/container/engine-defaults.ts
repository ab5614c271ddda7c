import type { ContainerInspect } from '../../api/inspect.js';

/** What the audit knows about the engine's own defaults. */
export interface EngineDefaults {
  /** /info's CgroupVersion: "1" or "2". */
  cgroupVersion: string | undefined;
}

/**
 * An inspected container without the values the engine filled in itself where no run set
 * anything, so that the settings rules judge what was asked for, as they do before a run:
 * - CgroupnsMode "host" on a cgroup v1 engine: its only mode there (private needs cgroup v2);
 * - SecurityOpt "label=disable", which the engine adds to privileged containers and to those in
 *   the host's PID or IPC namespace (the finding for that cause is reported on its own).
 * Everything else is the container as the engine reports it. Pure.
 */
export function withoutEngineFills(inspect: ContainerInspect, engine: EngineDefaults): ContainerInspect {
  const hc = inspect.HostConfig;
  if (hc === null || hc === undefined) return inspect;
  const out = { ...hc };
  if (engine.cgroupVersion === '1' && hc.CgroupnsMode === 'host') out.CgroupnsMode = '';
  const hostNs = hc.PidMode === 'host' || hc.IpcMode === 'host';
  if ((hc.Privileged === true || hostNs) && Array.isArray(hc.SecurityOpt)) {
    const kept = hc.SecurityOpt.filter((o) => o !== 'label=disable');
    out.SecurityOpt = kept.length === 0 ? null : kept;
  }
  return { ...inspect, HostConfig: out };
}
