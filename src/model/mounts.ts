/**
 * One reading of every mount, whichever flag made it: what the container gets at which target,
 * from where, and whether it can write there. The merge keys mounts by target, the policy judges
 * host paths and volume options through it, previews and export show it.
 */
import type { MountSpec } from './run-spec.js';

const PROPAGATIONS = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);

export interface MountView {
  /** bind, volume, tmpfs, image, npipe or cluster (lower case, as the engine reads it). */
  type: string;
  /** Host path (bind), volume name (volume; '' anonymous), image reference (image); '' for tmpfs. */
  source: string;
  target: string;
  readOnly: boolean;
  /** Bind propagation, lower case; '' when not given. */
  propagation: string;
  /** A volume's driver ('' = the engine's default, local) and its options (volume-opt). */
  driver: string;
  driverOptions: Record<string, string>;
  /** The setting as the user wrote it, e.g. `-v /etc:/x:ro` or `--tmpfs /tmp:size=64m`. */
  shown: string;
  secret?: string;
  apiSocket?: true;
}

/** The target without trailing slashes: `/data/` and `/data` are one mount point for the engine. */
export function cleanTarget(target: string): string {
  const t = target.replace(/\/+$/, '');
  return t === '' ? '/' : t;
}

export function mountTarget(m: MountSpec): string {
  return cleanTarget(m.target);
}

export function viewMount(m: MountSpec): MountView {
  switch (m.via) {
    case 'volume': {
      const modes = m.mode.toLowerCase().split(',');
      return {
        type: m.kind === 'bind' ? 'bind' : 'volume',
        source: m.source,
        target: m.target,
        readOnly: modes.includes('ro') || modes.includes('readonly'),
        propagation: modes.find((p) => PROPAGATIONS.has(p)) ?? '',
        driver: '',
        driverOptions: {},
        shown: `-v ${m.kind === 'anonymous' ? m.target : m.raw}`,
      };
    }
    case 'tmpfs':
      return {
        type: 'tmpfs',
        source: '',
        target: m.target,
        readOnly: m.options.split(',').includes('ro'),
        propagation: '',
        driver: '',
        driverOptions: {},
        shown: `--tmpfs ${m.options === '' ? m.target : `${m.target}:${m.options}`}`,
      };
    case 'mount': {
      const api = m.mount;
      const type = api.Type.toLowerCase();
      const bind = api.BindOptions as { Propagation?: unknown; ReadOnlyNonRecursive?: unknown } | undefined;
      const volume = api.VolumeOptions as
        { DriverConfig?: { Name?: string; Options?: Record<string, string> } } | undefined;
      // readonly with bind-recursive=writable leaves the mounts below the source writable.
      const readOnly = api.ReadOnly === true && bind?.ReadOnlyNonRecursive !== true;
      const view: MountView = {
        type,
        source: api.Source ?? '',
        target: api.Target,
        readOnly,
        propagation: typeof bind?.Propagation === 'string' ? bind.Propagation.toLowerCase() : '',
        driver: volume?.DriverConfig?.Name ?? '',
        driverOptions: { ...(volume?.DriverConfig?.Options ?? {}) },
        shown: `--mount type=${type},${api.Source ? `source=${api.Source},` : ''}target=${api.Target}${api.ReadOnly === true ? ',readonly' : ''}`,
      };
      if (m.secret !== undefined) view.secret = m.secret;
      if (m.apiSocket) view.apiSocket = true;
      return view;
    }
  }
}
