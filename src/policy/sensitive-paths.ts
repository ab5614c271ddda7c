/**
 * The host paths a mount must not expose, and the ones that are safe to share read-only: data,
 * each entry with the reason the finding shows. The matching (symlinks, `..`, folders above an
 * entry, the home folder) is in host-paths.ts.
 */

/**
 * How far a sensitive entry reaches:
 * - exact: the path itself and every folder above it (mounting /var exposes /var/lib/docker);
 * - tree:  also anything below it (/etc/shadow, ~/.ssh/id_rsa, /proc/1);
 * - write: like tree, but only for read-write mounts: the entry holds nothing secret (a read-only
 *          /usr or ~/.pyenv leaks nothing), while a write replaces programs the host runs.
 */
export type Reach = 'exact' | 'tree' | 'write';

export interface SensitivePath {
  path: string;
  reach: Reach;
  /** What the path holds, for the finding's detail ("/etc holds …"). */
  reason: string;
}

const STARTUP = 'shell startup commands: they often export tokens, and a write plants commands you will run';
const HISTORY = 'commands typed on the host, passwords given on command lines among them';

/** Host paths that must not be mounted. Home-relative entries follow (HOME_SENSITIVE). */
export const SENSITIVE_PATHS: readonly SensitivePath[] = [
  { path: '/', reach: 'exact', reason: "the host's whole file system" },
  {
    path: '/etc',
    reach: 'tree',
    reason: 'host configuration: users, password hashes, sudoers, SSH host keys, service credentials',
  },
  { path: '/proc', reach: 'tree', reason: "the host's processes and kernel settings" },
  { path: '/sys', reach: 'tree', reason: 'kernel and device settings of the host' },
  { path: '/dev', reach: 'tree', reason: "the host's device nodes (disks, memory, terminals)" },
  { path: '/boot', reach: 'tree', reason: 'the kernel, initramfs and boot loader configuration' },
  { path: '/root', reach: 'tree', reason: "root's SSH keys, shell history and credentials" },
  { path: '/home', reach: 'exact', reason: "every user's home folder" },
  { path: '/usr', reach: 'write', reason: "the host's programs and libraries" },
  { path: '/bin', reach: 'write', reason: "the host's programs" },
  { path: '/sbin', reach: 'write', reason: "the host's system programs" },
  { path: '/lib', reach: 'write', reason: "the host's libraries and kernel modules" },
  { path: '/lib32', reach: 'write', reason: "the host's libraries" },
  { path: '/lib64', reach: 'write', reason: "the host's libraries and dynamic loader" },
  {
    path: '/var/lib/docker',
    reach: 'tree',
    reason: "Docker's data: every container's files, volumes and image layers",
  },
  { path: '/var/lib/containerd', reach: 'tree', reason: "containerd's data: every container's files and image layers" },
  {
    path: '/var/lib/containers',
    reach: 'tree',
    reason: "Podman and CRI-O data: every container's files and image layers",
  },
  {
    path: '/var/lib/kubelet',
    reach: 'tree',
    reason: "the kubelet's data, with every pod's secrets and service account tokens",
  },
  { path: '/var/lib/rancher', reach: 'tree', reason: 'k3s and RKE2 data, with the cluster token and credentials' },
  {
    path: '/var/lib/jenkins',
    reach: 'tree',
    reason: "Jenkins' home: its credentials store, the key that decrypts it, and every job's workspace",
  },
  {
    path: '/var/lib/cloud',
    reach: 'tree',
    reason: "cloud-init's data: the instance's user-data, which often carries passwords, tokens and keys",
  },
  { path: '/var/log', reach: 'exact', reason: "the host's logs, authentication logs included" },
  { path: '/var/log/auth.log', reach: 'tree', reason: 'logins, sudo commands and SSH attempts on the host' },
  { path: '/var/log/secure', reach: 'tree', reason: 'logins, sudo commands and SSH attempts on the host' },
  { path: '/var/log/audit', reach: 'tree', reason: "the host's audit trail: every audited command and file access" },
  { path: '/var/log/btmp', reach: 'tree', reason: 'failed logins, passwords typed as user names among them' },
  { path: '/var/backups', reach: 'tree', reason: 'backups of system files, such as shadow.bak with password hashes' },
  { path: '/var/spool/cron', reach: 'tree', reason: 'crontabs, which run commands as their owners' },
  { path: '/var/spool/mail', reach: 'tree', reason: "the host users' mail" },
  { path: '/var/mail', reach: 'tree', reason: "the host users' mail" },
  {
    path: '/var/lib/dpkg',
    reach: 'write',
    reason: "the package database: a write plants maintainer scripts that run as root at the host's next upgrade",
  },
  {
    path: '/var/lib/apt',
    reach: 'write',
    reason: "apt's package lists: a write decides which packages the host installs next",
  },
  {
    path: '/var/lib/ucf',
    reach: 'write',
    reason: 'the record of configuration files packages manage: a write decides what an upgrade overwrites',
  },
  {
    path: '/var/lib/polkit-1',
    reach: 'write',
    reason: "polkit's local authority rules: a write grants any user root's actions",
  },
  {
    path: '/var/lib/systemd',
    reach: 'write',
    reason: "systemd's state: timers, linger settings and the key it seals credentials with",
  },
  {
    path: '/var/lib/systemd/credential.secret',
    reach: 'tree',
    reason: 'the key systemd encrypts service credentials with',
  },
  {
    path: '/var/cache',
    reach: 'write',
    reason: "the host's caches: downloaded packages apt installs, and others programs trust",
  },
  {
    path: '/var/cache/debconf',
    reach: 'tree',
    reason: "debconf's answers, passwords given to package installers among them (passwords.dat)",
  },
  { path: '/srv', reach: 'exact', reason: 'every site and service the host serves' },
  { path: '/run/secrets', reach: 'tree', reason: 'decrypted secrets placed there by secret managers' },
  { path: '/run/credentials', reach: 'tree', reason: 'credentials systemd hands to services' },
  {
    path: '/run/dbus',
    reach: 'tree',
    reason: 'the system D-Bus socket, through which root can have systemd run commands on the host',
  },
  { path: '/run/systemd', reach: 'tree', reason: "systemd's control sockets" },
  {
    path: '/run/user/*/bus',
    reach: 'tree',
    reason: "a user's session bus, through which their systemd runs commands as them on the host",
  },
  {
    path: '/run/user/*/systemd',
    reach: 'tree',
    reason: "a user's systemd control socket, which starts services as them on the host",
  },
  {
    path: '/run/docker',
    reach: 'tree',
    reason:
      "the engine's state: handles on containers' network namespaces (netns), the runtime's state (runtime-runc), plugin sockets",
  },
  {
    path: '/run/containers',
    reach: 'tree',
    reason: "Podman's and CRI-O's state, with registry credentials (auth.json) of root's logins",
  },
  {
    path: '/opt/actions-runner/.credentials',
    reach: 'tree',
    reason: "a GitHub Actions runner's credentials: they register the runner and fetch jobs with their secrets",
  },
  {
    path: '/opt/actions-runner/.credentials_rsaparams',
    reach: 'tree',
    reason: "a GitHub Actions runner's private key",
  },
  { path: '/etc/docker/certs.d/*/client.key', reach: 'tree', reason: "a registry client's private key" },
];

/** Sensitive paths below a home folder (the user's own, root's, every /home/*); the home folder itself is `exact`. */
export const HOME_SENSITIVE: readonly SensitivePath[] = [
  { path: '.ssh', reach: 'tree', reason: 'SSH private keys and trusted hosts' },
  { path: '.gnupg', reach: 'tree', reason: 'GnuPG private keys' },
  { path: '.docker', reach: 'tree', reason: "registry credentials (config.json) and Docker Desktop's engine socket" },
  { path: '.aws', reach: 'tree', reason: 'AWS credentials' },
  { path: '.azure', reach: 'tree', reason: 'Azure CLI credentials' },
  { path: '.config/gcloud', reach: 'tree', reason: 'Google Cloud credentials' },
  { path: '.oci', reach: 'tree', reason: 'Oracle Cloud API keys' },
  { path: '.s3cfg', reach: 'tree', reason: "s3cmd's access and secret keys" },
  { path: '.config/rclone', reach: 'tree', reason: "rclone's remotes, with their passwords and tokens" },
  { path: '.kube', reach: 'tree', reason: 'Kubernetes cluster credentials' },
  { path: '.minikube', reach: 'tree', reason: "minikube's cluster CA key and client keys" },
  { path: '.config/helm', reach: 'tree', reason: "Helm's repository passwords and registry logins" },
  { path: '.config/gh', reach: 'tree', reason: "the GitHub CLI's token" },
  { path: '.config/containers', reach: 'tree', reason: 'Podman registry credentials (auth.json)' },
  { path: '.netrc', reach: 'tree', reason: 'passwords for FTP, HTTP and git hosts' },
  { path: '.git-credentials', reach: 'tree', reason: "git's stored passwords and tokens" },
  {
    path: '.gitconfig',
    reach: 'tree',
    reason:
      "git's settings: tokens in http.extraHeader, and commands git runs (core.pager, core.fsmonitor) that a write replaces",
  },
  {
    path: '.config/git',
    reach: 'tree',
    reason:
      "git's settings: tokens in http.extraHeader, and commands git runs (core.pager, core.fsmonitor) that a write replaces",
  },
  { path: '.npmrc', reach: 'tree', reason: 'npm registry tokens' },
  { path: '.pypirc', reach: 'tree', reason: 'PyPI upload credentials' },
  { path: '.m2', reach: 'tree', reason: "Maven's settings.xml, with repository passwords" },
  { path: '.pgpass', reach: 'tree', reason: 'PostgreSQL passwords' },
  { path: '.vault-token', reach: 'tree', reason: 'a HashiCorp Vault token' },
  { path: '.terraform.d', reach: 'tree', reason: 'Terraform Cloud credentials' },
  { path: '.password-store', reach: 'tree', reason: "pass's encrypted password store" },
  { path: '.local/share/keyrings', reach: 'tree', reason: "the desktop keyring's saved passwords" },
  { path: '.bashrc', reach: 'tree', reason: STARTUP },
  { path: '.bash_profile', reach: 'tree', reason: STARTUP },
  { path: '.bash_login', reach: 'tree', reason: STARTUP },
  { path: '.profile', reach: 'tree', reason: STARTUP },
  { path: '.zshrc', reach: 'tree', reason: STARTUP },
  { path: '.zshenv', reach: 'tree', reason: STARTUP },
  { path: '.zprofile', reach: 'tree', reason: STARTUP },
  { path: '.bash_history', reach: 'tree', reason: HISTORY },
  { path: '.zsh_history', reach: 'tree', reason: HISTORY },
  {
    path: '.config/systemd',
    reach: 'tree',
    reason: 'user services and timers: a write plants a program systemd runs as you',
  },
  {
    path: '.pyenv',
    reach: 'write',
    reason: "pyenv's shims and Pythons: while pyenv is on PATH, a write replaces the python you run",
  },
  { path: '.local/bin', reach: 'write', reason: 'programs on your PATH: a write replaces what you run' },
  {
    path: '.cargo',
    reach: 'write',
    reason: "cargo's programs on your PATH and its registry cache: a write replaces what you run or build",
  },
  { path: '.cargo/credentials.toml', reach: 'tree', reason: 'crates.io tokens' },
  { path: '.cargo/credentials', reach: 'tree', reason: 'crates.io tokens' },
  {
    path: '.rustup',
    reach: 'write',
    reason: 'the Rust toolchains you run: a write replaces the compiler',
  },
  {
    path: '.npm',
    reach: 'write',
    reason: "npm's package cache and npx's programs: a write replaces what npm installs and npx runs",
  },
  {
    path: '.cache',
    reach: 'write',
    reason: 'caches programs trust without checking (pip wheels, go builds, pre-commit hooks): a write plants code',
  },
  {
    path: 'actions-runner/.credentials',
    reach: 'tree',
    reason: "a GitHub Actions runner's credentials: they register the runner and fetch jobs with their secrets",
  },
  { path: 'actions-runner/.credentials_rsaparams', reach: 'tree', reason: "a GitHub Actions runner's private key" },
  { path: '.gitlab-runner', reach: 'tree', reason: "a GitLab runner's config.toml, with its runner tokens" },
];

/** A path that is safe to share read-only, and why. */
export interface BenignPath {
  /** Absolute, or `~/…` for one below every home folder. Covers what lies below it. */
  path: string;
  reason: string;
}

const TIME = "the host's time zone, public";
const RESOLVER = 'name resolution settings, public on the host';
const TLS = 'public CA certificates and TLS library settings';

/**
 * Files and folders below a sensitive tree that only publish (time zone, resolver and TLS library
 * settings, public certificates, the user list without password hashes, known host keys): fine
 * when mounted read-only. Private neighbours stay sensitive (/etc/ssl/private, /etc/krb5.keytab,
 * /etc/apt/auth.conf.d, ~/.ssh/id_*).
 */
export const BENIGN_READ_ONLY: readonly BenignPath[] = [
  { path: '/etc/localtime', reason: TIME },
  { path: '/etc/timezone', reason: TIME },
  { path: '/etc/hostname', reason: "the host's name" },
  { path: '/etc/hosts', reason: RESOLVER },
  { path: '/etc/resolv.conf', reason: RESOLVER },
  { path: '/etc/nsswitch.conf', reason: RESOLVER },
  { path: '/etc/host.conf', reason: RESOLVER },
  { path: '/etc/gai.conf', reason: RESOLVER },
  { path: '/etc/machine-id', reason: "the host's id, which journald clients read to find the host's journal" },
  { path: '/etc/os-release', reason: "the host's distribution and version" },
  { path: '/etc/passwd', reason: 'user names and uids (the password hashes live in /etc/shadow)' },
  { path: '/etc/group', reason: 'group names and ids (the group passwords live in /etc/gshadow)' },
  { path: '/etc/ssl/certs', reason: TLS },
  { path: '/etc/ssl/openssl.cnf', reason: TLS },
  { path: '/etc/ca-certificates', reason: TLS },
  { path: '/etc/ca-certificates.conf', reason: TLS },
  { path: '/etc/pki/ca-trust', reason: TLS },
  { path: '/etc/pki/tls/certs', reason: TLS },
  { path: '/etc/pki/tls/openssl.cnf', reason: TLS },
  { path: '/etc/crypto-policies', reason: TLS },
  {
    path: '/etc/docker/certs.d',
    reason:
      'the CA certificates the engine trusts per registry (a client.key there stays sensitive when mounted by itself)',
  },
  { path: '/etc/krb5.conf', reason: 'Kerberos realm settings (the keys live in /etc/krb5.keytab)' },
  { path: '/etc/apt/sources.list', reason: 'package sources, public (credentials live in /etc/apt/auth.conf.d)' },
  { path: '/etc/apt/sources.list.d', reason: 'package sources, public (credentials live in /etc/apt/auth.conf.d)' },
  { path: '/etc/apt/trusted.gpg.d', reason: 'public keys that sign packages' },
  { path: '/etc/apt/keyrings', reason: 'public keys that sign packages' },
  { path: '~/.ssh/known_hosts', reason: 'public host keys of the servers you reach' },
];

/**
 * Character devices that give nothing of the host when bind-mounted: a bind mount of a device
 * node does not bypass the devices cgroup, and these are the ones it lets every container use
 * (docker gives every container its own anyway). `-v /dev/null:/app/some.conf` is how a file is
 * blanked. Other device nodes (/dev/pts/N: a host terminal; disks) stay sensitive.
 */
export const HARMLESS_DEVICES: readonly BenignPath[] = [
  { path: '/dev/null', reason: 'reads as empty, swallows writes' },
  { path: '/dev/zero', reason: 'reads as zeros' },
  { path: '/dev/full', reason: 'reads as zeros, every write fails' },
  { path: '/dev/random', reason: 'random bytes' },
  { path: '/dev/urandom', reason: 'random bytes' },
  { path: '/dev/tty', reason: "the opening process's own terminal" },
];
