import { describe, expect, it } from 'vitest';
import { describeEngine, engineNotices } from '../../../src/engine/describe.js';
import type { EngineSelection } from '../../../src/engine/select.js';
import { targetOf } from '../../../src/engine/target.js';

function selection(source: EngineSelection['source'], context: string, host: string, tls = false): EngineSelection {
  const files = tls ? { ca: Buffer.from('x'), cert: undefined, key: undefined, skipVerify: false } : undefined;
  return { source, context, target: targetOf(host, files), configFile: '/c/config.json', debug: false, warnings: [] };
}

describe('describeEngine: one line for --dry-run and explain', () => {
  it.each<[EngineSelection, string]>([
    [
      selection('default', 'default', 'unix:///var/run/docker.sock'),
      'engine: unix:///var/run/docker.sock (the default socket)',
    ],
    [
      selection('current-context', 'rootless', 'unix:///run/user/1000/docker.sock'),
      'engine: unix:///run/user/1000/docker.sock (context rootless, from `docker context use`)',
    ],
    [selection('DOCKER_CONTEXT', 'pod', 'unix:///p.sock'), 'engine: unix:///p.sock (context pod, from DOCKER_CONTEXT)'],
    [selection('context-flag', 'pod', 'unix:///p.sock'), 'engine: unix:///p.sock (context pod, from --context)'],
    [selection('DOCKER_HOST', 'default', 'tcp://h:2376', true), 'engine: tcp://h:2376 (from DOCKER_HOST, TLS)'],
    [selection('host-flag', 'default', 'tcp://h:2375'), 'engine: tcp://h:2375 (from -H)'],
  ])('%#', (s, line) => {
    expect(describeEngine(s)).toBe(line);
  });
  it('adds what the engine said of itself', () => {
    const s = selection('current-context', 'rootless', 'unix:///run/user/1000/docker.sock');
    expect(describeEngine(s, { kind: 'podman', engineVersion: '4.3.1', apiVersion: '1.41', rootless: true })).toBe(
      'engine: unix:///run/user/1000/docker.sock (context rootless, from `docker context use`); Podman 4.3.1, API 1.41, rootless',
    );
  });
  it('notices: config warnings always, the engine line only with -D', () => {
    const facts = {
      kind: 'docker' as const,
      engineVersion: '20.10.24',
      apiVersion: '1.41',
      rootless: false,
      cgroupVersion: '1',
      cgroupDriver: 'cgroupfs',
      socketPath: '/s',
    };
    const quiet = { ...selection('default', 'default', 'unix:///s'), warnings: ['WARNING: x'] };
    expect(engineNotices({ selection: quiet, facts })).toEqual(['WARNING: x']);
    expect(engineNotices({ selection: { ...quiet, debug: true }, facts })).toEqual([
      'WARNING: x',
      'engine: unix:///s (the default socket); Docker Engine 20.10.24, API 1.41',
    ]);
  });
});
