import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE, TEST_LABEL_ARGS, engineSocket, runCli, runDocker } from '../helpers/engine.js';

/** A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl. */
function makeCertificates(dir: string): void {
  const ssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  };
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=safedock test CA',
    '-keyout',
    'ca-key.pem',
    '-out',
    'ca.pem',
  );
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  ssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    'server-key.pem',
    '-out',
    'server.csr',
  );
  ssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca-key.pem',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    'server.ext',
    '-out',
    'server-cert.pem',
  );
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=client', '-keyout', 'key.pem', '-out', 'client.csr');
  ssl(
    'x509',
    '-req',
    '-in',
    'client.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca-key.pem',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    'client.ext',
    '-out',
    'cert.pem',
  );
}

let dir: string;
let server: Server;
let port: number;
let verifiedClients = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'safedock-tls-'));
  makeCertificates(dir);
  // An engine endpoint that speaks TLS and demands a client certificate signed by the CA, in
  // front of the local socket: what `dockerd --tlsverify -H tcp://…` offers.
  server = createServer(
    {
      key: readFileSync(join(dir, 'server-key.pem')),
      cert: readFileSync(join(dir, 'server-cert.pem')),
      ca: readFileSync(join(dir, 'ca.pem')),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (tlsSocket) => {
      if (tlsSocket.authorized) verifiedClients++;
      const engine = netConnect(engineSocket());
      tlsSocket.pipe(engine);
      engine.pipe(tlsSocket);
      tlsSocket.on('error', () => engine.destroy());
      engine.on('error', () => tlsSocket.destroy());
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('an engine behind TLS with client certificates (DOCKER_TLS_VERIFY)', () => {
  it('runs a container with the certificates from DOCKER_CERT_PATH', async () => {
    const before = verifiedClients;
    const r = await runCli(
      ['run', '--rm', '-u', '1000', ...TEST_LABEL_ARGS, TEST_IMAGE, 'sh', '-c', 'echo via-tls; exit 3'],
      {
        env: { DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: dir },
      },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('via-tls\n');
    expect(r.code).toBe(3);
    expect(verifiedClients).toBeGreaterThan(before);
  });

  it('refuses an engine whose certificate the CA did not sign, naming the address', async () => {
    const other = mkdtempSync(join(tmpdir(), 'safedock-tls-other-'));
    try {
      makeCertificates(other);
      const r = await runCli(['run', '--rm', ...TEST_LABEL_ARGS, TEST_IMAGE, 'true'], {
        env: { DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: other },
      });
      expect(r.code).toBe(125);
      expect(r.stderr).toContain(`127.0.0.1:${port}`);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('names the missing certificate file, with docker’s words and exit code', async () => {
    const env = {
      DOCKER_HOST: `tcp://127.0.0.1:${port}`,
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: join(dir, 'nowhere'),
    };
    const r = await runCli(['run', '--rm', TEST_IMAGE, 'true'], { env });
    const docker = await runDocker(['run', '--rm', TEST_IMAGE, 'true'], { env });
    const missing = `open ${join(dir, 'nowhere', 'ca.pem')}: no such file or directory`;
    expect(docker.stderr).toContain(`Failed to initialize: unable to resolve docker endpoint: ${missing}`);
    expect(r.stderr).toContain(`Failed to initialize: unable to resolve docker endpoint: ${missing}`);
    expect(r.code).toBe(docker.code);
  });

  it('--tlsverify with --tlscacert, --tlscert and --tlskey before the command', async () => {
    const r = await runCli(
      [
        '-H',
        `tcp://127.0.0.1:${port}`,
        '--tlsverify',
        '--tlscacert',
        join(dir, 'ca.pem'),
        '--tlscert',
        join(dir, 'cert.pem'),
        '--tlskey',
        join(dir, 'key.pem'),
        'run',
        '--rm',
        '-u',
        '1000',
        ...TEST_LABEL_ARGS,
        TEST_IMAGE,
        'echo',
        'flags',
      ],
      { env: { DOCKER_HOST: undefined, DOCKER_CERT_PATH: join(dir, 'nowhere') } },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('flags\n');
  });

  it('a docker context with TLS material (docker context create … ca=,cert=,key=) runs through it', async () => {
    const config = mkdtempSync(join(tmpdir(), 'safedock-tls-ctx-'));
    try {
      const ctxEnv = { DOCKER_CONFIG: config, DOCKER_HOST: undefined, DOCKER_TLS_VERIFY: undefined };
      const created = await runDocker(
        [
          'context',
          'create',
          'tls',
          '--docker',
          `host=tcp://127.0.0.1:${port},ca=${join(dir, 'ca.pem')},cert=${join(dir, 'cert.pem')},key=${join(dir, 'key.pem')}`,
        ],
        { env: ctxEnv },
      );
      expect(created.code, created.stderr).toBe(0);
      const before = verifiedClients;
      const r = await runCli(
        ['--context', 'tls', 'run', '--rm', '-u', '1000', ...TEST_LABEL_ARGS, TEST_IMAGE, 'echo', 'ctx'],
        {
          env: ctxEnv,
        },
      );
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('ctx\n');
      expect(verifiedClients).toBeGreaterThan(before);
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
  });
});
