#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node --
// The least a Node program can take to do what `docker run --rm IMAGE CMD…` does: the benchmark's
// yardstick for safedock's run (scripts/bench.mjs prints it beside docker). No policy, no presets,
// no dockerode, not even node:http: the requests the docker CLI sends (ping, create, attach, wait,
// start), written by hand on the engine's unix socket, one connection each. Started through this
// shebang, as safedock's bin is, so Node's own start is measured the same way.
//
//   scripts/bench/node-floor.cjs IMAGE [CMD…]     (exit status: the container's)
//
// The engine is DOCKER_HOST when it is a unix:// address, else /var/run/docker.sock.
'use strict';
const net = require('node:net');

const host = process.env.DOCKER_HOST;
const socketPath = host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
if (host !== undefined && host !== '' && !host.startsWith('unix://')) {
  process.stderr.write(`node-floor: DOCKER_HOST=${host}: only a unix:// engine is measured\n`);
  process.exit(2);
}

/** Sends one request; resolves with the socket once the response's headers are in, and the bytes so far. */
function send(method, path, body) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    const payload = body === undefined ? '' : JSON.stringify(body);
    const upgrade = path.includes('/attach') ? 'Connection: Upgrade\r\nUpgrade: tcp\r\n' : 'Connection: close\r\n';
    socket.write(
      `${method} ${path} HTTP/1.1\r\nHost: docker\r\n${upgrade}Content-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`,
    );
    let seen = '';
    const onData = (chunk) => {
      seen += chunk.toString('latin1');
      if (!seen.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      resolve({ socket, head: seen });
    };
    socket.on('data', onData);
    socket.on('error', reject);
  });
}

/** The rest of a response until the engine closes the connection. */
function rest({ socket, head }) {
  return new Promise((resolve, reject) => {
    let text = head;
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

function status(text, what) {
  const code = Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1]);
  if (code >= 300 && code !== 101) throw new Error(`${what}: ${text.slice(text.indexOf('\r\n\r\n') + 4).trim()}`);
}

async function main() {
  const [image, ...cmd] = process.argv.slice(2);
  if (image === undefined) throw new Error('usage: node-floor.cjs IMAGE [CMD…]');
  status(await rest(await send('HEAD', '/_ping')), 'ping');
  const created = await rest(
    await send('POST', '/containers/create', {
      Image: image,
      ...(cmd.length > 0 ? { Cmd: cmd } : {}),
      AttachStdout: true,
      AttachStderr: true,
      HostConfig: { AutoRemove: true },
    }),
  );
  status(created, 'create');
  const id = /"Id":"([0-9a-f]+)"/.exec(created)?.[1];
  const attached = await send('POST', `/containers/${id}/attach?stream=1&stdout=1&stderr=1`);
  status(attached.head, 'attach');
  const output = rest(attached);
  const waiting = await send('POST', `/containers/${id}/wait?condition=removed`);
  status(waiting.head, 'wait');
  const exited = rest(waiting);
  status(await rest(await send('POST', `/containers/${id}/start`)), 'start');
  const [waited] = await Promise.all([exited, output]);
  return Number(/"StatusCode":(\d+)/.exec(waited)?.[1] ?? 125);
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    process.stderr.write(`node-floor: ${err.message}\n`);
    process.exitCode = 125;
  },
);
