import type { ProcessView } from '../../../src/audit/host/read-process.js';
import type { ContainerInspect } from '../../../src/api/inspect.js';

/** An inspected container as Engine 20.10 answers for `docker run -d busybox sleep 1d`, with overrides. */
export function inspected(
  name: string,
  over: {
    hc?: NonNullable<ContainerInspect['HostConfig']>;
    config?: NonNullable<ContainerInspect['Config']>;
    id?: string;
    networks?: Record<string, Record<string, never>>;
  } = {},
): ContainerInspect {
  const id = over.id ?? `${name.replace(/[^a-f0-9]/g, 'a').padEnd(12, '0')}${'f'.repeat(52)}`;
  return {
    Id: id,
    Name: `/${name}`,
    Image: 'sha256:1234',
    State: { Status: 'running', Running: true, Pid: 4242 },
    Config: { User: '', Image: 'busybox', Labels: {}, ...over.config },
    HostConfig: {
      Privileged: false,
      CapAdd: null,
      CapDrop: null,
      SecurityOpt: null,
      NetworkMode: 'default',
      PidMode: '',
      IpcMode: 'private',
      UTSMode: '',
      RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
      ...over.hc,
    },
    NetworkSettings: { Networks: over.networks ?? { bridge: {} } },
  };
}

/** The process of a default container: root, docker's 14 capabilities, no NoNewPrivs, the seccomp filter. */
export function processOf(over: Partial<ProcessView['status']> = {}, uidMap: ProcessView['uidMap'] = []): ProcessView {
  return {
    pid: 4242,
    status: { uids: [0, 0, 0, 0], capEff: 0xa80425fbn, capBnd: 0xa80425fbn, noNewPrivs: false, seccomp: 2, ...over },
    uidMap,
    namespaces: {},
    cgroup: '',
  };
}
