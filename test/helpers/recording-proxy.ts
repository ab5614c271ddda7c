import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { rmSync } from 'node:fs';

/** One request the client sent, as the engine would have received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface RecordingProxy {
  socketPath: string;
  requests: RecordedRequest[];
  /** The container-create requests seen so far. */
  creates(): RecordedRequest[];
  close(): Promise<void>;
}

const CREATE = /^\/v[\d.]+\/containers\/create(\?|$)|^\/containers\/create(\?|$)/;

/**
 * A unix-socket proxy in front of the engine that records every request.
 * Requests to create a container are answered by the proxy itself with an error after being
 * recorded, so that comparing what two clients send never creates a container (unless
 * `forwardCreates`: then they reach the engine like every other request).
 */
export async function startRecordingProxy(
  socketPath: string,
  engineSocket = '/var/run/docker.sock',
  options: { forwardCreates?: boolean } = {},
): Promise<RecordingProxy> {
  rmSync(socketPath, { force: true });
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      let body: unknown = null;
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          body = raw.toString('utf8');
        }
      }
      const path = req.url ?? '/';
      requests.push({ method: req.method ?? 'GET', path, body });
      if (req.method === 'POST' && CREATE.test(path) && options.forwardCreates !== true) {
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ message: 'recorded by the test proxy; not created' }));
        return;
      }
      const upstream = httpRequest(
        { socketPath: engineSocket, method: req.method, path, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', (err) => {
        res.writeHead(502);
        res.end(String(err));
      });
      upstream.end(raw);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  return {
    socketPath,
    requests,
    creates: () => requests.filter((r) => r.method === 'POST' && CREATE.test(r.path)),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
