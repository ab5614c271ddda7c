/**
 * Risky command lines, each with the exact set of rules it must raise (severity low and above).
 * The rules read the merged, converted settings, so every spelling docker accepts for a risky
 * setting must land on the same rule.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { ImageFacts } from '../../../src/engine/engine.js';
import { RULES, ruleById } from '../../../src/policy/catalog.js';
import { ruleScope } from '../../../src/policy/rule-scope.js';
import { APP_IMAGE, ROOT_IMAGE, findingsFor, scratchFiles, warnedRules } from './helpers.js';
import { FAKE } from './fakes.js';

const files = scratchFiles({
  'secrets.env': '# app settings\nLOG_LEVEL=info\nDB_PASSWORD=hunter2\n',
  'tokens.env': `NODE_ENV=production\nGITHUB_TOKEN=${FAKE.github}\n`,
  'hostenv.env': 'LANG\nAPI_KEY\n',
  'allow.json': '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["chmod"],"action":"SCMP_ACT_ERRNO"}]}',
  'log.json': '{"defaultAction":"SCMP_ACT_LOG"}',
  'empty.json': '{}',
});
afterAll(files.cleanup);
const vars = { T: files.dir };

type Row = [line: string, expected: string[]];

/** What docker run does with no flags: the engine's default capabilities, no limits, root, a writable root. */
const DOCKER_DEFAULTS = ['SD113', 'SD117', 'SD118', 'SD119', 'SD126', 'SD127', 'SD128', 'SD155'];
const defaultsAnd = (...extra: string[]): string[] => [...DOCKER_DEFAULTS, ...extra];
const defaultsWithout = (...gone: string[]): string[] => DOCKER_DEFAULTS.filter((id) => !gone.includes(id));

const STRICT: Row[] = [
  // Root, however it is written: -u's value is sent verbatim and the engine parses the uid.
  ['-u0 img', ['SD118']],
  ['-u 0 img', ['SD118']],
  ['-u=0 img', ['SD118']],
  ['-itu0 img', ['SD118']],
  ['--user=0:0 img', ['SD118']],
  ['-u root img', ['SD118']],
  ['-u root:root img', ['SD118']],
  ['--user root:wheel img', ['SD118']],
  ['-u 0:100 img', ['SD118']],
  ['-u 00 img', ['SD118']],
  ['-u +0 img', ['SD118']],
  ['-u :1000 img', ['SD118']],
  // An empty -u keeps strict from choosing a user: the image's root applies.
  ["-u '' img", ['SD118']],

  // Capabilities: every case, with or without CAP_.
  ['--cap-add SYS_ADMIN img', ['SD111']],
  ['--cap-add=cap_sys_admin img', ['SD111']],
  ['--cap-add sys_admin img', ['SD111']],
  ['--cap-add Sys_Admin img', ['SD111']],
  ['--cap-add CAP_SYS_ADMIN img', ['SD111']],
  ['--cap-add ALL img', ['SD111']],
  ['--cap-add all img', ['SD111']],
  ['--cap-add=All img', ['SD111']],
  ['--cap-add SYS_PTRACE --cap-add sys_module img', ['SD111']],
  ['--cap-add dac_read_search img', ['SD111']],
  ['--cap-add SYS_RAWIO img', ['SD111']],
  ['--cap-add BPF --cap-add PERFMON img', ['SD111']],
  ['--cap-add NET_ADMIN img', ['SD111']],
  ['--cap-add cap_sys_time img', ['SD111']],
  ['--cap-add NET_RAW img', ['SD112']],
  ['--cap-add CHOWN --cap-add SETUID img', ['SD112']],
  ['--cap-add DAC_OVERRIDE img', ['SD112']],
  ['--cap-add NET_BIND_SERVICE --cap-add MKNOD img', ['SD112']],

  // Security options, each spelling docker sends.
  ['--security-opt seccomp=unconfined img', ['SD114']],
  ['--security-opt seccomp:unconfined img', ['SD114']],
  ['--security-opt=seccomp=unconfined img', ['SD114']],
  ['--security-opt seccomp=$T/allow.json img', ['SD114']],
  ['--security-opt seccomp=$T/log.json img', ['SD114']],
  ['--security-opt seccomp=$T/empty.json img', ['SD114']],
  ['--security-opt apparmor=unconfined img', ['SD115']],
  ['--security-opt apparmor:unconfined img', ['SD115']],
  ['--security-opt systempaths=unconfined img', ['SD116']],
  ['--security-opt no-new-privileges=false img', ['SD117']],
  ['--security-opt no-new-privileges:false img', ['SD117']],
  ['--security-opt no-new-privileges=0 img', ['SD117']],
  ['--security-opt label=disable img', ['SD131']],
  ['--security-opt label:disable img', ['SD131']],
  ['--security-opt label=type:spc_t img', ['SD131']],

  ['--privileged img', ['SD101']],
  ['--privileged=true img', ['SD101']],
  ['--privileged=1 img', ['SD101']],

  // Namespaces.
  ['--pid host img', ['SD104']],
  ['--pid=host img', ['SD104']],
  ['--ipc host img', ['SD105']],
  ['--ipc=host img', ['SD105']],
  ['--net host img', ['SD106']],
  ['--network=host img', ['SD106']],
  ['--net=host img', ['SD106']],
  ['--network name=host img', ['SD106']],
  ['--uts host img', ['SD107']],
  ['--userns host img', ['SD108']],
  ['--cgroupns host img', ['SD109']],
  ['--network container:db img', ['SD110']],
  ['--pid container:db img', ['SD110']],
  ['--ipc container:db img', ['SD110']],
  ['--net=container:db --pid=container:db img', ['SD110']],

  // Engine sockets: directly, through any parent, through symlinks and `..`, any engine.
  ['-v /var/run/docker.sock:/var/run/docker.sock img', ['SD102']],
  ['-v /run/docker.sock:/var/run/docker.sock img', ['SD102']],
  ['-v /var/run/../run/docker.sock:/s img', ['SD102']],
  ['-v /var/run:/x img', ['SD102', 'SD120']],
  ['-v /run:/x img', ['SD102', 'SD120']],
  ['-v //var//run/:/x img', ['SD102', 'SD120']],
  ['-v /var/run/:/x:ro img', ['SD102', 'SD121']],
  ['--mount type=bind,src=/var/run,dst=/x img', ['SD102', 'SD120']],
  ['--mount type=bind,source=/run/docker.sock,target=/s,readonly img', ['SD102']],
  ['--mount=type=bind,source=/var/run/docker.sock,destination=/s img', ['SD102']],
  ['--mount \'type=bind,"source=/run/docker.sock",target=/s\' img', ['SD102']],
  ['-v /run/podman/podman.sock:/run/podman/podman.sock img', ['SD102']],
  ['-v /run/containerd/containerd.sock:/c.sock img', ['SD102']],
  ['-v /run/containerd:/c img', ['SD102']],
  ['-v /var/run/crio/crio.sock:/crio.sock img', ['SD102']],
  ['-v /run/buildkit:/b img', ['SD102']],
  ['-v /run/user/1000/docker.sock:/d.sock img', ['SD102']],
  ['-v /run/user/1000:/xdg img', ['SD102', 'SD120']],
  ['-v ~/.docker/run/docker.sock:/d.sock img', ['SD102', 'SD120']],
  ['-v /tmp/build/docker.sock:/var/run/docker.sock img', ['SD102']],
  ['-v /srv/podman.sock:/p.sock:ro img', ['SD102']],
  ['-v $PWD/run-link/docker.sock:/s img', ['SD102']],
  ['--use-api-socket img', ['SD103']],
  ['-v /:/host img', ['SD102', 'SD120']],
  ['-v /:/host:ro img', ['SD102', 'SD121']],
  ['--mount type=bind,src=/,dst=/host,readonly,bind-recursive=writable img', ['SD102', 'SD120']],

  // Sensitive host paths: equal, above (/var holds /var/lib/docker), below a whole-tree entry.
  ['-v /etc:/e:ro img', ['SD121']],
  ['-v /etc:/e img', ['SD120']],
  ['-v /etc/:/host-etc:rw img', ['SD120']],
  ['-v /etc/shadow:/s:ro img', ['SD121']],
  ['-v /etc/ssl:/ssl:ro img', ['SD121']],
  // Read-write, but under strict's uid 65534 without capabilities: the file cannot be written.
  ['-v /etc/shadow:/s img', ['SD121']],
  // … unless the user or its capabilities can write it.
  ['-v /etc/localtime:/etc/localtime -u 0 img', ['SD118', 'SD120']],
  ['-v /etc/hosts:/etc/hosts --cap-add DAC_OVERRIDE img', ['SD112', 'SD120']],
  ['-v /etc/hosts:/etc/hosts -u app img', ['SD120']],
  ['-v /etc/hosts:/etc/hosts --security-opt no-new-privileges=false img', ['SD117', 'SD120']],
  ['-v /etc/group-writable.conf:/g -u 65534:1000 img', ['SD120']],
  ['-v /etc/group-writable.conf:/g --group-add 1000 img', ['SD120']],
  ['-v /home/me/.bashrc:/b -u 65534 img', ['SD120']],
  // Folders are judged by what they may hold below, whatever their own mode.
  ['-v /etc:/e -u 1000:1000 img', ['SD120']],
  // Private neighbours of public files.
  ['-v /etc/docker/certs.d/registry.example.com/client.key:/k:ro img', ['SD121']],
  ['-v /etc/krb5.keytab:/k:ro img', ['SD121']],
  ['-v /etc/apt:/apt:ro img', ['SD121']],
  ['-v /etc/ssl:/ssl img', ['SD120']],
  // Device nodes other than the harmless ones stay host exposure.
  ['-v /dev/pts/3:/dev/console img', ['SD120']],
  ['-v /dev/mem:/m:ro img', ['SD121']],
  ['--mount=type=bind,source=/etc,destination=/e img', ['SD120']],
  ['--mount type=bind,src=/etc,dst=/e,ro=true img', ['SD121']],
  ['--mount type=volume,dst=/x,volume-opt=type=none,volume-opt=o=bind,volume-opt=device=/etc img', ['SD120']],
  // Volumes whose options mount the host's disk or kernel file systems, or that cannot be read.
  ['--mount type=volume,dst=/h,volume-opt=type=ext4,volume-opt=device=/dev/vda img', ['SD134']],
  ['--mount type=volume,dst=/p,volume-opt=type=proc,volume-opt=device=proc img', ['SD134']],
  ['--mount type=volume,dst=/x,volume-opt=type=zzfs,volume-opt=device=x img', ['SD135']],
  ['--volume-driver rexray -v data:/data img', ['SD136']],
  ['--mount type=volume,dst=/n,volume-opt=type=nfs,volume-opt=device=:/export img', ['SD137']],
  ['-u 1000:0 img', ['SD138']],
  ['-u 1000 --group-add 0 img', ['SD138']],
  ['-v ~/.ssh:/k img', ['SD120']],
  ['-v ~/.ssh/id_ed25519:/k:ro img', ['SD121']],
  ['-v ~/.aws:/root/.aws:ro img', ['SD121']],
  ['-v ~/.kube/config:/k:ro img', ['SD121']],
  ['-v ~/.gnupg:/g img', ['SD120']],
  ['-v /home/me/.config/gcloud:/gc:ro img', ['SD121']],
  ['-v /proc:/p img', ['SD120']],
  ['-v /proc/1/root:/r:ro img', ['SD121']],
  ['-v /sys/kernel:/k img', ['SD120']],
  ['-v /sys/fs/cgroup:/sys/fs/cgroup:ro img', ['SD121']],
  ['-v /dev:/dev img', ['SD120']],
  ['-v /dev/sda:/disk img', ['SD120']],
  ['-v /var/lib/docker:/d img', ['SD120']],
  ['-v /var/lib/docker/volumes/x/_data:/d img', ['SD120']],
  ['-v /var:/v:ro img', ['SD102', 'SD121']],
  ['-v /home:/h:ro img', ['SD102', 'SD121']],
  ['-v /home/me:/h img', ['SD102', 'SD120']],
  ['-v /root:/r:ro img', ['SD121']],
  ['-v /usr:/usr img', ['SD120']],
  ['-v /usr/local/bin:/b img', ['SD120']],
  ['-v /bin:/b img', ['SD120']],
  ['--mount type=bind,src=/lib,dst=/l img', ['SD120']],
  ['-v /boot:/boot:ro img', ['SD121']],
  ['-v /var/log:/var/log:ro img', ['SD121']],
  ['-v /run/dbus/system_bus_socket:/run/dbus/system_bus_socket img', ['SD120']],
  ['-v $PWD/etc-link:/e img', ['SD120']],
  ['-v ./etc-link:/e:ro img', ['SD121']],
  ['--mount type=bind,src=./etc-link,dst=/e img', ['SD120']],
  ['-v /srv/innocent:/x:ro img', ['SD121']],
  ['-v ../../../etc:/e img', ['SD120']],

  // Dotfiles that run code or hold keys, CI runner credentials, engine state, logs and history.
  ['-v ~/.gitconfig:/home/app/.gitconfig:ro img', ['SD121']],
  ['-v ~/.config/git:/g:ro img', ['SD121']],
  ['-v ~/.config/systemd:/s img', ['SD120']],
  ['-v ~/.zshenv:/z:ro img', ['SD121']],
  ['-v ~/.zprofile:/z:ro img', ['SD121']],
  ['-v ~/.bash_login:/b:ro img', ['SD121']],
  ['-v ~/.pyenv:/p img', ['SD120']],
  ['-v ~/.local/bin:/b img', ['SD120']],
  ['-v ~/.m2:/root/.m2:ro img', ['SD121']],
  ['-v ~/.pgpass:/p:ro img', ['SD121']],
  ['-v ~/.s3cfg:/s:ro img', ['SD121']],
  ['-v ~/.oci:/o:ro img', ['SD121']],
  ['-v ~/.minikube:/m:ro img', ['SD121']],
  // Package state, system state and caches a root container with DAC capabilities could rewrite.
  ['-v /var/lib/dpkg:/d img', ['SD120']],
  ['-v /var/lib/apt:/a img', ['SD120']],
  ['-v /var/lib/ucf:/u img', ['SD120']],
  ['-v /var/lib/polkit-1:/p img', ['SD120']],
  ['-v /var/lib/systemd:/s img', ['SD120']],
  ['-v /var/lib/systemd/credential.secret:/s:ro img', ['SD121']],
  ['-v /var/cache:/c img', ['SD120']],
  ['-v /var/cache/apt:/c img', ['SD120']],
  ['-v /var/cache/debconf:/c:ro img', ['SD121']],
  ['-v /var/mail:/m:ro img', ['SD121']],
  ['-v /var/spool/mail:/m:ro img', ['SD121']],
  ['-v /srv:/s:ro img', ['SD121']],
  ['-v ~/.cargo:/c img', ['SD120']],
  ['-v ~/.cargo/credentials.toml:/c:ro img', ['SD121']],
  ['-v ~/.rustup:/r img', ['SD120']],
  ['-v ~/.npm:/n img', ['SD120']],
  ['-v ~/.cache:/c img', ['SD120']],
  ['-v /home/other/.cache/pip:/c img', ['SD120']],
  ['--mount type=bind,src=/var/lib/dpkg,dst=/d img', ['SD120']],
  ['-v ~/.config/helm:/h:ro img', ['SD121']],
  ['-v ~/.config/rclone:/r:ro img', ['SD121']],
  ['-v ~/.bash_history:/h:ro img', ['SD121']],
  ['-v /home/runner/actions-runner/.credentials:/c:ro img', ['SD121']],
  ['-v /home/runner/actions-runner/.credentials_rsaparams:/c:ro img', ['SD121']],
  ['-v /opt/actions-runner/.credentials:/c:ro img', ['SD121']],
  ['-v /home/gitlab-runner/.gitlab-runner:/g:ro img', ['SD121']],
  ['-v /var/lib/jenkins:/var/jenkins_home img', ['SD120']],
  ['-v /var/lib/cloud:/c:ro img', ['SD121']],
  // Below the engine's run folder: its sockets live there too (SD102).
  ['-v /run/docker/netns:/n:ro img', ['SD102', 'SD121']],
  ['-v /run/docker/runtime-runc:/r img', ['SD102', 'SD120']],
  ['-v /run/containers:/c:ro img', ['SD121']],
  ['-v /var/log/auth.log:/a:ro img', ['SD121']],
  ['-v /var/log/audit:/a:ro img', ['SD121']],

  // Mount propagation.
  ['-v /srv/data:/srv:rshared img', ['SD122']],
  ['-v /srv/data:/data:shared img', ['SD122']],
  ['--mount type=bind,src=/srv/data,dst=/s,bind-propagation=shared img', ['SD122']],
  ['--mount type=bind,src=/srv/data,dst=/s,bind-propagation=rshared img', ['SD122']],

  // Devices.
  // A log driver's unix address that is an engine socket: the engine writes the container's output to it.
  ['--log-driver syslog --log-opt syslog-address=unix:///var/run/docker.sock img', ['SD102']],
  ['--log-driver syslog --log-opt syslog-address=unixgram:///run/docker.sock img', ['SD102']],
  ['--log-driver fluentd --log-opt fluentd-address=unix:///run/containerd/containerd.sock img', ['SD102']],
  ['--log-driver=syslog --log-opt=syslog-address=UNIX:///var/run/docker.sock img', ['SD102']],
  // The engine takes the URL's path: a host part is dropped, escapes decoded.
  ['--log-driver syslog --log-opt syslog-address=unix://localhost/var/run/docker.sock img', ['SD102']],
  ['--log-driver syslog --log-opt syslog-address=unix://x/%76ar/run/docker.sock img', ['SD102']],
  ['--log-driver syslog --log-opt syslog-address=unix:/var/run/docker.sock img', ['SD102']],
  // Other APIs that give root on the host: LXD, Incus, libvirt, snapd.
  ['-v /var/snap/lxd/common/lxd/unix.socket:/s img', ['SD102']],
  ['-v /var/lib/incus/unix.socket:/s:ro img', ['SD102']],
  ['-v /run/libvirt/libvirt-sock:/s img', ['SD102']],
  ['-v /run/libvirt:/l:ro img', ['SD102']],
  ['-v /run/snapd.socket:/run/snapd.socket img', ['SD102']],
  ['-v /run/user/1000/bus:/run/user/1000/bus img', ['SD120']],
  ['-v /run/user/1000/systemd/private:/p:ro img', ['SD121']],
  ['--device /dev/sda img', ['SD123']],
  // Named like a default device but elsewhere: judged by what it is, as any other node.
  ['--device /tmp/null img', ['SD123']],
  ['--device /dev/../dev/mem img', ['SD123']],
  ['--device=/dev/fuse:/dev/fuse:rwm img', ['SD123']],
  ['--device /dev/kmsg:r img', ['SD123']],
  ['--gpus all img', ['SD123']],
  ['--gpus device=0 img', ['SD123']],
  ['--device vendor.com/gpu=0 img', ['SD123']],
  ["--device-cgroup-rule 'c 1:3 mr' img", ['SD124']],
  ["--device-cgroup-rule='b *:* rwm' img", ['SD124']],
  ['--gpus count=1 img', ['SD123']],

  // Ports: strict publishes an address-less -p on 127.0.0.1; a named all-interfaces address stays.
  ['-p 0.0.0.0:80:80 img', ['SD125']],
  ['-p [::]:8080:80 img', ['SD125']],
  ['-p [0::0]:8080:80 img', ['SD125']],
  ['-p 0:0:0:0:0:0:0:0:8080:80 img', ['SD125']],
  ['--publish=0.0.0.0:8080:80/udp img', ['SD125']],
  ['-p 0.0.0.0::80 img', ['SD125']],
  // docker 28 ignores host-ip in the long form: this publishes on every interface.
  ['--publish published=8080,target=80,host-ip=0.0.0.0 img', ['SD125']],
  // -P under strict binds every exposed port to 127.0.0.1 (random host ports): nothing on every interface.
  ['-P --expose 8080 img', []],

  // Limits removed.
  ['--memory 0 img', ['SD126']],
  ['-m 0 img', ['SD126']],
  ['-m0 img', ['SD126']],
  ['--pids-limit -1 img', ['SD127']],
  ['--pids-limit 0 img', ['SD127']],
  ['--pids-limit=-1 img', ['SD127']],
  ['--cpus 0 img', ['SD128']],
  ['--memory 0 --oom-kill-disable img', ['SD126', 'SD133']],

  // Settings that reach the host: OOM score, limits, cgroup parent, runtime, cgroup writes.
  ['--oom-score-adj -1000 img', ['SD150']],
  ['--oom-score-adj=-1 img', ['SD150']],
  ['--ulimit rtprio=99 img', ['SD151']],
  ['--ulimit nofile=2000000 img', ['SD151']],
  ['--ulimit nofile=1024:-1 img', ['SD151']],
  ['--ulimit nice=40 img', ['SD151']],
  ['--ulimit msgqueue=-1 img', ['SD151']],
  ['--ulimit memlock=-1:-1 --memory 0 img', ['SD126', 'SD151']],
  ['--cgroup-parent /system.slice img', ['SD152']],
  ['--cgroup-parent=/ img', ['SD152']],
  ['--runtime nvidia img', ['SD153']],
  ['--runtime runsc img', ['SD153']],
  ['--runtime io.containerd.kata.v2 img', ['SD153']],
  ['--runtime my-runtime img', ['SD153']],
  ['--security-opt systempaths:unconfined img', ['SD116']],
  ['--security-opt writable-cgroups=true img', ['SD154']],
  ['--security-opt writable-cgroups:1 img', ['SD154']],

  // Networks: every entry counts; docker's default bridge is low (CIS 5.30).
  ['--network bridge --network host img', ['SD106', 'SD155']],
  ['--network bridge --network container:db img', ['SD110', 'SD155']],
  ['--network bridge img', ['SD155']],
  ['--net default img', ['SD155']],
  // --link keeps its docker meaning: the run stays on the default bridge.
  ['--link db img', ['SD155']],

  // Secrets in the environment, by name and by value.
  ['-e DB_PASSWORD=hunter2 img', ['SD129']],
  [`-e AWS_SECRET_ACCESS_KEY=${FAKE.awsSecret} img`, ['SD129']],
  [`--env GITHUB_TOKEN=${FAKE.github} img`, ['SD129']],
  [`-e X=${FAKE.awsKeyId} img`, ['SD129']],
  ['-e DATABASE_URL=postgres://u:p@db/x img', ['SD129']],
  ['-e REDIS_URL=redis://:s3cret@cache:6379/0 img', ['SD129']],
  ['-e HTTP_PROXY=http://user:pw@proxy:3128 img', ['SD129']],
  ['--env-file $T/secrets.env img', ['SD129']],
  ['--env-file $T/tokens.env img', ['SD129']],
  ['--env-file $T/hostenv.env img', ['SD129']],
  ['-e API_KEY img', ['SD129']],
  ['--env=JWT_SECRET=abc123 img', ['SD129']],
  ['-e MYSQL_ROOT_PASSWORD=changeme img', ['SD129']],
  ['-e dbPassword=x1 img', ['SD129']],
  ['-e DBPASSWORD=hunter2 img', ['SD129']],
  ['-e RABBITMQ_DEFAULT_PASS=guest2 img', ['SD129']],
  ['-e STRIPE_SECRET_KEY_B64=c2VjcmV0 img', ['SD129']],
  [`-e SLACK=${FAKE.slack} img`, ['SD129']],
  [`-e PAYMENTS=${FAKE.stripe} img`, ['SD129']],
  [`-e MAPS=${FAKE.google} img`, ['SD129']],
  [`-e SESSION=${FAKE.jwt} img`, ['SD129']],
  [`-e CI_ACCESS=${FAKE.gitlab} img`, ['SD129']],
  [`-e REGISTRY=${FAKE.npm} img`, ['SD129']],
  [`-e GH=${FAKE.githubPat} img`, ['SD129']],
  [`-e 'SSH_IDENTITY=${FAKE.pem}' img`, ['SD129']],
  ['-e "CONN=Server=db;User Id=sa;Password=Passw0rd!;" img', ['SD129']],
  ['-e BASIC_AUTH=admin:hunter2 img', ['SD129']],
  ['-e LDAP_BIND_PW=s3cr3t img', ['SD129']],
  ['-e PRIVATEKEY=abc123def img', ['SD129']],
  ['-e SECRETKEY=abc123def img', ['SD129']],
  ['-e "AUTHORIZATION=Bearer abc.def.ghi" img', ['SD129']],
  ['-e "X_HEADERS=Authorization: Basic dXNlcjpwYXNz" img', ['SD129']],
  ['-e \'DOCKER_AUTH_CONFIG={"auths":{"r.example.com":{"auth":"dXNlcjpwYXNz"}}}\' img', ['SD129']],
  [
    '-e "AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=a;AccountKey=bG9uZ2tleQ==;EndpointSuffix=core.windows.net" img',
    ['SD129'],
  ],
  ['-e "STORAGE=DefaultEndpointsProtocol=https;AccountName=a;AccountKey=bG9uZ2tleQ==" img', ['SD129']],
  ['-e "MNEMONIC=abandon ability able about above absent absorb abstract absurd abuse access accident" img', ['SD129']],
  ['-e DISCORD_WEBHOOK_URL=https://discord.com/api/webhooks/1234/abcDEF img', ['SD129']],
  ['-e HOOK=https://discord.com/api/webhooks/1234/abcDEF img', ['SD129']],
  ['-e CERT_KEY=abc123def img', ['SD129']],
  ['-e ENCRYPT_KEY=abc123def img', ['SD129']],

  // Sysctls outside the safe set.
  ['--sysctl kernel.msgmax=1 img', ['SD130']],
  ['--sysctl net.ipv4.ip_forward=1 img', ['SD130']],
  ['--sysctl net.core.somaxconn=1024 img', ['SD130']],
  ['--sysctl fs.mqueue.msg_max=100 img', ['SD130']],
  ['--sysctl net.ipv4.conf.all.route_localnet=1 img', ['SD130']],

  // Several at once.
  ['-u0 --cap-add sys_admin img', ['SD111', 'SD118']],
  ['--privileged -v /:/host --pid host img', ['SD101', 'SD102', 'SD104', 'SD120']],
  [
    `-u root --net host -v /var/run/docker.sock:/var/run/docker.sock -e GITHUB_TOKEN=${FAKE.github} img`,
    ['SD102', 'SD106', 'SD118', 'SD129'],
  ],
  [
    '--cap-add ALL --security-opt seccomp=unconfined --security-opt apparmor=unconfined img',
    ['SD111', 'SD114', 'SD115'],
  ],
  [
    '--pid host --ipc host --net host --uts host --userns host --cgroupns host img',
    ['SD104', 'SD105', 'SD106', 'SD107', 'SD108', 'SD109'],
  ],
  ['--memory 0 --pids-limit -1 --cpus 0 --read-only=false img', ['SD119', 'SD126', 'SD127', 'SD128']],
];

/** Under none the run is docker's own: its defaults are risks too. */
const NONE: Array<[line: string, expected: string[], image?: ImageFacts | null]> = [
  ['busybox', DOCKER_DEFAULTS],
  ['-it --rm busybox sh', DOCKER_DEFAULTS],
  ['busybox', DOCKER_DEFAULTS, null],
  ['busybox', defaultsWithout('SD118'), APP_IMAGE],
  ['-u 0 busybox', DOCKER_DEFAULTS, APP_IMAGE],
  ['-u 1000 busybox', defaultsWithout('SD118')],
  ['-p 80:80 img', defaultsAnd('SD125')],
  ['-p 8080:80 -p 8443:443 img', defaultsAnd('SD125')],
  ['-p 8000-8001:9000-9001 img', defaultsAnd('SD125')],
  ['--publish published=8080,target=80 img', defaultsAnd('SD125')],
  ['-p :::8080:80 img', defaultsAnd('SD125')],
  ['-P img', [...defaultsWithout('SD118'), 'SD125'], APP_IMAGE],
  ['-P img', defaultsAnd('SD125'), null],
  ['--network host -p 80:80 img', [...defaultsWithout('SD155'), 'SD106']],
  ['--network none -p 0.0.0.0:80:80 img', defaultsWithout('SD155')],
  ['--privileged img', [...defaultsWithout('SD113'), 'SD101']],
  ['--privileged --security-opt seccomp=unconfined img', [...defaultsWithout('SD113'), 'SD101', 'SD114']],
  ['--cap-drop ALL img', defaultsWithout('SD113')],
  ['--cap-drop NET_RAW img', DOCKER_DEFAULTS],
  ['--cap-drop ALL --cap-add NET_BIND_SERVICE img', defaultsWithout('SD113')],
  ['--cap-add SYS_ADMIN img', defaultsAnd('SD111')],
  ['--cap-add all --cap-drop all img', [...defaultsWithout('SD113'), 'SD111']],
  ['--cap-add CHOWN img', defaultsAnd('SD112')],
  ['--security-opt no-new-privileges img', defaultsWithout('SD117')],
  // The last no-new-privileges wins, as in the engine.
  ['--security-opt no-new-privileges --security-opt no-new-privileges=false img', DOCKER_DEFAULTS],
  ['--security-opt no-new-privileges=false --security-opt no-new-privileges img', defaultsWithout('SD117')],
  ['--read-only img', defaultsWithout('SD119')],
  ['-m 256m --pids-limit 100 --cpus 1 img', defaultsWithout('SD126', 'SD127', 'SD128')],
  ['--cpu-shares 512 img', defaultsWithout('SD128')],
  ['--cpuset-cpus 0 img', defaultsWithout('SD128')],
  ['--oom-kill-disable img', defaultsAnd('SD133')],
  ['--oom-kill-disable -m 512m img', defaultsWithout('SD126')],
  ['-v /var/run/docker.sock:/var/run/docker.sock img', defaultsAnd('SD102')],
  ['--use-api-socket img', defaultsAnd('SD103')],
  ['-e DB_PASSWORD=hunter2 img', defaultsAnd('SD129')],
  ['--pid host --ipc host --uts host img', defaultsAnd('SD104', 'SD105', 'SD107')],
  ['--network mynet img', defaultsWithout('SD155')],
  ['--network host img', [...defaultsWithout('SD155'), 'SD106']],
  // Root writes what it owns: a read-write zone file is host exposure under docker's defaults.
  ['-v /etc/localtime:/etc/localtime img', defaultsAnd('SD120')],
  // Without a memory limit, locked memory has no bound.
  ['--ulimit memlock=-1:-1 img', defaultsAnd('SD151')],
];

/** compat adds six capabilities (five outside PSS restricted) and keeps a writable root. */
const COMPAT_BASE = ['SD112', 'SD118', 'SD119', 'SD155'];
const COMPAT: Array<[line: string, expected: string[], image?: ImageFacts | null]> = [
  ['busybox', COMPAT_BASE],
  ['busybox', COMPAT_BASE, null],
  ['busybox', ['SD112', 'SD119', 'SD155'], APP_IMAGE],
  ['-u 1000 busybox', ['SD112', 'SD119', 'SD155']],
  ['-u root busybox', COMPAT_BASE, APP_IMAGE],
  ['--read-only busybox', ['SD112', 'SD118', 'SD155']],
  ['-p 8080:80 busybox', COMPAT_BASE],
  ['-p 0.0.0.0:8080:80 busybox', [...COMPAT_BASE, 'SD125']],
  ['--cap-add SYS_PTRACE busybox', [...COMPAT_BASE, 'SD111']],
  ['--pids-limit -1 busybox', [...COMPAT_BASE, 'SD127']],
  ['-v /etc:/e:ro busybox', [...COMPAT_BASE, 'SD121']],
  ['--security-opt no-new-privileges=false busybox', [...COMPAT_BASE, 'SD117']],
  ['--runtime runsc busybox', [...COMPAT_BASE, 'SD153']],
  ['--network mynet busybox', ['SD112', 'SD118', 'SD119']],
];

const SANDBOX: Row[] = [
  ['--network host busybox', ['SD106']],
  ['-u0 busybox', ['SD118']],
  ['--sysctl net.ipv4.ip_forward=1 busybox', ['SD130']],
  ['--memory 0 busybox', ['SD126']],
  ['--network bridge busybox', ['SD155']],
];

describe('risky command lines under strict (the default preset)', () => {
  it.each(STRICT)('%s', async (line, expected) => {
    expect(warnedRules(await findingsFor(line, { vars }))).toEqual([...expected].sort());
  });
});

describe('risky command lines under none (docker run as is)', () => {
  it.each(NONE)('%s (image %o)', async (line, expected, image) => {
    expect(
      warnedRules(await findingsFor(line, { preset: 'none', image: image === undefined ? ROOT_IMAGE : image, vars })),
    ).toEqual([...expected].sort());
  });
});

describe('risky command lines under compat', () => {
  it.each(COMPAT)('%s (image %o)', async (line, expected, image) => {
    expect(
      warnedRules(await findingsFor(line, { preset: 'compat', image: image === undefined ? ROOT_IMAGE : image, vars })),
    ).toEqual([...expected].sort());
  });
});

describe('risky command lines under sandbox', () => {
  it.each(SANDBOX)('%s', async (line, expected) => {
    expect(warnedRules(await findingsFor(line, { preset: 'sandbox', vars }))).toEqual([...expected].sort());
  });
});

describe('finding keys', () => {
  it('every finding of a per-item rule names its item; the key is the rule id, then the item', async () => {
    for (const [line] of STRICT) {
      for (const f of await findingsFor(line, { vars })) {
        const perItem = ruleById(f.rule)?.item !== undefined;
        expect(f.item !== undefined, `${line}: ${f.rule}`).toBe(perItem);
        expect(f.key).toBe(perItem ? `${f.rule}:${f.item ?? ''}` : f.rule);
      }
    }
  });
});

describe('the table', () => {
  it('has at least 100 rows, a good share outside strict', () => {
    expect(STRICT.length + NONE.length + COMPAT.length + SANDBOX.length).toBeGreaterThanOrEqual(100);
    expect(NONE.length + COMPAT.length).toBeGreaterThanOrEqual(40);
  });
  it('makes every rule above info fire at least once', () => {
    const fired = new Set([...STRICT, ...NONE, ...COMPAT, ...SANDBOX].flatMap((row) => row[1]));
    const settings = RULES.filter((r) => ruleScope(r.id) === 'settings');
    // Rules that read facts gathered from this host's files or the engine fire in host-facts.test.ts
    // and unenforced-limits.test.ts instead.
    const hostFactsOnly = new Set(['SD139', 'SD170']);
    expect(
      settings.filter((r) => r.severity !== 'info' && !fired.has(r.id) && !hostFactsOnly.has(r.id)).map((r) => r.id),
    ).toEqual([]);
  });
});
