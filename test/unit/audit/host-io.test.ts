import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFile } from '../../../src/audit/daemon/file-checks.js';
import { fileFacts } from '../../../src/audit/host/file-facts.js';
import { readCmdline, readProcess, socketInodes, tcpListenersOf } from '../../../src/audit/host/read-process.js';

// These read this host's /proc and file system (no engine): the same calls the audit makes on the
// engine's process and files, checked against processes and files the test makes itself.

describe('a real process, read from /proc', () => {
  let child: ChildProcess;
  let port = 0;
  beforeAll(async () => {
    child = spawn(
      process.execPath,
      [
        '-e',
        "const s=require('net').createServer().listen(0,'127.0.0.1',()=>console.log(s.address().port));setInterval(()=>{},1e6)",
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    port = await new Promise<number>((resolve) =>
      child.stdout?.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
    );
  });
  afterAll(() => {
    child.kill('SIGKILL');
  });

  it('finds the TCP port it listens on, and only its own', async () => {
    const pid = child.pid ?? 0;
    const inodes = await socketInodes(pid);
    const listeners = await tcpListenersOf(pid, inodes);
    expect(listeners.map((l) => [l.address, l.port])).toEqual([['127.0.0.1', port]]);
    // Our own process listens on nothing.
    expect(await tcpListenersOf(process.pid, await socketInodes(process.pid))).toEqual([]);
  });

  it('reads its command line, uid, capabilities and namespaces', async () => {
    const pid = child.pid ?? 0;
    expect((await readCmdline(pid))[0]).toBe(process.execPath);
    const view = await readProcess(pid);
    expect(view.status.uids[0]).toBe(process.getuid?.());
    expect(view.namespaces.pid).toMatch(/^pid:\[\d+\]$/);
    expect(view.cgroup).not.toBe('');
  });

  it('a process that is gone cannot be read, with the reason', async () => {
    await expect(readProcess(2 ** 22 + 7)).rejects.toThrow(/cannot read \/proc\/\d+\/status/);
  });
});

describe('a real socket file and its mode', () => {
  let dir: string;
  let server: Server;
  const path = () => join(dir, 'engine.sock');
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'safedock-audit-'));
    server = createServer();
    await new Promise<void>((resolve) => server.listen(path(), resolve));
  });
  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('0660 passes; 0666 is critical (every local user would be root)', async () => {
    const uid = process.getuid?.() ?? 0;
    const host = { uid, socketGid: undefined };
    chmodSync(path(), 0o660);
    const facts = await fileFacts(path());
    expect(facts).toMatchObject({ state: 'present', kind: 'socket', mode: 0o660, uid });
    const gid = facts.state === 'present' ? facts.gid : -1;
    expect(checkFile({ role: 'engine-socket', facts }, { ...host, socketGid: gid })).toBeUndefined();
    chmodSync(path(), 0o666);
    const loose = checkFile({ role: 'engine-socket', facts: await fileFacts(path()) }, { ...host, socketGid: gid });
    expect(loose).toEqual({
      rule: 'SD202',
      detail: `CIS 3.16: ${path()} (the engine socket): mode 0666 is looser than 0660`,
    });
  });

  it('a missing file is missing', async () => {
    expect(await fileFacts(join(dir, 'nope'))).toEqual({ path: join(dir, 'nope'), state: 'missing' });
  });
});
