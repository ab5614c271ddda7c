import type { spawn as Spawn } from 'node:child_process';
import { Agent, type ClientRequestArgs } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { EngineTarget } from './target.js';

type SshTarget = Extract<EngineTarget, { kind: 'ssh' }>;

/**
 * ssh:// engines as the docker CLI reaches them: each connection is the system's `ssh` running
 * `docker system dial-stdio` on the remote host, so the user's ssh configuration, keys, agent and
 * known_hosts apply (a host key ssh does not trust is refused by ssh itself).
 */
export async function sshAgent(target: SshTarget): Promise<Agent> {
  // child_process takes about 10 ms to load: only an ssh:// engine pays for it.
  const { spawn } = await import('node:child_process');
  const args = ['-o', 'ConnectTimeout=30', '-T'];
  if (target.user !== undefined) args.push('-l', target.user);
  if (target.port !== undefined) args.push('-p', String(target.port));
  args.push('--', target.host, 'docker', 'system', 'dial-stdio');
  const agent = new Agent({ keepAlive: false });
  // Node's Agent calls createConnection(options, callback) and takes a stream it returns.
  (agent as unknown as { createConnection: (o: ClientRequestArgs) => Socket }).createConnection = () =>
    sshStream(spawn, args) as unknown as Socket;
  return agent;
}

function sshStream(spawn: typeof Spawn, args: string[]): Duplex {
  const child = spawn('ssh', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (c: Buffer) => stderr.push(c));
  let ended = false;
  const stream = new Duplex({
    read() {
      child.stdout.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      // A write fails when ssh has already gone (EPIPE); its exit, below, says why.
      child.stdin.write(chunk, () => {
        callback();
      });
    },
    final(callback) {
      child.stdin.end(callback);
    },
    destroy(err, callback) {
      if (!ended) child.kill();
      callback(err);
    },
  });
  child.stdout.on('data', (c: Buffer) => {
    if (!stream.push(c)) child.stdout.pause();
  });
  // The end of the output waits for ssh to exit: a failure must reach the client as ssh's own
  // error, not as a connection that merely ended.
  child.stdin.on('error', () => undefined);
  child.on('error', (err) => stream.destroy(err));
  // 'close' rather than 'exit': ssh's last words on stderr are read by then.
  child.on('close', (code) => {
    ended = true;
    if (code === 0) {
      stream.push(null);
    } else {
      const text = Buffer.concat(stderr).toString('utf8').trim();
      stream.destroy(
        Object.assign(
          new Error(
            `command [ssh ${args.join(' ')}] has exited with exit status ${code ?? '(killed by a signal)'}, make sure the URL is valid, and Docker 18.09 or later is installed on the remote host: stderr=${text}`,
          ),
          { code: 'ESSH' },
        ),
      );
    }
  });
  // What the http client calls on a socket; a pipe to ssh has nothing to set.
  Object.assign(stream, {
    setNoDelay: () => stream,
    setKeepAlive: () => stream,
    setTimeout: () => stream,
    ref: () => stream,
    unref: () => stream,
  });
  return stream;
}
