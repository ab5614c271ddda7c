/**
 * The host paths a run sends, pinned to what the policy judged. The policy resolves a bind's
 * source when it checks; the engine would resolve it again when the container starts, and a
 * symlink swapped in between would mount something never judged (the host's /etc). So the engine
 * gets the canonical, symlink-free path instead of the one written: a deliberate difference from
 * docker, reported in a note. Just before the start the pinned paths are checked once more.
 */
import { realHostPath } from '../policy/host-paths.js';
import { replaceablePart } from '../policy/engine-sockets.js';
import type { HostFacts, Invoker } from '../policy/facts.js';
import { hostPathKey } from '../policy/engine-sockets.js';
import type { MountSpec, RunSpec } from '../model/run-spec.js';
import { SafedockError } from '../errors.js';

export interface PinnedPaths {
  spec: RunSpec;
  notes: string[];
  /** The canonical paths sent, for the check before the start. */
  pinned: string[];
}

/** Where a host path resolves, from the gathered facts (undefined: nothing to pin). */
function canonical(source: string, facts: HostFacts, where: { home: string; cwd: string }): string | undefined {
  return facts.paths[hostPathKey(source, where)]?.real;
}

export function pinHostPaths(spec: RunSpec, facts: HostFacts, where: { home: string; cwd: string }): PinnedPaths {
  const notes: string[] = [];
  const pinned: string[] = [];
  const mounts = spec.mounts.map((m): MountSpec => {
    if (m.via === 'volume' && m.kind === 'bind') {
      const real = canonical(m.source, facts, where);
      if (real === undefined) return m;
      pinned.push(real);
      // A Binds entry is split on ':' by the engine: a path holding one is sent as written.
      if (real === m.source || real.includes(':')) return m;
      notes.push(pinNote(`-v ${m.raw}`, real));
      return { ...m, source: real, raw: `${real}${m.raw.slice(m.source.length)}` };
    }
    if (m.via === 'mount' && m.mount.Type.toLowerCase() === 'bind' && m.mount.Source !== undefined && !m.apiSocket) {
      const real = canonical(m.mount.Source, facts, where);
      if (real === undefined) return m;
      pinned.push(real);
      if (real === m.mount.Source) return m;
      notes.push(pinNote(`--mount source=${m.mount.Source}`, real));
      return { ...m, mount: { ...m.mount, Source: real } };
    }
    if (m.via === 'mount' && m.mount.Type.toLowerCase() === 'volume') {
      const config = (
        m.mount.VolumeOptions as { DriverConfig?: { Name?: string; Options?: Record<string, string> } } | undefined
      )?.DriverConfig;
      const device = config?.Options?.device;
      const o = (config?.Options?.o ?? '').toLowerCase().split(',');
      if (device === undefined || !(o.includes('bind') || o.includes('rbind'))) return m;
      const real = canonical(device.startsWith('/') ? device : `/${device}`, facts, where);
      if (real === undefined) return m;
      pinned.push(real);
      if (real === device) return m;
      notes.push(pinNote(`volume-opt=device=${device}`, real));
      return {
        ...m,
        mount: {
          ...m.mount,
          VolumeOptions: {
            ...(m.mount.VolumeOptions as Record<string, unknown>),
            DriverConfig: { ...config, Options: { ...config?.Options, device: real } },
          },
        },
      };
    }
    return m;
  });
  return { spec: { ...spec, mounts }, notes, pinned };
}

const pinNote = (written: string, real: string): string =>
  `${written}: the engine gets ${real}, the path the policy judged (symlinks resolved now, not again when the container starts)`;

/**
 * The pinned paths once more, just before the container starts: still free of symlinks, and (unless
 * they were judged otherwise) still out of other users' reach. Throws to stop the start.
 */
export function verifyPins(pinned: readonly string[], invoker: Invoker, judgedReplaceable: ReadonlySet<string>): void {
  for (const path of pinned) {
    const now = realHostPath(path);
    if (now !== path) {
      throw new SafedockError(
        `${path} changed after it was checked: it now resolves to ${now}; the container was not started and is removed`,
        {
          code: 'path-changed',
          hint: 'Something replaced a part of the path with a link while safedock ran; check who can write there.',
        },
      );
    }
    if (!judgedReplaceable.has(path) && replaceablePart(path, invoker) !== undefined) {
      throw new SafedockError(
        `${path} became changeable by another user after it was checked; the container was not started and is removed`,
        { code: 'path-changed', hint: 'Check the owners and permissions of the folders on the way to it.' },
      );
    }
  }
}
