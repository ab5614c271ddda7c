/**
 * Ordinary command lines: under strict (and sandbox) they must raise nothing at severity low or
 * above. An image named by tag raises only SD132, which is info.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ENV, fakeHost, findingsFor, scratchFiles, warnedRules } from './helpers.js';

const files = scratchFiles({
  'plain.env':
    '# settings\nNODE_ENV=production\nPORT=3000\nPOSTGRES_PASSWORD_FILE=/run/secrets/db\nLOG_LEVEL=debug\nAPP_ENV\n',
  'deny.json':
    '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","write","exit_group"],"action":"SCMP_ACT_ALLOW"}]}',
  'db.txt': 'hunter2\n',
  'home/.npmrc': '//registry.npmjs.org/:_authToken=x\n',
  'home/.aws/credentials': '[default]\n',
  'home/.ssh/id_ed25519': 'key\n',
});
afterAll(files.cleanup);
const vars = { T: files.dir };

const DIGEST = `sha256:${'ab12'.repeat(16)}`;

const STRICT: string[] = [
  '-it --rm busybox sh',
  '-d --rm img',
  '--entrypoint /bin/sh img -c "echo hi"',
  // Ports: strict publishes an address-less -p on 127.0.0.1.
  '-p 8080:80 nginx',
  '-p 8080:80/udp img',
  '-p 127.0.0.1:8080:80 nginx',
  '-p [::1]:8080:80 nginx',
  '-p 192.168.1.10:8080:80 img',
  '--publish published=8080,target=80 img',
  '--expose 8080 img',
  // Environment.
  '-e NODE_ENV=production img',
  '-e PORT=3000 img',
  '-e AUTHOR=me -e GIT_AUTHOR_NAME=me img',
  '-e TOKENIZERS_PARALLELISM=false img',
  '-e POSTGRES_PASSWORD_FILE=/run/secrets/db img',
  '-e DATABASE_URL=postgres://db:5432/app img',
  '-e SECRET_NAME=db-password img',
  '-e DB_PASSWORD= img',
  '-e MYSQL_ALLOW_EMPTY_PASSWORD=yes img',
  '-e TOKEN_TTL=3600 -e PASSWORD_MIN_LENGTH=12 img',
  '-e AUTH_TYPE=basic -e AUTH=ldap img',
  '-e SSH_AUTH_SOCK=/ssh-agent img',
  '-e GOOGLE_APPLICATION_CREDENTIALS=/secrets/gcp.json img',
  '-e PRIVATE_KEY_PATH=/keys/id -e AWS_ACCESS_KEY_ID_FILE=/run/secrets/aws img',
  '-e NEXTAUTH_URL=https://app.example.com img',
  '-e SENTRY_DSN=https://publickey@o1.ingest.sentry.io/1 img',
  '-e PASSWORD img',
  '-e LANG img',
  '--env-file $T/plain.env img',
  // Mounts of ordinary host paths and volumes.
  '-v $PWD:/app img',
  '-v .:/app img',
  '-v $PWD/data:/data:ro img',
  '-v /tmp/x:/x img',
  '-v /etc/localtime:/etc/localtime:ro img',
  '-v /etc/timezone:/etc/timezone:ro img',
  '-v /etc/ssl/certs:/etc/ssl/certs:ro img',
  '-v /etc/passwd:/etc/passwd:ro -v /etc/group:/etc/group:ro img',
  '-v /srv/data:/data img',
  '-v /opt/app/config:/config:ro img',
  '-v /lib/modules:/lib/modules:ro img',
  '-v /usr/share/zoneinfo:/usr/share/zoneinfo:ro img',
  '-v /usr:/host/usr:ro -v /bin:/host/bin:ro img',
  '-v /var/log/nginx:/var/log/nginx img',
  '-v /srv/data:/data:rslave img',
  '-v data:/data img',
  '-v /data img',
  '--mount type=volume,src=data,dst=/data img',
  '--mount type=volume,src=data,dst=/data,volume-opt=type=tmpfs,volume-opt=device=tmpfs,volume-opt=o=size=64m img',
  '--mount type=bind,src=$PWD,dst=/app,readonly img',
  '--mount type=tmpfs,dst=/cache img',
  '--tmpfs /run img',
  '--tmpfs /var/cache:size=64m img',
  '--secret db=$T/db.txt img',
  // Blanking a file, and the other device nodes every container has: not host exposure.
  '-v /dev/null:/app/some.conf img',
  '-v /dev/null:/etc/app.conf:ro img',
  '--mount type=bind,src=/dev/null,dst=/app/x img',
  '-v /dev/urandom:/dev/random:ro img',
  // Files that only publish, read-only: resolver, TLS, Kerberos realm, package sources, host keys.
  '-v /etc/krb5.conf:/etc/krb5.conf:ro img',
  '-v /etc/ssl/openssl.cnf:/etc/ssl/openssl.cnf:ro img',
  '-v /etc/ca-certificates.conf:/etc/ca-certificates.conf:ro img',
  '-v /etc/docker/certs.d:/etc/docker/certs.d:ro img',
  '-v /etc/apt/sources.list:/etc/apt/sources.list:ro img',
  '-v /etc/apt/sources.list.d:/etc/apt/sources.list.d:ro img',
  '-v /etc/resolv.conf:/etc/resolv.conf:ro img',
  '-v ~/.ssh/known_hosts:/home/app/.ssh/known_hosts:ro img',
  '-v /home/other/.ssh/known_hosts:/k:ro img',
  '-v ~/.pyenv:/pyenv:ro img',
  // Log drivers with ordinary addresses.
  '--log-driver syslog --log-opt syslog-address=unixgram:///dev/log img',
  '--log-driver syslog --log-opt syslog-address=tcp://127.0.0.1:514 img',
  '--log-driver fluentd --log-opt fluentd-address=unix:///var/run/fluent.sock img',
  // Devices every container has anyway.
  '--device /dev/null img',
  '--device /dev/null:/dev/sda img',
  '--device=/dev/urandom:/dev/random:r img',
  '--device /dev/zero --device /dev/full --device /dev/tty img',
  // Nothing secret in them: read-only, they only publish.
  '-v /var/lib/dpkg:/var/lib/dpkg:ro img',
  '-v ~/.cargo/registry:/usr/local/cargo/registry:ro img',
  '-v ~/.npm:/home/node/.npm:ro img',
  // A site below /srv, not /srv itself.
  '-v /srv/www:/usr/share/nginx/html img',
  // Read-write, but strict's uid 65534 without capabilities cannot write them on the host.
  '-v /etc/localtime:/etc/localtime img',
  '-v /etc/timezone:/etc/timezone img',
  '-v /etc/hosts:/etc/hosts img',
  '-v /etc/krb5.conf:/etc/krb5.conf -u 1000:1000 img',
  // GPUs: a request for none gives nothing.
  '--gpus count=0 img',
  // Limits within bounds; the OOM score raised, not lowered; runc named.
  '--oom-score-adj 0 img',
  '--ulimit nofile=1048576:1048576 img',
  '--ulimit memlock=-1:-1 img',
  '--ulimit rtprio=0 --ulimit nice=0 img',
  '--ulimit core=0 --ulimit stack=8388608 img',
  '--runtime runc img',
  '--security-opt writable-cgroups=false img',
  // Capabilities, users, limits.
  '--cap-drop NET_RAW img',
  '--cap-add NET_BIND_SERVICE img',
  '--cap-add cap_net_bind_service img',
  '-u 1000 img',
  '-u 1000:1000 img',
  '-u app img',
  '-u nobody:nogroup img',
  '-u 1000:100 img',
  '--group-add 1000 img',
  '--memory 256m img',
  '--pids-limit 100 img',
  '--cpus 0.5 img',
  '--read-only img',
  '--shm-size 128m img',
  '--oom-score-adj 100 img',
  '--device-read-bps /dev/sda:1mb img',
  // Networks and namespaces that stay private.
  '--network none img',
  '--network safedock img',
  '--network mynet --network-alias web img',
  '--ipc private img',
  '--ipc shareable img',
  '--cgroupns private img',
  '--hostname h img',
  '--add-host a:1.2.3.4 img',
  '--dns 1.1.1.1 img',
  // Everything else.
  '--name x img',
  '-w /app img',
  '--init img',
  '--restart on-failure:3 img',
  "--health-cmd 'curl -f http://localhost/' --health-interval 30s img",
  '--label a=b img',
  '--sysctl net.ipv4.ip_unprivileged_port_start=0 img',
  "--sysctl 'net.ipv4.ping_group_range=0 2147483647' img",
  '--sysctl kernel.shm_rmid_forced=1 img',
  '--ulimit nofile=1024:2048 img',
  '--log-opt max-size=1m img',
  '--stop-signal SIGTERM img',
  '--platform linux/amd64 img',
  // Security options that keep or tighten confinement.
  '--security-opt no-new-privileges img',
  '--security-opt no-new-privileges=true img',
  '--security-opt seccomp=$T/deny.json img',
  '--security-opt seccomp=builtin img',
  '--security-opt apparmor=docker-default img',
  '--security-opt label=level:s0:c100,c200 img',
  '--security-opt label=type:container_t img',
];

/** --secret sources are secret mounts: ~/.npmrc and ~/.aws/credentials, as SD121's own fix says. */
const SECRETS: string[] = [
  '--secret npmrc=$H/.npmrc img',
  '--secret aws=$H/.aws/credentials img',
  '--secret key=$H/.ssh/id_ed25519 img',
];

const SANDBOX: string[] = [
  'busybox',
  '-it --rm busybox sh',
  '-v $PWD:/work:ro busybox',
  '-u 1000 busybox',
  '--memory 128m busybox',
  '-e NODE_ENV=test busybox',
];

describe('ordinary command lines under strict raise nothing', () => {
  it.each(STRICT)('%s', async (line) => {
    const findings = await findingsFor(line, { vars });
    expect(warnedRules(findings), findings.map((f) => `${f.rule} ${f.detail}`).join('\n')).toEqual([]);
  });
});

describe('--secret from the home folder raises nothing; the same file by -v is SD121', () => {
  const home = `${files.dir}/home`;
  const host = fakeHost({ home, env: { ...ENV, HOME: home } });
  it.each(SECRETS)('%s', async (line) => {
    expect(warnedRules(await findingsFor(line, { vars: { ...vars, H: home }, host }))).toEqual([]);
    const mounted = line.replace(/--secret \w+=(\S+)/, '-v $1:/run/secrets/x:ro');
    expect(warnedRules(await findingsFor(mounted, { vars: { ...vars, H: home }, host }))).toEqual(['SD121']);
  });
});

describe('--secret from outside your home folder is judged as the mount it is', () => {
  const home = `${files.dir}/home`;
  const host = fakeHost({ home, env: { ...ENV, HOME: home } });
  it.each([
    ['--secret s=/etc/shadow img', 'SD121'],
    ['--secret s=/etc/../etc/shadow img', 'SD121'],
    ['--secret k=/root/.bashrc img', 'SD121'],
  ])('%s → %s', async (line, rule) => {
    expect(warnedRules(await findingsFor(line, { vars: { ...vars, H: home }, host }))).toEqual([rule]);
  });
});

describe('ordinary command lines under sandbox raise nothing', () => {
  it.each(SANDBOX)('%s', async (line) => {
    expect(warnedRules(await findingsFor(line, { preset: 'sandbox', vars }))).toEqual([]);
  });
});

describe('hardened by hand, preset none raises nothing', () => {
  it('every default tightened on the command line', async () => {
    const line =
      '-u 1000:1000 --read-only --cap-drop ALL --security-opt no-new-privileges -m 256m --pids-limit 100 --cpus 1 --network mynet -p 127.0.0.1:8080:80 img';
    expect(warnedRules(await findingsFor(line, { preset: 'none' }))).toEqual([]);
  });
});

describe('SD132: an image named by tag is info only; a digest raises nothing', () => {
  it('a tag: one info finding naming the image', async () => {
    const findings = await findingsFor('-it --rm busybox:1.36 sh');
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'SD132',
        severity: 'info',
        origin: 'user',
        detail: expect.stringContaining('busybox:1.36') as string,
      }),
    ]);
  });
  it.each([`img@${DIGEST}`, `registry.example.com:5000/team/img:1.2@${DIGEST}`])('%s', async (image) => {
    expect(await findingsFor(`--rm ${image}`)).toEqual([]);
  });
});

it('the table is large enough to mean something', () => {
  expect(STRICT.length + SANDBOX.length).toBeGreaterThanOrEqual(50);
});
