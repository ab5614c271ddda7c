import { Agent as HttpAgent, type Agent, type AgentOptions, type RequestOptions } from 'node:http';
import { inspect } from 'node:util';
import type { EngineTarget } from './target.js';

/**
 * How requests reach the engine: the options every request to it carries (a socket path, a host
 * and port, or an agent that opens the connection), and whether they go over https. Shared by the
 * first unversioned requests (negotiate.ts) and by dockerode, so both reach the same engine the
 * same way.
 */
export interface Transport {
  https: boolean;
  /** Merged into each request's options. */
  options: RequestOptions;
  /** For dockerode's constructor. */
  dockerode: Record<string, unknown>;
}

const transports = new WeakMap<EngineTarget, Promise<Transport>>();

/** One transport per target: the TLS agent (and its parsed certificates) is built once. */
export function transportFor(target: EngineTarget): Promise<Transport> {
  let made = transports.get(target);
  if (made === undefined) {
    made = makeTransport(target);
    transports.set(target, made);
  }
  return made;
}

/**
 * Node's own agent, but for plain HTTP only. Before each request Node's agent asks whether the
 * host is an IP address, to choose a TLS server name; the first such question compiles a large
 * regular expression (milliseconds, on every run). Plain HTTP has no server name, so it is given
 * as empty and the question is never asked. The other options are those of Node's global agent,
 * which these requests used before.
 */
function plainAgent(): Agent {
  const options: AgentOptions & { servername: string } = {
    keepAlive: true,
    scheduling: 'lifo',
    timeout: 5000,
    servername: '',
  };
  const agent = new HttpAgent(options);
  // docker-modem describes every request's options with util.inspect (all levels, hidden fields
  // included) before it knows whether anyone logs them: an agent would be walked socket by socket.
  Object.defineProperty(agent, inspect.custom, { value: () => 'Agent (plain HTTP)' });
  return agent;
}

async function makeTransport(target: EngineTarget): Promise<Transport> {
  switch (target.kind) {
    case 'unix': {
      const agent = plainAgent();
      return {
        https: false,
        options: { socketPath: target.socketPath, agent },
        dockerode: { socketPath: target.socketPath, agent },
      };
    }
    case 'tcp': {
      const base = { host: target.host, port: target.port };
      if (target.tls === undefined) {
        const agent = plainAgent();
        return { https: false, options: { ...base, agent }, dockerode: { ...base, protocol: 'http', agent } };
      }
      // https (with tls and crypto) is loaded only for TLS engines: a unix socket needs none of it.
      const { Agent: HttpsAgent } = await import('node:https');
      const { ca, cert, key, skipVerify } = target.tls;
      // As docker: only the given CA is trusted when there is one; a client certificate is sent
      // when both it and its key are there; skipVerify (--tls alone, a context's skip-tls-verify)
      // does not check the server's certificate.
      const agent: Agent = new HttpsAgent({
        ...(ca === undefined ? {} : { ca }),
        ...(cert !== undefined && key !== undefined ? { cert, key } : {}),
        rejectUnauthorized: !skipVerify,
      });
      return { https: true, options: { ...base, agent }, dockerode: { ...base, protocol: 'https', agent } };
    }
    case 'ssh': {
      const { sshAgent } = await import('./ssh-agent.js');
      const agent = await sshAgent(target);
      // The host name is a placeholder: every connection is the ssh command's stdin and stdout.
      const base = { host: 'docker.example.com', port: 80 };
      return { https: false, options: { ...base, agent }, dockerode: { ...base, protocol: 'http', agent } };
    }
  }
}
