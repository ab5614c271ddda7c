/**
 * --probe: how safedock learn tells that a server works. `tcp:PORT` (a connection succeeds) or
 * `http:PORT[/PATH]` (an HTTP answer below 500), PORT being the container's.
 */
import { Socket } from 'node:net';
import { request } from 'node:http';

export type Probe = { kind: 'tcp'; port: number } | { kind: 'http'; port: number; path: string };

/** Parses --probe; undefined with a message when the value is not one of the two forms. */
export function parseProbe(value: string): Probe | string {
  const m = /^(tcp|http):(\d{1,5})(\/[^\s]*)?$/.exec(value.trim());
  const port = Number(m?.[2]);
  if (m === null || !(port >= 1 && port <= 65535))
    return `--probe ${value}: expected tcp:PORT or http:PORT[/PATH] with the container's port (1-65535), e.g. --probe http:80/`;
  if (m[1] === 'tcp') return m[3] === undefined ? { kind: 'tcp', port } : `--probe ${value}: a tcp probe takes no path`;
  return { kind: 'http', port, path: m[3] ?? '/' };
}

export const probeText = (p: Probe): string =>
  p.kind === 'tcp' ? `tcp:${String(p.port)}` : `http:${String(p.port)}${p.path}`;

/** One attempt at an address: the answer, or undefined. */
export function tryProbe(probe: Probe, host: string, port: number, timeoutMs = 1000): Promise<string | undefined> {
  return probe.kind === 'tcp' ? tryTcp(host, port, timeoutMs) : tryHttp(host, port, probe.path, timeoutMs);
}

function tryTcp(host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (answer: string | undefined): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.once('error', () => done(undefined));
    socket.connect(port, host, () => done('accepted a connection'));
  });
}

function tryHttp(host: string, port: number, path: string, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({ host, port, path, method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(status > 0 && status < 500 ? `answered ${String(status)}` : undefined);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}
