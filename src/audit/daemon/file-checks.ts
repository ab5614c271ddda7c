import { posix } from 'node:path';
import type { RuleId, Severity } from '../../policy/types.js';
import type { AuditHit } from '../types.js';
import type { DaemonFile, DaemonFileRole, DaemonHost } from './daemon-facts.js';

/**
 * Owner and mode each daemon file must have (CIS section 3), one row per role:
 * - owner: the engine's user (root for a rootful engine);
 * - group: root's group, or for the engine socket its group ("group" in daemon.json, default docker);
 * - maxMode: the loosest permission bits allowed;
 * - danger: excess bits that give the file away to others (writing it, reading a key, using a socket), earning the
 *   rule's full severity; other excess bits (reading a certificate) are low.
 */
interface FileRule {
  rule: RuleId;
  what: string;
  /** CIS ids for the owner check and the mode check; a function when they depend on the path. */
  cis: (path: string) => readonly [owner: string, mode: string];
  group: 'root' | 'socket';
  maxMode: number;
  danger: number;
}

const fixed = (owner: string, mode: string) => (): readonly [string, string] => [owner, mode];

export const FILE_RULES: Readonly<Record<DaemonFileRole, FileRule>> = {
  'engine-socket': {
    rule: 'SD202',
    what: 'the engine socket',
    cis: fixed('3.15', '3.16'),
    group: 'socket',
    maxMode: 0o660,
    danger: 0o007,
  },
  'containerd-socket': {
    rule: 'SD203',
    what: 'the containerd socket',
    cis: fixed('3.23', '3.24'),
    group: 'root',
    maxMode: 0o660,
    danger: 0o007,
  },
  'daemon-json': {
    rule: 'SD204',
    what: 'daemon.json',
    cis: fixed('3.17', '3.18'),
    group: 'root',
    maxMode: 0o644,
    danger: 0o022,
  },
  'etc-docker': {
    rule: 'SD205',
    what: '/etc/docker',
    cis: fixed('3.5', '3.6'),
    group: 'root',
    maxMode: 0o755,
    danger: 0o022,
  },
  'tls-ca': {
    rule: 'SD206',
    what: "the engine's TLS CA certificate",
    cis: fixed('3.9', '3.10'),
    group: 'root',
    maxMode: 0o444,
    danger: 0o022,
  },
  'tls-cert': {
    rule: 'SD206',
    what: "the engine's TLS certificate",
    cis: fixed('3.11', '3.12'),
    group: 'root',
    maxMode: 0o444,
    danger: 0o022,
  },
  'tls-key': {
    rule: 'SD206',
    what: "the engine's TLS key",
    cis: fixed('3.13', '3.14'),
    group: 'root',
    maxMode: 0o400,
    danger: 0o077,
  },
  'registry-cert': {
    rule: 'SD207',
    what: 'a registry certificate',
    cis: fixed('3.7', '3.8'),
    group: 'root',
    maxMode: 0o444,
    danger: 0o022,
  },
  'systemd-unit': {
    rule: 'SD208',
    what: 'a unit file of the engine',
    cis: (path) => (posix.basename(path) === 'docker.socket' ? ['3.3', '3.4'] : ['3.1', '3.2']),
    group: 'root',
    maxMode: 0o644,
    danger: 0o022,
  },
  'service-defaults': {
    rule: 'SD209',
    what: "the engine service's settings file",
    cis: (path) => (path.includes('/sysconfig/') ? ['3.21', '3.20'] : ['3.19', '3.22']),
    group: 'root',
    maxMode: 0o644,
    danger: 0o022,
  },
};

const octal = (mode: number): string => `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;

/** One finding per file whose owner, group or mode is looser than its row allows. */
export function checkFile(file: DaemonFile, host: Pick<DaemonHost, 'uid' | 'socketGid'>): AuditHit | undefined {
  const f = file.facts;
  if (f.state !== 'present') return undefined;
  const row = FILE_RULES[file.role];
  const [cisOwner, cisMode] = row.cis(f.path);
  const problems: string[] = [];
  const cis = new Set<string>();
  let full = false;

  if (f.uid !== host.uid) {
    problems.push(`owned by uid ${f.uid}, not ${host.uid === 0 ? 'root' : `the engine's user (uid ${host.uid})`}`);
    cis.add(cisOwner);
    full = true; // the owner can change the mode
  }
  // A rootless engine's files belong to its user's group; CIS's groups are a rootful engine's.
  if (host.uid === 0) {
    const allowed = row.group === 'socket' ? [0, ...(host.socketGid === undefined ? [] : [host.socketGid])] : [0];
    if (!allowed.includes(f.gid)) {
      const groupBits = f.mode & 0o070;
      problems.push(
        `group is gid ${f.gid}, not ${row.group === 'socket' ? `docker${host.socketGid === undefined ? '' : ` (gid ${host.socketGid})`} or root` : 'root'}`,
      );
      cis.add(cisOwner);
      if ((groupBits & (row.group === 'socket' ? 0o060 : 0o020)) !== 0) full = true;
    }
  }
  const excess = f.mode & 0o777 & ~row.maxMode;
  if (excess !== 0) {
    problems.push(`mode ${octal(f.mode)} is looser than ${octal(row.maxMode)}`);
    cis.add(cisMode);
    if ((excess & row.danger) !== 0) full = true;
  }
  if (problems.length === 0) return undefined;
  const ids = [...cis].sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
  const severity: Severity | undefined = full ? undefined : 'low';
  return {
    rule: row.rule,
    detail: `CIS ${ids.join(', ')}: ${f.path} (${row.what}): ${problems.join('; ')}`,
    ...(severity === undefined ? {} : { severity }),
  };
}
