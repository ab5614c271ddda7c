import type { ImageFacts } from '../engine/engine.js';
import type { MergedSpec } from '../model/merge.js';
import { provenanceKey, type Source } from '../model/provenance.js';
import type { Preset } from '../presets/types.js';

/** Whether the run's network carries published ports at all (none, host and container: do not). */
export function publishesPorts(spec: MergedSpec['spec']): boolean {
  const mode = (spec.networks[0]?.target ?? 'default').trim().toLowerCase();
  return !(mode === 'none' || mode === 'host' || mode.startsWith('container:'));
}

/**
 * -P under a preset that binds ports to one address: docker's -P would publish every exposed
 * port on every interface, so instead each exposed port that has no binding of its own gets one
 * on the preset's address with a random host port (what `-p ADDRESS::PORT` does), and -P itself
 * is turned off. Exposed: the image's ports (it must have been inspected), --expose's, -p's.
 * Returns the note that says so, or nothing when there was nothing to bind.
 */
export function bindPublishAll(
  merged: MergedSpec,
  preset: Preset,
  image: ImageFacts | undefined,
): { merged: MergedSpec; notes: string[] } {
  const address = preset.ports?.defaultAddress;
  const { spec } = merged;
  // On host, none or another container's network -P publishes nothing: left as it was.
  if (!spec.publishAll || address === undefined || !publishesPorts(spec)) return { merged, notes: [] };
  const ip = String(address.value);
  const bound = new Set(spec.ports.map((p) => p.port));
  const exposed = [...new Set([...(image?.exposedPorts ?? []), ...spec.expose, ...bound])].sort();
  const added = exposed.filter((port) => !bound.has(port));
  const provenance = new Map(merged.provenance);
  const source: Source = {
    kind: 'preset',
    preset: preset.name,
    file: preset.file,
    key: 'ports.defaultAddress',
    ...(address.reason === undefined ? {} : { reason: address.reason }),
  };
  for (const port of added)
    provenance.set(provenanceKey('ports', port), { source, flag: 'publish-all', text: `${ip}::${port}` });
  provenance.set('publishAll', { source, flag: 'publish-all', text: 'false' });
  const ports = [...spec.ports, ...added.map((port) => ({ port, hostIp: ip, hostPort: '' }))];
  const notes: string[] = [];
  if (publishesPorts(spec)) {
    if (image === undefined)
      notes.push(
        `-P: the image was not inspected, so only ${added.length === 0 ? 'no port' : added.join(', ')} is published, on ${ip}`,
      );
    else if (added.length > 0)
      notes.push(`-P publishes ${added.join(', ')} on ${ip} only, on random host ports (preset ${preset.name})`);
  }
  return { merged: { ...merged, spec: { ...spec, ports, publishAll: false }, provenance }, notes };
}
