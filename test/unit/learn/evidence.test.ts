import { describe, expect, it } from 'vitest';
import { parseEvidence, type Evidence } from '../../../src/learn/evidence.js';
import { pathNear } from '../../../src/learn/evidence-patterns.js';

/** A finding without its line (each member of the union on its own). */
type Expected = (Evidence extends infer E ? (E extends Evidence ? Omit<E, 'line'> : never) : never) | undefined;

/**
 * Error lines as the programs print them (the hardened runs of this project's test images, and the
 * formats of each program's sources and manuals), with the one finding each must give, or none.
 */
const LINES: ReadonlyArray<[program: string, line: string, expected: Expected]> = [
  // nginx
  [
    'nginx',
    '2026/12/04 15:07:06 [emerg] 1#1: mkdir() "/var/lib/nginx/body" failed (30: Read-only file system)',
    { kind: 'read-only', path: '/var/lib/nginx/body' },
  ],
  [
    'nginx',
    'nginx: [alert] could not open error log file: open() "/var/log/nginx/error.log" failed (13: Permission denied)',
    { kind: 'denied', path: '/var/log/nginx/error.log' },
  ],
  [
    'nginx',
    '2026/12/04 15:07:06 [emerg] 1#1: open() "/run/nginx.pid" failed (30: Read-only file system)',
    { kind: 'read-only', path: '/run/nginx.pid' },
  ],
  [
    'nginx',
    '2026/12/04 15:07:06 [emerg] 1#1: bind() to 0.0.0.0:80 failed (13: Permission denied)',
    { kind: 'bind', port: 80 },
  ],
  [
    'nginx',
    '2026/12/04 15:07:06 [emerg] 1#1: bind() to [::]:443 failed (13: Permission denied)',
    { kind: 'bind', port: 443 },
  ],
  [
    'nginx',
    '2026/12/04 15:07:28 [emerg] 1#1: chown("/var/lib/nginx/body", 33) failed (1: Operation not permitted)',
    { kind: 'not-permitted', op: 'chown', path: '/var/lib/nginx/body' },
  ],
  [
    'nginx',
    '2026/12/04 15:07:28 [emerg] 7#7: setgid(33) failed (1: Operation not permitted)',
    { kind: 'not-permitted', op: 'setgid' },
  ],
  ['nginx', '2026/12/04 15:07:28 [emerg] 1#1: getpwnam("www-data") failed', { kind: 'no-user', user: 'www-data' }],
  [
    'nginx',
    '2026/12/04 15:07:28 [alert] 8#8: setrlimit(RLIMIT_NOFILE, 1048576) failed (1: Operation not permitted)',
    { kind: 'not-permitted', op: 'setrlimit' },
  ],
  [
    'nginx',
    '2026/12/04 15:07:28 [emerg] 8#8: io_setup() failed (1: Operation not permitted)',
    { kind: 'syscall', syscall: 'io_setup' },
  ],
  [
    'nginx',
    '2026/12/04 15:07:06 [warn] 1#1: the "user" directive makes sense only if the master process runs with super-user privileges, ignored in /etc/nginx/nginx.conf:1',
    undefined,
  ],
  // apache2ctl (coreutils) and apache2
  [
    'apache2ctl',
    "mkdir: cannot create directory '/var/run/apache2': Read-only file system",
    { kind: 'read-only', path: '/var/run/apache2' },
  ],
  [
    'apache2ctl',
    "mktemp: failed to create directory via template '/var/run/apache2/socks.XXXXXXXXXX': No such file or directory",
    undefined,
  ],
  [
    'apache2ctl',
    "chown: changing ownership of '/var/run/apache2/socks.qDv5nfEv3D': Operation not permitted",
    { kind: 'not-permitted', op: 'chown', path: '/var/run/apache2/socks.qDv5nfEv3D' },
  ],
  ['apache2ctl', "chmod: missing operand after '755'", undefined],
  [
    'apache2',
    '(30)Read-only file system: AH00091: apache2: could not open error log file /var/log/apache2/error.log.',
    { kind: 'read-only', path: '/var/log/apache2/error.log' },
  ],
  [
    'apache2',
    '(13)Permission denied: AH00091: apache2: could not open error log file /var/log/apache2/error.log.',
    { kind: 'denied', path: '/var/log/apache2/error.log' },
  ],
  [
    'apache2',
    '(13)Permission denied: AH00072: make_sock: could not bind to address [::]:80',
    { kind: 'bind', port: 80 },
  ],
  [
    'apache2',
    '(13)Permission denied: AH00072: make_sock: could not bind to address 0.0.0.0:80',
    { kind: 'bind', port: 80 },
  ],
  [
    'apache2',
    '[Thu Dec 04 15:07:28.123 2026] [unixd:alert] [pid 9] (1)Operation not permitted: AH02156: setgid: unable to set group id to Group 33',
    { kind: 'not-permitted', op: 'setgid' },
  ],
  [
    'apache2',
    '[unixd:alert] [pid 9] (1)Operation not permitted: AH02157: initgroups: unable to set groups for User www-data and Group 33',
    { kind: 'not-permitted', op: 'setgroups' },
  ],
  ['apache2', 'AH00543: apache2: bad user name www-data', { kind: 'no-user', user: 'www-data' }],
  [
    'apache2',
    "AH00558: apache2: Could not reliably determine the server's fully qualified domain name, using 172.17.0.2. Set the 'ServerName' directive globally to suppress this message",
    undefined,
  ],
  // postgres
  [
    'postgres',
    '2026-12-04 15:07:06.677 UTC [1] FATAL:  could not create lock file "postmaster.pid": Read-only file system',
    { kind: 'read-only', path: 'postmaster.pid' },
  ],
  [
    'postgres',
    '2026-12-04 15:07:06.677 UTC [1] FATAL:  could not create lock file "/var/run/postgresql/.s.PGSQL.5432.lock": Permission denied',
    { kind: 'denied', path: '/var/run/postgresql/.s.PGSQL.5432.lock' },
  ],
  [
    'initdb',
    'initdb: error: could not create directory "/var/lib/postgresql/data/pg_wal": Permission denied',
    { kind: 'denied', path: '/var/lib/postgresql/data/pg_wal' },
  ],
  [
    'docker-entrypoint.sh (postgres)',
    "chmod: changing permissions of '/var/lib/postgresql/data': Operation not permitted",
    { kind: 'not-permitted', op: 'chmod', path: '/var/lib/postgresql/data' },
  ],
  [
    'initdb',
    'initdb: could not look up effective user ID 1000: user does not exist',
    { kind: 'no-user', user: '1000' },
  ],
  ['postgres', '2026-12-04 15:07:35.523 UTC [1] LOG:  database system is ready to accept connections', undefined],
  // redis
  [
    'redis-server',
    '1:M 04 Dec 2026 15:07:06.123 # Failed opening the temp RDB file temp-1.rdb (in server root dir /data) for saving: Read-only file system',
    { kind: 'read-only', path: '/data/temp-1.rdb' },
  ],
  [
    'redis-server',
    '1:M 04 Dec 2026 15:07:06.123 # Failed opening the RDB file dump.rdb (in server root dir /var/lib/redis) for saving: Permission denied',
    { kind: 'denied', path: '/var/lib/redis/dump.rdb' },
  ],
  [
    'redis-server',
    '1:M 04 Dec 2026 15:07:06.123 # Warning: Could not create server TCP listening socket *:80: bind: Permission denied',
    { kind: 'bind', port: 80 },
  ],
  [
    'redis-server',
    '1:M 04 Dec 2026 15:07:06.123 # Warning: Could not create server TCP listening socket *:6379: bind: Address already in use',
    undefined,
  ],
  // php-fpm
  [
    'php-fpm',
    '[04-Dec-2026 15:07:06] ERROR: failed to open error_log (/var/log/php8.2-fpm.log): Read-only file system (30)',
    { kind: 'read-only', path: '/var/log/php8.2-fpm.log' },
  ],
  [
    'php-fpm',
    "[04-Dec-2026 15:07:06] ERROR: unable to bind listening socket for address '127.0.0.1:80': Permission denied (13)",
    { kind: 'bind', port: 80 },
  ],
  [
    'php-fpm',
    '[04-Dec-2026 15:07:06] ERROR: [pool www] failed to setgid(33): Operation not permitted (1)',
    { kind: 'not-permitted', op: 'setgid' },
  ],
  [
    'php-fpm',
    "[04-Dec-2026 15:07:06] ERROR: [pool www] cannot get uid for user 'www-data'",
    { kind: 'no-user', user: 'www-data' },
  ],
  [
    'php-fpm',
    '[04-Dec-2026 15:07:06] ERROR: Unable to create the PID file (/run/php/php8.2-fpm.pid).: Read-only file system (30)',
    { kind: 'read-only', path: '/run/php/php8.2-fpm.pid' },
  ],
  [
    'php-fpm',
    "[04-Dec-2026 15:07:06] ERROR: failed to chown() the socket '/run/php/php8.2-fpm.sock': Operation not permitted (1)",
    { kind: 'not-permitted', op: 'chown', path: '/run/php/php8.2-fpm.sock' },
  ],
  // node and npm
  ['node', "Error: EROFS: read-only file system, open '/app/data.json'", { kind: 'read-only', path: '/app/data.json' }],
  [
    'node',
    "Error: EACCES: permission denied, mkdir '/app/node_modules/.cache'",
    { kind: 'denied', path: '/app/node_modules/.cache' },
  ],
  ['node', 'Error: listen EACCES: permission denied 0.0.0.0:80', { kind: 'bind', port: 80 }],
  [
    'node',
    "Error: EPERM: operation not permitted, chown '/app/uploads'",
    { kind: 'not-permitted', op: 'chown', path: '/app/uploads' },
  ],
  [
    'npm',
    "npm ERR! Error: EACCES: permission denied, mkdir '/nonexistent/.npm'",
    { kind: 'denied', path: '/nonexistent/.npm' },
  ],
  // python
  [
    'python',
    "PermissionError: [Errno 13] Permission denied: '/app/logs/app.log'",
    { kind: 'denied', path: '/app/logs/app.log' },
  ],
  ['python', "OSError: [Errno 30] Read-only file system: '/app/cache'", { kind: 'read-only', path: '/app/cache' }],
  ['python', 'PermissionError: [Errno 13] Permission denied', undefined],
  ['gunicorn', "[2026-12-04 15:07:06 +0000] [1] [ERROR] Can't connect to ('0.0.0.0', 80)", undefined],
  [
    'uvicorn',
    "ERROR:    [Errno 13] error while attempting to bind on address ('0.0.0.0', 80): permission denied",
    { kind: 'bind', port: 80 },
  ],
  // java
  [
    'java',
    'java.io.FileNotFoundException: /var/log/app/app.log (Read-only file system)',
    { kind: 'read-only', path: '/var/log/app/app.log' },
  ],
  [
    'java',
    'java.io.FileNotFoundException: /opt/app/logs/server.log (Permission denied)',
    { kind: 'denied', path: '/opt/app/logs/server.log' },
  ],
  [
    'java',
    'java.nio.file.FileSystemException: /tmp/hsperfdata_root: Read-only file system',
    { kind: 'read-only', path: '/tmp/hsperfdata_root' },
  ],
  ['java', 'Caused by: java.nio.file.AccessDeniedException: /opt/app/data', { kind: 'denied', path: '/opt/app/data' }],
  // mysql / mariadb
  [
    'mysqld',
    "2026-12-04T15:07:06.123Z 0 [ERROR] [MY-010273] [Server] mysqld: Can't create/write to file '/var/lib/mysql/is_writable' (OS errno 30 - Read-only file system)",
    { kind: 'read-only', path: '/var/lib/mysql/is_writable' },
  ],
  [
    'mariadbd',
    `2026-12-04 15:07:06 0 [ERROR] mariadbd: Can't create/write to file '/run/mysqld/mysqld.pid' (Errcode: 30 "Read-only file system")`,
    { kind: 'read-only', path: '/run/mysqld/mysqld.pid' },
  ],
  [
    'mysqld',
    `2026-12-04 15:07:06 0 [ERROR] mysqld: Can't create/write to file '/tmp/ibXXXXXX' (Errcode: 13 "Permission denied")`,
    { kind: 'denied', path: '/tmp/ibXXXXXX' },
  ],
  [
    'mysqld',
    "2026-12-04 15:07:06 0 [ERROR] Fatal error: Can't change to run as user 'mysql' ;  Please check that the user exists!",
    { kind: 'no-user', user: 'mysql' },
  ],
  // supervisord
  [
    'supervisord',
    "PermissionError: [Errno 30] Read-only file system: '/var/log/supervisor/supervisord.log'",
    { kind: 'read-only', path: '/var/log/supervisor/supervisord.log' },
  ],
  ['supervisord', "2026-12-04 15:07:06,123 CRIT Can't drop privilege as nonroot user", { kind: 'needs-root' }],
  // cron
  [
    'cron',
    "cron: can't open or create /var/run/crond.pid: Read-only file system",
    { kind: 'read-only', path: '/var/run/crond.pid' },
  ],
  // sshd
  ['sshd', 'Bind to port 22 on 0.0.0.0 failed: Permission denied.', { kind: 'bind', port: 22 }],
  [
    'sshd',
    'fatal: chroot("/run/sshd"): Operation not permitted [preauth]',
    { kind: 'not-permitted', op: 'chroot', path: '/run/sshd' },
  ],
  ['sshd', 'setgroups: Operation not permitted', { kind: 'not-permitted', op: 'setgroups' }],
  // shells and start scripts
  [
    'dash',
    '/docker-entrypoint.sh: 12: cannot create /etc/nginx/conf.d/default.conf: Read-only file system',
    { kind: 'read-only', path: '/etc/nginx/conf.d/default.conf' },
  ],
  ['bash', 'bash: /etc/motd: Read-only file system', { kind: 'read-only', path: '/etc/motd' }],
  [
    'busybox',
    "mkdir: can't create directory '/run/nginx': Read-only file system",
    { kind: 'read-only', path: '/run/nginx' },
  ],
  ['busybox', 'touch: /var/log/x.log: Permission denied', { kind: 'denied', path: '/var/log/x.log' }],
  [
    'sed -i',
    "sed: couldn't open temporary file /etc/nginx/sedAbc123: Read-only file system",
    { kind: 'read-only', path: '/etc/nginx/sedAbc123' },
  ],
  // user switching, capabilities, seccomp
  ['gosu', 'error: failed switching to "postgres": operation not permitted', { kind: 'not-permitted', op: 'setuid' }],
  [
    'the engine',
    'docker: Error response from daemon: unable to find user app: no matching entries in passwd file.',
    { kind: 'no-user', user: 'app' },
  ],
  [
    'su',
    'su: user postgres does not exist or the user entry does not contain all the required fields',
    { kind: 'no-user', user: 'postgres' },
  ],
  ['su', 'su: must be suid to work properly', { kind: 'needs-root' }],
  [
    'sudo',
    'sudo: The "no new privileges" flag is set, which prevents sudo from running as root.',
    { kind: 'needs-root' },
  ],
  ['ping', 'ping: => missing cap_net_raw+p capability or setuid?', { kind: 'capability', capability: 'NET_RAW' }],
  ['util-linux unshare', 'unshare: unshare failed: Operation not permitted', { kind: 'syscall', syscall: 'unshare' }],
  ['ping', 'ping: socket: Operation not permitted', { kind: 'syscall', syscall: 'socket' }],
  ['nice', 'nice: cannot set niceness: Permission denied', { kind: 'not-permitted', op: 'nice' }],
  // lines that look close but are not the hardening's doing
  ['curl', 'curl: (7) Failed to connect to localhost port 80: Connection refused', undefined],
  ['any', 'Listening on http://0.0.0.0:8080/ (Permission denied was fixed in 1.2)', undefined],
  ['any', 'GET /index.html HTTP/1.1 200 1234', undefined],
];

describe('parseEvidence: real error lines of many programs', () => {
  it.each(LINES)('%s: %s', (_program, line, expected) => {
    const found = parseEvidence(line);
    if (expected === undefined) {
      expect(found).toEqual([]);
    } else {
      expect(found).toEqual([{ ...expected, line }]);
    }
  });

  it('reads every line of an output, once per finding, in order', () => {
    const output = [
      '2026/12/04 [emerg] 1#1: mkdir() "/var/lib/nginx/body" failed (30: Read-only file system)',
      'some other line',
      '2026/12/04 [emerg] 1#1: mkdir() "/var/lib/nginx/body" failed (30: Read-only file system)\r',
      "\x1b[31mPermissionError: [Errno 13] Permission denied: '/srv/x'\x1b[0m",
    ].join('\n');
    expect(parseEvidence(output).map((e) => e.kind)).toEqual(['read-only', 'denied']);
  });

  it('cuts absurdly long lines instead of scanning them whole', () => {
    const line = `${'x'.repeat(100_000)} Read-only file system: '/a'`;
    expect(parseEvidence(line)).toEqual([]);
  });
});

describe('pathNear', () => {
  it.each([
    ['a /one: b /two: Read-only file system', 'Read-only', '/two'],
    ["Read-only file system, open '/after'", 'Read-only', '/after'],
    ['2026/12/04 nothing "postmaster.pid": Read-only', 'Read-only', 'postmaster.pid'],
    ['see https://example.org/x: Permission denied', 'Permission', undefined],
    ["'www-data' Permission denied", 'Permission', undefined],
  ])('%s', (line, word, path) => {
    expect(pathNear(line, line.indexOf(word))).toBe(path);
  });
});
