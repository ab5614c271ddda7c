/**
 * What a volume really mounts, read from its driver and options as the engine's local driver reads
 * them (moby volume/local: the keys `type`, `device` and `o`, then mount(2) with `o` split into
 * mount flags and data). A volume is ordinary data under the engine's folder only when it has no
 * options or is a tmpfs; otherwise the options name a host path (o=bind, overlay's directories), a
 * host block device, a kernel file system (proc, sysfs: the host's, because the daemon mounts them
 * in its own namespaces), or a network share. Anything else is unreadable and judged as such.
 */
import { isSecretOptionName, MASKED, maskOptionSecrets } from '../grammar/mount-secrets.js';

/** A host path a volume exposes, and whether the container can write through it. */
export interface VolumeHostPath {
  path: string;
  readOnly: boolean;
  /** Which option names it (device, lowerdir…), for details. */
  via: string;
}

export type VolumeReading =
  | { kind: 'plain' }
  | { kind: 'tmpfs' }
  | { kind: 'host-paths'; paths: VolumeHostPath[]; propagation: string; shown: string }
  | { kind: 'device'; device: string; fsType: string; shown: string }
  | { kind: 'kernel'; fsType: string; shown: string }
  | { kind: 'network'; fsType: string; shown: string }
  | { kind: 'plugin'; driver: string }
  | { kind: 'unreadable'; why: string; shown: string };

/** The option keys the local driver takes (`size` on newer engines); any other key is refused there. */
const LOCAL_KEYS = new Set(['type', 'device', 'o', 'size']);

/** mount(2) flags moby's mount package knows by name: everything else in `o` is file-system data. */
const MOUNT_FLAGS = new Set([
  'defaults',
  'ro',
  'rw',
  'suid',
  'nosuid',
  'dev',
  'nodev',
  'exec',
  'noexec',
  'sync',
  'async',
  'dirsync',
  'remount',
  'mand',
  'nomand',
  'atime',
  'noatime',
  'diratime',
  'nodiratime',
  'bind',
  'rbind',
  'unbindable',
  'runbindable',
  'private',
  'rprivate',
  'shared',
  'rshared',
  'slave',
  'rslave',
  'relatime',
  'norelatime',
  'strictatime',
  'nostrictatime',
]);

const PROPAGATIONS = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);

/** File systems that hold data in memory only. */
const MEMORY_FS = new Set(['tmpfs', 'ramfs']);

/** Kernel file systems: mounted by the daemon, they are the host's (its processes, devices, cgroups, keys). */
const KERNEL_FS = new Set([
  'proc',
  'sysfs',
  'devtmpfs',
  'devpts',
  'cgroup',
  'cgroup2',
  'debugfs',
  'tracefs',
  'securityfs',
  'bpf',
  'configfs',
  'fusectl',
  'pstore',
  'efivarfs',
  'mqueue',
  'hugetlbfs',
  'binfmt_misc',
  'autofs',
  'rpc_pipefs',
  'nsfs',
  'selinuxfs',
  'rootfs',
]);

/** File systems on a block device: with a host device they are the host's disks. */
const DISK_FS = new Set([
  'ext2',
  'ext3',
  'ext4',
  'xfs',
  'btrfs',
  'vfat',
  'msdos',
  'fat',
  'exfat',
  'ntfs',
  'ntfs3',
  'f2fs',
  'jfs',
  'reiserfs',
  'iso9660',
  'udf',
  'squashfs',
  'erofs',
  'zfs',
  'hfs',
  'hfsplus',
  'minix',
  'ufs',
  'nilfs2',
  'bcachefs',
  'fuseblk',
]);

/** Network file systems: the engine host connects to the share with its own address and credentials. */
const NETWORK_FS = new Set(['nfs', 'nfs4', 'cifs', 'smb3', 'smbfs', 'ceph', 'glusterfs']);

/** The volume options as a user would write them. */
function shownOptions(options: Readonly<Record<string, string>>): string {
  return Object.entries(options)
    .map(([k, v]) => `volume-opt=${k}=${isSecretOptionName(k) ? MASKED : maskOptionSecrets(v)}`)
    .join(',');
}

/** A device path as the daemon (working in /) opens it. */
const fromRoot = (path: string): string => (path.startsWith('/') ? path : `/${path}`);

/**
 * The reading of one volume. `driver` '' is the engine's default (local); `options` are the
 * driver options (`volume-opt`, `docker volume create --opt`).
 */
export function readVolume(driver: string, options: Readonly<Record<string, string>>): VolumeReading {
  if (driver !== '' && driver !== 'local') return { kind: 'plugin', driver };
  const shown = shownOptions(options);
  const keys = Object.keys(options);
  if (keys.length === 0) return { kind: 'plain' };
  const unknown = keys.filter((k) => !LOCAL_KEYS.has(k));
  if (unknown.length > 0)
    return {
      kind: 'unreadable',
      why: `the local driver takes the options type, device and o; ${unknown.map((k) => JSON.stringify(k)).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not among them`,
      shown,
    };
  const type = options.type ?? '';
  const device = options.device ?? '';
  const parts = (options.o ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const flags = parts.filter((p) => MOUNT_FLAGS.has(p.toLowerCase())).map((p) => p.toLowerCase());
  const data = parts.filter((p) => !MOUNT_FLAGS.has(p.toLowerCase()));
  // Read-only as moby's parseOptions makes it: each option matched exactly (untrimmed, with its
  // case: `RO` or ` ro` is file-system data, which a bind ignores), `ro` setting the flag and `rw`
  // clearing it, in order. Bind and propagation are matched loosely above: that can only add findings.
  let readOnly = false;
  for (const p of (options.o ?? '').split(',')) {
    if (p === 'ro') readOnly = true;
    else if (p === 'rw') readOnly = false;
  }
  const propagation = flags.find((f) => PROPAGATIONS.has(f)) ?? '';

  if (keys.length === 1 && options.size !== undefined) return { kind: 'plain' };
  // With bind in the flags mount(2) ignores the type: the device is a host path.
  if (flags.includes('bind') || flags.includes('rbind')) {
    if (device === '') return { kind: 'unreadable', why: 'o=bind without a device path', shown };
    return {
      kind: 'host-paths',
      paths: [{ path: fromRoot(device), readOnly, via: 'device' }],
      propagation,
      shown,
    };
  }
  const fsType = type.toLowerCase();
  if (MEMORY_FS.has(fsType)) return { kind: 'tmpfs' };
  if (fsType === 'overlay' || fsType === 'aufs') return overlayPaths(data, readOnly, propagation, shown);
  if (KERNEL_FS.has(fsType)) return { kind: 'kernel', fsType, shown };
  if (NETWORK_FS.has(fsType)) return { kind: 'network', fsType, shown };
  if (DISK_FS.has(fsType) || device.startsWith('/dev/'))
    return { kind: 'device', device: fromRoot(device), fsType, shown };
  return {
    kind: 'unreadable',
    why:
      type === ''
        ? 'options without a file system type'
        : `the file system type ${JSON.stringify(type)} is not one safedock knows`,
    shown,
  };
}

/** overlay's lowerdir (read-only layers, `:`-separated), upperdir and workdir (written) are host paths. */
function overlayPaths(data: readonly string[], readOnly: boolean, propagation: string, shown: string): VolumeReading {
  const paths: VolumeHostPath[] = [];
  for (const item of data) {
    const eq = item.indexOf('=');
    if (eq < 0) continue;
    const key = item.slice(0, eq).toLowerCase();
    const value = item.slice(eq + 1);
    if (key === 'lowerdir') {
      for (const dir of value.split(/(?<!\\):/).filter((d) => d !== ''))
        paths.push({ path: fromRoot(dir.replaceAll('\\:', ':')), readOnly: true, via: 'lowerdir' });
    } else if (key === 'upperdir' || key === 'workdir') {
      paths.push({ path: fromRoot(value), readOnly, via: key });
    } else if (key === 'br' || key === 'dirs') {
      // aufs branches: dir=rw|ro, ':'-separated.
      for (const branch of value.split(':').filter((d) => d !== '')) {
        const [dir = '', mode = 'ro'] = branch.split('=');
        paths.push({ path: fromRoot(dir), readOnly: readOnly || mode !== 'rw', via: key });
      }
    }
  }
  if (paths.length === 0) return { kind: 'unreadable', why: 'an overlay without lowerdir', shown };
  return { kind: 'host-paths', paths, propagation, shown };
}
