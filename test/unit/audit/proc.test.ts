import { describe, expect, it } from 'vitest';
import { parseTcpListeners, parseUnixListeners, socketInode } from '../../../src/audit/host/proc-net.js';
import { insideId, parseIdMap, parseProcStatus } from '../../../src/audit/host/proc-status.js';

const STATUS = `Name:\tsleep
Umask:\t0022
State:\tS (sleeping)
Uid:\t1000\t1000\t1000\t1000
Gid:\t1000\t1000\t1000\t1000
CapInh:\t0000000000000000
CapPrm:\t0000000000000000
CapEff:\t00000000a80425fb
CapBnd:\t000001ffffffffff
CapAmb:\t0000000000000000
NoNewPrivs:\t1
Seccomp:\t2
Seccomp_filters:\t1
`;

describe('parseProcStatus', () => {
  it('reads uids, capability masks, NoNewPrivs and Seccomp', () => {
    expect(parseProcStatus(STATUS)).toEqual({
      uids: [1000, 1000, 1000, 1000],
      capEff: 0xa80425fbn,
      capBnd: 0x1ffffffffffn,
      noNewPrivs: true,
      seccomp: 2,
    });
  });
  it('undefined when a field is missing or garbled', () => {
    expect(parseProcStatus(STATUS.replace(/^Seccomp:.*$/m, ''))).toBeUndefined();
    expect(parseProcStatus(STATUS.replace('00000000a80425fb', 'zz'))).toBeUndefined();
    expect(parseProcStatus('')).toBeUndefined();
  });
});

describe('uid maps', () => {
  const map = parseIdMap('         0     165536      65536\n');
  it('parses /proc/PID/uid_map', () => {
    expect(map).toEqual([{ inside: 0, outside: 165536, count: 65536 }]);
    expect(parseIdMap('         0          0 4294967295\n')).toEqual([{ inside: 0, outside: 0, count: 4294967295 }]);
  });
  it('maps a host uid into the namespace', () => {
    expect(insideId(map, 165536)).toBe(0);
    expect(insideId(map, 166536)).toBe(1000);
    expect(insideId(map, 1000)).toBeUndefined();
  });
});

describe('/proc/net', () => {
  it('reads TCP listeners of both families, in host byte order', () => {
    const tcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:0947 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1263 1 0 100 0 0 10 0
   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1264 1 0 100 0 0 10 0
   2: 0100007F:9C40 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 1265 1 0 100 0 0 10 0
`;
    expect(parseTcpListeners(tcp)).toEqual([
      { address: '0.0.0.0', port: 2375, inode: 1263 },
      { address: '127.0.0.1', port: 8080, inode: 1264 },
    ]);
    const tcp6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:0948 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2001 1 0 100 0 0 10 0
   1: 00000000000000000000000001000000:0948 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2002 1 0 100 0 0 10 0
   2: 0000000000000000FFFF00000100007F:0948 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2003 1 0 100 0 0 10 0
`;
    expect(parseTcpListeners(tcp6)).toEqual([
      { address: '::', port: 2376, inode: 2001 },
      { address: '::1', port: 2376, inode: 2002 },
      { address: '::ffff:127.0.0.1', port: 2376, inode: 2003 },
    ]);
  });

  it('reads listening unix sockets bound to paths', () => {
    const unix = `Num       RefCount Protocol Flags    Type St Inode Path
0000000041fa71f7: 00000002 00000000 00010000 0001 01 81159 /tmp/pod/podman.sock
00000000a10df54f: 00000002 00000000 00010000 0001 01  4043 /var/run/docker.sock
000000001a0718b6: 00000002 00000000 00000000 0001 03 78824 /var/run/docker.sock
0000000012345678: 00000002 00000000 00010000 0001 01  4044 @/containerd-shim/abc.sock
0000000012345679: 00000002 00000000 00010000 0001 01  4045
`;
    expect(parseUnixListeners(unix)).toEqual([
      { path: '/tmp/pod/podman.sock', inode: 81159 },
      { path: '/var/run/docker.sock', inode: 4043 },
    ]);
  });

  it('socket inodes from fd links', () => {
    expect(socketInode('socket:[4043]')).toBe(4043);
    expect(socketInode('/dev/null')).toBeUndefined();
    expect(socketInode('pipe:[12]')).toBeUndefined();
  });
});
