/**
 * The ways around the policy a review found (issue #12), each family as a table of the spellings
 * found and their variants, with the exact rules each line must raise (severity low and above).
 * Facts that a run gathers from the engine and the image are given here as the plain data the
 * rules read; test/integration/ways-around.test.ts gathers them from the real engine.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { ContainerFacts, EngineObjects } from '../../../src/engine/facts.js';
import type { ImageFacts } from '../../../src/engine/engine.js';
import type { RunFacts } from '../../../src/policy/facts.js';
import { APP_IMAGE, ROOT_IMAGE, findingsFor, scratchFiles, warnedRules } from './helpers.js';

type Row = [line: string, expected: string[]];

/** Only the rules this file is about, so that rows need not list strict's and docker's defaults. */
const FAMILY = new Set([
  'SD101',
  'SD102',
  'SD104',
  'SD105',
  'SD106',
  'SD114',
  'SD115',
  'SD117',
  'SD118',
  'SD120',
  'SD121',
  'SD122',
  'SD134',
  'SD135',
  'SD136',
  'SD137',
  'SD138',
  'SD139',
]);

const rulesOf = async (line: string, options: Parameters<typeof findingsFor>[1] = {}): Promise<string[]> =>
  warnedRules(await findingsFor(line, options)).filter((id) => FAMILY.has(id));

const engineFacts = (over: Partial<EngineObjects> = {}): EngineObjects => ({
  volumes: {},
  containers: {},
  unreadable: {},
  ...over,
});

const full = (over: Partial<RunFacts> = {}): RunFacts => ({ stage: 'full', engine: engineFacts(), ...over });

describe('1. host file systems through volume options', () => {
  const rows: Row[] = [
    // The host's disk, whatever spelling the options take.
    ['--mount type=volume,dst=/h,volume-opt=type=ext4,volume-opt=device=/dev/vda img', ['SD134']],
    ['--mount type=volume,src=hd,dst=/h,volume-opt=type=ext4,volume-opt=device=/dev/vda img', ['SD134']],
    ['--mount type=volume,dst=/h,volume-opt=device=/dev/vda,volume-opt=type=ext4 img', ['SD134']],
    ['--mount type=volume,dst=/h,volume-opt=type=EXT4,volume-opt=device=/dev/vda img', ['SD134']],
    ['--mount type=volume,dst=/h,volume-opt=type=xfs,volume-opt=device=/dev/sda1,readonly img', ['SD134']],
    ['--mount type=volume,dst=/h,volume-opt=type=btrfs,volume-opt=device=/dev/mapper/root img', ['SD134']],
    ['--mount type=volume,dst=/h,volume-opt=type=vfat,volume-opt=device=/dev/nvme0n1p1 img', ['SD134']],
    ['--mount type=volume,dst=/h,volume-opt=device=/dev/vda img', ['SD134']],
    ['--mount type=volume,dst=/h,volume-opt=type=ext4,volume-opt=device=/dev/disk/by-uuid/x img', ['SD134']],
    ['--mount type=volume,dst=/h,volume-driver=local,volume-opt=type=ext4,volume-opt=device=/dev/vda img', ['SD134']],
    ['--mount target=/h,type=volume,volume-opt=type=ext4,volume-opt=device=/dev/vda img', ['SD134']],
    ['--mount type=VOLUME,dst=/h,volume-opt=type=ext4,volume-opt=device=/dev/vda img', ['SD134']],
    // Kernel file systems: the host's, because the daemon mounts them.
    ['--mount type=volume,dst=/p,volume-opt=type=proc,volume-opt=device=proc img', ['SD134']],
    ['--mount type=volume,dst=/p,volume-opt=type=PROC,volume-opt=device=none img', ['SD134']],
    ['--mount type=volume,src=p,dst=/p,volume-opt=type=proc,volume-opt=device=proc,readonly img', ['SD134']],
    ['--mount type=volume,dst=/s,volume-opt=type=sysfs,volume-opt=device=sysfs img', ['SD134']],
    ['--mount type=volume,dst=/c,volume-opt=type=cgroup,volume-opt=device=cgroup,volume-opt=o=memory img', ['SD134']],
    ['--mount type=volume,dst=/c,volume-opt=type=cgroup2,volume-opt=device=none img', ['SD134']],
    ['--mount type=volume,dst=/d,volume-opt=type=devtmpfs,volume-opt=device=udev img', ['SD134']],
    ['--mount type=volume,dst=/d,volume-opt=type=debugfs,volume-opt=device=debugfs img', ['SD134']],
    ['--mount type=volume,dst=/d,volume-opt=type=tracefs,volume-opt=device=tracefs img', ['SD134']],
    ['--mount type=volume,dst=/d,volume-opt=type=securityfs,volume-opt=device=securityfs img', ['SD134']],
    ['--mount type=volume,dst=/d,volume-opt=type=bpf,volume-opt=device=bpf img', ['SD134']],
    ['--mount type=volume,dst=/d,volume-opt=type=efivarfs,volume-opt=device=efivarfs img', ['SD134']],
    ['--mount type=volume,dst=/d,volume-opt=type=configfs,volume-opt=device=configfs img', ['SD134']],
    // overlay: its directories are host paths.
    [
      '--mount \'type=volume,dst=/o,volume-opt=type=overlay,volume-opt=device=overlay,"volume-opt=o=lowerdir=/etc"\' img',
      ['SD121'],
    ],
    [
      '--mount \'type=volume,dst=/o,volume-opt=type=overlay,volume-opt=device=overlay,"volume-opt=o=lowerdir=/srv/a:/etc,upperdir=/srv/u,workdir=/srv/w"\' img',
      ['SD121'],
    ],
    [
      '--mount \'type=volume,dst=/o,volume-opt=type=overlay,volume-opt=device=overlay,"volume-opt=o=lowerdir=/srv/a,upperdir=/etc,workdir=/srv/w"\' img',
      ['SD120'],
    ],
    [
      '--mount \'type=volume,dst=/o,volume-opt=type=overlay,volume-opt=device=overlay,"volume-opt=o=lowerdir=/var/run"\' img',
      ['SD102', 'SD121'],
    ],
    ['--mount type=volume,dst=/o,volume-opt=type=overlay,volume-opt=device=overlay img', ['SD135']],
    // o=bind: the device is a host path, whatever the type says.
    [
      '--mount type=volume,dst=/x,volume-opt=type=none,volume-opt=o=bind,volume-opt=device=/var/run img',
      ['SD102', 'SD120'],
    ],
    ['--mount type=volume,dst=/x,volume-opt=type=tmpfs,volume-opt=o=bind,volume-opt=device=/etc img', ['SD120']],
    ['--mount type=volume,dst=/x,volume-opt=type=none,volume-opt=o=rbind,volume-opt=device=/ img', ['SD102', 'SD120']],
    ['--mount type=volume,dst=/x,volume-opt=type=none,volume-opt=o=BIND,volume-opt=device=/etc img', ['SD120']],
    [
      '--mount \'type=volume,dst=/x,volume-opt=type=none,"volume-opt=o=bind,ro",volume-opt=device=/etc\' img',
      ['SD121'],
    ],
    // The engine matches ro/rw exactly and in order: a later rw, or RO and " ro" (data), leave it writable.
    [
      '--mount \'type=volume,dst=/x,volume-opt=type=none,"volume-opt=o=bind,ro,rw",volume-opt=device=/etc\' img',
      ['SD120'],
    ],
    [
      '--mount \'type=volume,dst=/x,volume-opt=type=none,"volume-opt=o=bind,RO",volume-opt=device=/etc\' img',
      ['SD120'],
    ],
    [
      '--mount \'type=volume,dst=/x,volume-opt=type=none,"volume-opt=o=bind, ro",volume-opt=device=/etc\' img',
      ['SD120'],
    ],
    [
      '--mount \'type=volume,dst=/x,volume-opt=type=none,"volume-opt=o=bind,rw,ro",volume-opt=device=/etc\' img',
      ['SD121'],
    ],
    [
      '--mount type=volume,dst=/x,readonly,volume-opt=type=none,volume-opt=o=bind,volume-opt=device=/etc img',
      ['SD121'],
    ],
    ['--mount type=volume,dst=/x,volume-opt=type=none,volume-opt=o=bind,volume-opt=device=etc img', ['SD120']],
    ['--mount type=volume,dst=/x,volume-opt=type=none,volume-opt=o=bind,volume-opt=device=/etc/../etc img', ['SD120']],
    [
      '--mount \'type=volume,dst=/x,volume-opt=type=none,"volume-opt=o=bind,rshared",volume-opt=device=/srv/data\' img',
      ['SD122'],
    ],
    ['--mount type=volume,dst=/x,volume-opt=type=none,volume-opt=o=bind,volume-opt=device=/srv/data img', []],
    ['--mount type=volume,dst=/x,volume-opt=type=none,volume-opt=o=bind img', ['SD135']],
    // Unknown file system types and option keys the local driver refuses: unreadable, refused.
    ['--mount type=volume,dst=/x,volume-opt=type=fuse.sshfs,volume-opt=device=me@host: img', ['SD135']],
    ['--mount type=volume,dst=/x,volume-opt=type=zzfs,volume-opt=device=x img', ['SD135']],
    ['--mount type=volume,dst=/x,volume-opt=type=none,volume-opt=device=/etc img', ['SD135']],
    ['--mount type=volume,dst=/x,volume-opt=Type=ext4,volume-opt=device=/dev/vda img', ['SD135']],
    ['--mount type=volume,dst=/x,volume-opt=dev=/dev/vda,volume-opt=type=ext4 img', ['SD135']],
    ['--mount type=volume,dst=/x,volume-opt=o=size=1g img', ['SD135']],
    // Network shares: connected from the engine host (medium: reported, not refused).
    [
      '--mount type=volume,dst=/n,volume-opt=type=nfs,volume-opt=o=addr=10.0.0.1,volume-opt=device=:/export img',
      ['SD137'],
    ],
    ['--mount type=volume,dst=/n,volume-opt=type=cifs,volume-opt=device=//srv/share img', ['SD137']],
    // Memory and plain volumes stay ordinary.
    ['--mount type=volume,dst=/t,volume-opt=type=tmpfs,volume-opt=device=tmpfs,volume-opt=o=size=64m img', []],
    ['--mount type=volume,dst=/t,volume-opt=type=ramfs,volume-opt=device=ramfs img', []],
    ['--mount type=volume,src=data,dst=/data img', []],
    ['-v data:/data img', []],
    ['-v /data img', []],
    // Driver plugins decide for themselves what they mount.
    ['--volume-driver rexray -v data:/data img', ['SD136']],
    ['--volume-driver rexray -v /data img', ['SD136']],
    ['--mount type=volume,src=x,dst=/x,volume-driver=local-persist img', ['SD136']],
    ['--volume-driver local -v data:/data img', []],
  ];
  it.each(rows)('%s → %j', async (line, expected) => {
    expect(await rulesOf(line)).toEqual(expected);
  });

  const volumes = engineFacts({
    volumes: {
      hostdisk: { name: 'hostdisk', driver: 'local', options: { type: 'ext4', device: '/dev/vda' } },
      procvol: { name: 'procvol', driver: 'local', options: { type: 'proc', device: 'proc' } },
      runvol: { name: 'runvol', driver: 'local', options: { type: 'none', o: 'bind', device: '/var/run' } },
      etcvol: { name: 'etcvol', driver: 'local', options: { type: 'none', o: 'bind', device: '/etc' } },
      shadowvol: {
        name: 'shadowvol',
        driver: 'local',
        options: { type: 'overlay', device: 'overlay', o: 'lowerdir=/etc' },
      },
      plain: { name: 'plain', driver: 'local', options: {} },
      plugin: { name: 'plugin', driver: 'vieux/sshfs', options: {} },
      data: null,
    },
    unreadable: { 'volume broken': 'Error response from daemon: timeout' },
  });
  const named: Row[] = [
    ['-v hostdisk:/h img', ['SD134']],
    ['-v hostdisk:/h:ro img', ['SD134']],
    ['--mount type=volume,src=hostdisk,dst=/h img', ['SD134']],
    ['--mount source=hostdisk,target=/h,readonly img', ['SD134']],
    ['-v procvol:/p img', ['SD134']],
    ['-v runvol:/r img', ['SD102', 'SD120']],
    ['-v runvol:/r:ro img', ['SD102', 'SD121']],
    ['-v etcvol:/e img', ['SD120']],
    ['-v etcvol:/e:ro img', ['SD121']],
    ['-v shadowvol:/s img', ['SD121']],
    ['-v plugin:/p img', ['SD136']],
    ['-v plain:/p img', []],
    // Created at the run with no options: ordinary.
    ['-v data:/d img', []],
    // An existing volume keeps its options: options given now are judged too.
    ['--mount type=volume,src=plain,dst=/p,volume-opt=type=proc,volume-opt=device=proc img', ['SD134']],
    // Not asked about, or the engine could not answer: refused.
    ['-v unasked:/u img', ['SD135']],
    ['-v broken:/b img', ['SD135']],
  ];
  it.each(named)('named volume %s → %j', async (line, expected) => {
    expect(await rulesOf(line, { facts: full({ engine: volumes }) })).toEqual(expected);
  });

  it('an early judgement (before the engine was asked) does not refuse a named volume it cannot see yet', async () => {
    expect(await rulesOf('-v unasked:/u img', { facts: { stage: 'early' } })).toEqual([]);
  });

  const holder = (name: string, mounts: ContainerFacts['mounts']): ContainerFacts => ({
    id: `${name}-id`,
    name,
    pidMode: '',
    ipcMode: 'private',
    networkMode: 'default',
    privileged: false,
    mounts,
  });
  const bindMount = (source: string, destination: string, rw = true): ContainerFacts['mounts'][number] => ({
    type: 'bind',
    source,
    name: '',
    driver: '',
    destination,
    rw,
    propagation: 'rprivate',
  });
  const volumeMount = (name: string, destination: string): ContainerFacts['mounts'][number] => ({
    type: 'volume',
    source: `/var/lib/docker/volumes/${name}/_data`,
    name,
    driver: 'local',
    destination,
    rw: true,
    propagation: '',
  });
  const sharing = engineFacts({
    volumes: volumes.volumes,
    containers: {
      sock: holder('sock', [bindMount('/run/docker.sock', '/var/run/docker.sock')]),
      etc: holder('etc', [bindMount('/etc', '/host-etc')]),
      etcro: holder('etcro', [bindMount('/etc', '/host-etc', false)]),
      disk: holder('disk', [volumeMount('hostdisk', '/h')]),
      runv: holder('runv', [volumeMount('runvol', '/r')]),
      data: holder('data', [bindMount('/srv/data', '/data'), volumeMount('plain', '/p')]),
      lost: holder('lost', [volumeMount('gone', '/g')]),
      none: null,
    },
  });
  const from: Row[] = [
    ['--volumes-from sock img', ['SD102']],
    ['--volumes-from sock:ro img', ['SD102']],
    ['--volumes-from etc img', ['SD120']],
    ['--volumes-from etc:ro img', ['SD121']],
    ['--volumes-from etcro img', ['SD121']],
    ['--volumes-from disk img', ['SD134']],
    ['--volumes-from runv:ro img', ['SD102', 'SD121']],
    ['--volumes-from data img', []],
    ['--volumes-from data --volumes-from sock img', ['SD102']],
    ['--volumes-from lost img', ['SD135']],
    ['--volumes-from none img', ['SD135']],
    ['--volumes-from unasked img', ['SD135']],
  ];
  it.each(from)('%s → %j', async (line, expected) => {
    expect(await rulesOf(line, { facts: full({ engine: sharing }) })).toEqual(expected);
  });

  it('says where a volume-from mount comes from', async () => {
    const f = await findingsFor('--volumes-from sock img', { facts: full({ engine: sharing }) });
    expect(f.find((x) => x.rule === 'SD102')?.detail).toBe(
      "container sock's mount /run/docker.sock is the Docker socket (--volumes-from sock)",
    );
  });
});

describe('2. seccomp off by the profile: read as the engine reads it', () => {
  const files = scratchFiles({
    'null.json': 'null',
    'null-spaced.json': ' null\n',
    'dup-case.json': '{"defaultAction":"SCMP_ACT_ERRNO","DefaultAction":"SCMP_ACT_ALLOW"}',
    'dup-exact.json': '{"defaultAction":"SCMP_ACT_ERRNO","defaultAction":"SCMP_ACT_ALLOW"}',
    'dup-empty.json': '{"defaultAction":"SCMP_ACT_ERRNO","DefaultAction":""}',
    'dup-upper.json': '{"defaultAction":"SCMP_ACT_ERRNO","DEFAULTACTION":"SCMP_ACT_LOG"}',
    'dup-lower.json': '{"defaultAction":"SCMP_ACT_ERRNO","defaultaction":"SCMP_ACT_ALLOW"}',
    'escaped.json': '{"defaultAction":"SCMP_ACT_ERRNO","\\u0044efaultAction":"SCMP_ACT_ALLOW"}',
    'only-upper.json': '{"DefaultAction":"SCMP_ACT_ALLOW","syscalls":[]}',
    'dup-null.json': '{"defaultAction":"SCMP_ACT_ERRNO","DefaultAction":null}',
    'empty-action.json': '{"defaultAction":""}',
    'empty.json': '{}',
    'null-rules.json': '{"syscalls":null}',
    'no-rules.json': '{"syscalls":[]}',
    'rules-no-default.json': '{"syscalls":[{"names":["chmod"],"action":"SCMP_ACT_ERRNO"}]}',
    'lower-action.json': '{"defaultAction":"scmp_act_errno"}',
    'trace.json': '{"defaultAction":"SCMP_ACT_TRACE"}',
    'notify.json': '{"defaultAction":"SCMP_ACT_NOTIFY"}',
    'unknown.json': '{"defaultAction":"SCMP_ACT_MAYBE"}',
    'other-keys.json': '{"defaultAction":"SCMP_ACT_ERRNO","default_action":"SCMP_ACT_ALLOW"}',
    'errno.json': '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}',
    'kill.json': '{"defaultAction":"SCMP_ACT_KILL_PROCESS"}',
    'upper-errno.json': '{"DefaultAction":"SCMP_ACT_ERRNO"}',
    'last-errno.json': '{"defaultAction":"SCMP_ACT_ALLOW","DefaultAction":"SCMP_ACT_ERRNO"}',
    'array.json': '[]',
    'string.json': '"SCMP_ACT_ERRNO"',
    'number-action.json': '{"defaultAction":1}',
    'object-rules.json': '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":{}}',
    // Refusing by default, then allowing by name the calls escapes start from.
    'allow-unshare.json':
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","unshare"],"action":"SCMP_ACT_ALLOW"}]}',
    'allow-name.json': '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"name":"keyctl","action":"SCMP_ACT_ALLOW"}]}',
    'allow-log.json': '{"defaultAction":"SCMP_ACT_KILL","syscalls":[{"names":["bpf"],"action":"SCMP_ACT_LOG"}]}',
    'allow-folded.json':
      '{"defaultAction":"SCMP_ACT_ERRNO","\u017fyscalls":[{"Names":["userfaultfd"],"ACTION":"SCMP_ACT_ALLOW"}]}',
    'allow-clone3.json':
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["clone3"],"action":"SCMP_ACT_ALLOW"}]}',
    'allow-clone-any.json':
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["clone"],"action":"SCMP_ACT_ALLOW"}]}',
    'allow-clone-userns.json':
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["clone"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":268435456,"op":"SCMP_CMP_MASKED_EQ","valueTwo":268435456}]}]}',
    'allow-last-action.json':
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["keyctl"],"action":"SCMP_ACT_ERRNO","Action":"SCMP_ACT_ALLOW"}]}',
    'allow-default-cap.json':
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["perf_event_open"],"action":"SCMP_ACT_ALLOW","includes":{"caps":["CAP_CHOWN"]}}]}',
    // runc leaves out a rule equal to the default: the allow after it decides.
    'shadow-then-allow.json':
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["unshare"],"action":"SCMP_ACT_ERRNO"},{"names":["unshare"],"action":"SCMP_ACT_ALLOW"}]}',
    'shadow-errno-then-allow.json':
      '{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,"syscalls":[{"names":["keyctl"],"action":"SCMP_ACT_ERRNO","errnoRet":1},{"names":["keyctl"],"action":"SCMP_ACT_ALLOW"}]}',
    // A different errno is a rule of its own: it decides first.
    'enosys-then-allow.json':
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["keyctl"],"action":"SCMP_ACT_ERRNO","errnoRet":38},{"names":["keyctl"],"action":"SCMP_ACT_ALLOW"}]}',
    'kill-then-allow.json':
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["keyctl"],"action":"SCMP_ACT_KILL"},{"names":["keyctl"],"action":"SCMP_ACT_ALLOW"}]}',
    // A tracer decides a traced call.
    'trace-unshare.json':
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["unshare"],"action":"SCMP_ACT_TRACE"}]}',
    // Narrowed as the engine's default narrows them: no finding.
    'clone-no-ns.json':
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["clone"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":2114060288,"op":"SCMP_CMP_MASKED_EQ","valueTwo":0}]}]}',
    'refuse-unshare.json':
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["unshare"],"action":"SCMP_ACT_ERRNO"}]}',
    'sys-admin-gated.json':
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["unshare","bpf"],"action":"SCMP_ACT_ALLOW","includes":{"caps":["CAP_SYS_ADMIN"]}}]}',
    'bad-rule-action.json':
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_SOMETIMES"}]}',
    'name-and-names.json':
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"name":"read","names":["write"],"action":"SCMP_ACT_ALLOW"}]}',
  });
  afterAll(files.cleanup);
  const vars = { T: files.dir };
  const rows: Row[] = [
    ['null.json', ['SD114']],
    ['null-spaced.json', ['SD114']],
    ['dup-case.json', ['SD114']],
    ['dup-exact.json', ['SD114']],
    ['dup-empty.json', ['SD114']],
    ['dup-upper.json', ['SD114']],
    ['dup-lower.json', ['SD114']],
    ['escaped.json', ['SD114']],
    ['only-upper.json', ['SD114']],
    ['empty-action.json', ['SD114']],
    ['empty.json', ['SD114']],
    ['null-rules.json', ['SD114']],
    ['no-rules.json', ['SD114']],
    ['rules-no-default.json', ['SD114']],
    ['lower-action.json', ['SD114']],
    ['trace.json', ['SD114']],
    ['notify.json', ['SD114']],
    ['unknown.json', ['SD114']],
    // Not the engine's field (default_action), so the ERRNO default stands.
    ['other-keys.json', []],
    // null leaves a string field as it was: still ERRNO.
    ['dup-null.json', []],
    ['errno.json', []],
    ['kill.json', []],
    ['upper-errno.json', []],
    ['last-errno.json', []],
    // Text the engine's decoder refuses: unreadable, refused rather than passed.
    ['array.json', ['SD135']],
    ['string.json', ['SD135']],
    ['number-action.json', ['SD135']],
    ['object-rules.json', ['SD135']],
    ['allow-unshare.json', ['SD114']],
    ['allow-name.json', ['SD114']],
    ['allow-log.json', ['SD114']],
    ['allow-folded.json', ['SD114']],
    ['allow-clone3.json', ['SD114']],
    ['allow-clone-any.json', ['SD114']],
    ['allow-clone-userns.json', ['SD114']],
    ['allow-last-action.json', ['SD114']],
    ['shadow-then-allow.json', ['SD114']],
    ['shadow-errno-then-allow.json', ['SD114']],
    ['enosys-then-allow.json', []],
    ['kill-then-allow.json', []],
    ['trace-unshare.json', ['SD114']],
    ['clone-no-ns.json', []],
    ['refuse-unshare.json', []],
    // Behind a capability the container does not hold: SD111 judges adding it.
    ['sys-admin-gated.json', []],
    ['bad-rule-action.json', ['SD135']],
    ['name-and-names.json', ['SD135']],
  ];
  it.each(rows)('--security-opt seccomp=%s → %j', async (file, expected) => {
    expect(await rulesOf(`--security-opt seccomp=$T/${file} img`, { vars })).toEqual(expected);
    expect(await rulesOf(`--security-opt seccomp:$T/${file} img`, { vars })).toEqual(expected);
    expect(await rulesOf(`--security-opt=seccomp=$T/${file} img`, { vars })).toEqual(expected);
  });

  it('names the calls a refusing profile allows, and its rule', async () => {
    const f = await findingsFor('--security-opt seccomp=$T/allow-unshare.json img', { vars });
    expect(f.find((x) => x.rule === 'SD114')?.detail).toContain('allows unshare(CLONE_NEWUSER) (syscalls[0])');
  });

  it('a rule behind CAP_SYS_ADMIN opens when the capability is added, and SD111 says so', async () => {
    const f = await findingsFor('--cap-add SYS_ADMIN --security-opt seccomp=$T/sys-admin-gated.json img', { vars });
    expect(f.map((x) => x.rule)).toContain('SD111');
    expect(f.map((x) => x.rule)).not.toContain('SD114');
  });

  it('a rule behind a default capability the container keeps is open', async () => {
    expect(await rulesOf('--security-opt seccomp=$T/allow-default-cap.json img', { vars })).toEqual([]);
    expect(await rulesOf('--cap-add CHOWN --security-opt seccomp=$T/allow-default-cap.json img', { vars })).toEqual([
      'SD114',
    ]);
  });

  it('says which key the engine keeps', async () => {
    const f = await findingsFor('--security-opt seccomp=$T/dup-case.json img', { vars });
    expect(f.find((x) => x.rule === 'SD114')?.detail).toContain(
      'the engine matches keys without regard to case and keeps the last: "defaultAction", "DefaultAction"',
    );
  });
});

describe('3. root by name, and privileged groups', () => {
  const passwd = [
    'root:x:0:0:root:/root:/bin/sh',
    'toor:x:0:0:another root:/root:/bin/sh',
    'nobody:x:0:0:nobody, as root:/:/bin/false',
    'app:x:0:0:app, as root:/app:/bin/sh',
    'web:x:1000:1000::/srv:/bin/sh',
    'odd:x:abc:100::/:/bin/sh',
    'wrap:x:4294967296:100::/:/bin/sh',
    '  spaced:x:0:0::/:/bin/sh  ',
    'twice:x:1001:1001::/:/bin/sh',
    'twice:x:0:0::/:/bin/sh',
    'staff0:x:1002:0::/:/bin/sh',
    'member:x:1003:1003::/:/bin/sh',
    'short',
  ].join('\n');
  const group = ['root:x:0:member', 'shadow:x:42:', 'docker:x:105:', 'web:x:1000:', '5:x:0:', 'users:x:100:web'].join(
    '\n',
  );
  const accounts = { passwd, group };
  const facts = full({
    accounts,
    host: {
      invoker: { uid: 1000, gid: 1000, home: '/home/me' },
      paths: {},
      socketGroups: [{ gid: 105, socket: '/run/docker.sock' }],
    },
  });
  const appImage: ImageFacts = { ...APP_IMAGE, user: 'app' };
  const rows: Row[] = [
    ['-u toor img', ['SD118']],
    ['-u toor:root img', ['SD118']],
    // A group the image does not define: the engine would refuse to start it.
    ['-u toor:toor img', ['SD135']],
    ['--user=toor img', ['SD118']],
    ['-u nobody img', ['SD118']],
    ['-u nobody:100 img', ['SD118']],
    ['-u app img', ['SD118']],
    ['-u odd img', ['SD118']],
    // The engine hands the runtime a uint32: 2^32 is uid 0.
    ['-u wrap img', ['SD118']],
    ['-u spaced img', ['SD118']],
    ['-u short img', ['SD118']],
    // The first entry of a name wins.
    ['-u twice img', []],
    ['-u root img', ['SD118']],
    ['-u 0 img', ['SD118']],
    ['-u web img', []],
    ['-u 1000 img', []],
    ['-u 1000:1000 img', []],
    // Names the image does not define: the engine would refuse to start; refused here.
    ['-u ghost img', ['SD135']],
    ['-u web:ghosts img', ['SD135']],
    ['-u web --group-add ghosts img', ['SD135']],
    // Groups: root's, shadow, the engine socket's.
    ['-u 1000:0 img', ['SD138']],
    ['-u 1000:root img', ['SD138']],
    ['-u web:root img', ['SD138']],
    ['-u 1000:shadow img', ['SD138']],
    ['-u 1000:42 img', ['SD138']],
    ['-u 1000:docker img', ['SD138']],
    ['-u 1000:105 img', ['SD138']],
    ['-u web --group-add 0 img', ['SD138']],
    ['-u web --group-add root img', ['SD138']],
    ['-u web --group-add 00 img', ['SD138']],
    ['-u web --group-add +0 img', ['SD138']],
    ['-u web --group-add 5 img', ['SD138']],
    ['-u web --group-add shadow img', ['SD138']],
    ['-u web --group-add 42 img', ['SD138']],
    ['-u web --group-add docker img', ['SD138']],
    ['-u web --group-add=105 img', ['SD138']],
    ['-u web --group-add users img', []],
    ['-u web --group-add 100 img', []],
    // A primary group of 0 in /etc/passwd is reported in plans only (info, tested below); a
    // membership listed in /etc/group is a finding.
    ['-u staff0 img', []],
    ['-u 1002 img', []],
    ['-u member img', ['SD138']],
    ['-u 1003 img', ['SD138']],
    // With a group given, the memberships do not apply (runc's rule).
    ['-u member:1003 img', []],
  ];
  it.each(rows)('%s → %j', async (line, expected) => {
    expect(await rulesOf(line, { facts, image: ROOT_IMAGE })).toEqual(expected);
  });

  it("root's group nobody asked for (a uid the image does not list gets gid 0, as in docker) is info (plans only); asked for, high", async () => {
    const severityOf = async (line: string): Promise<string | undefined> =>
      (await findingsFor(line, { facts, image: ROOT_IMAGE })).find((f) => f.rule === 'SD138')?.severity;
    expect(await severityOf('-u 4242 img')).toBe('info');
    expect(await severityOf('-u staff0 img')).toBe('info');
    expect(await severityOf('-u 4242:0 img')).toBe('high');
    expect(await severityOf('-u 4242 --group-add 0 img')).toBe('high');
    expect(await severityOf('-u 1000:shadow img')).toBe('high');
  });

  it("the image's own USER X:0 is the author's choice, reported as info and named as the image's", async () => {
    const groupZero = { ...appImage, user: '4242:0' };
    const f = await findingsFor('img', { preset: 'compat', facts, image: groupZero });
    const hit = f.find((x) => x.rule === 'SD138');
    expect(hit?.severity).toBe('info');
    expect(hit?.detail).toBe("the image's USER 4242:0 gives gid 0, root's group");
    expect(
      (await findingsFor('-u 4242:0 img', { preset: 'compat', facts, image: groupZero })).find(
        (x) => x.rule === 'SD138',
      )?.detail,
    ).toBe("-u 4242:0 gives gid 0, root's group");
  });

  it("the image's USER that /etc/passwd maps to uid 0 is root: compat keeps it and SD118 fires", async () => {
    expect(await rulesOf('img', { preset: 'compat', facts, image: appImage })).toEqual(['SD118']);
    const f = await findingsFor('img', { preset: 'compat', facts, image: appImage });
    expect(f.find((x) => x.rule === 'SD118')?.detail).toBe(
      `no user given: the image runs as "app", which the image's /etc/passwd maps to uid 0 ("app" is root under another name)`,
    );
  });

  it("strict replaces such a user by its non-root one, as it does the image's root", async () => {
    expect(await rulesOf('img', { facts, image: appImage })).toEqual([]);
    const { planLine } = await import('./helpers.js');
    const planned = await planLine('img', { facts, image: appImage });
    expect(planned.spec.user).toBe('65534:65534');
  });

  it('without the account files (the image could not be read), a name is refused; numbers are judged as they are', async () => {
    const unread = full({ accounts: 'the engine refused the archive' });
    expect(await rulesOf('-u toor img', { facts: unread })).toEqual(['SD135']);
    expect(await rulesOf('-u root img', { facts: unread })).toEqual(['SD118', 'SD135']);
    expect(await rulesOf('-u 1000:1000 img', { facts: unread })).toEqual([]);
    expect(await rulesOf('-u 0 img', { facts: unread })).toEqual(['SD118']);
  });

  it('an early judgement judges numbers now and waits for the image to resolve names', async () => {
    const early: RunFacts = { stage: 'early' };
    expect(await rulesOf('-u 0 img', { facts: early, image: null })).toEqual(['SD118']);
    expect(await rulesOf('-u toor img', { facts: early, image: null })).toEqual([]);
    expect(await rulesOf('-u 1000:0 img', { facts: early, image: null })).toEqual(['SD138']);
    expect(await rulesOf('-u 1000 --group-add 0 img', { facts: early, image: null })).toEqual(['SD138']);
  });
});

describe('4. host namespaces by joining a container that has them', () => {
  const c = (
    name: string,
    modes: Partial<Pick<ContainerFacts, 'pidMode' | 'ipcMode' | 'networkMode'>>,
  ): ContainerFacts => ({
    id: `${name}-id`,
    name,
    pidMode: '',
    ipcMode: 'private',
    networkMode: 'bridge',
    privileged: false,
    mounts: [],
    ...modes,
  });
  const engine = engineFacts({
    containers: {
      hostpid: c('hostpid', { pidMode: 'host' }),
      hostipc: c('hostipc', { ipcMode: 'host' }),
      hostnet: c('hostnet', { networkMode: 'host' }),
      mid: c('mid', { pidMode: 'container:hostpid-id', networkMode: 'container:hostnet-id' }),
      'hostpid-id': c('hostpid', { pidMode: 'host' }),
      'hostnet-id': c('hostnet', { networkMode: 'host' }),
      plain: c('plain', {}),
      gone: null,
      // A chain of six joins ending in the host's: deeper than safedock follows.
      ...Object.fromEntries(
        [1, 2, 3, 4, 5, 6].map((i) => [`j${i}`, c(`j${i}`, { pidMode: i === 6 ? 'host' : `container:j${i + 1}` })]),
      ),
      loop1: c('loop1', { pidMode: 'container:loop2' }),
      loop2: c('loop2', { pidMode: 'container:loop1' }),
    },
  });
  const rows: Row[] = [
    ['--pid container:hostpid img', ['SD104']],
    ['--pid=container:hostpid img', ['SD104']],
    ['--ipc container:hostipc img', ['SD105']],
    ['--network container:hostnet img', ['SD106']],
    ['--net container:hostnet img', ['SD106']],
    ['--net=container:hostnet img', ['SD106']],
    ['--pid container:mid img', ['SD104']],
    ['--network container:mid img', ['SD106']],
    ['--pid container:plain img', []],
    ['--network container:plain --ipc container:plain img', []],
    ['--pid container:hostnet img', []],
    ['--pid container:gone img', ['SD135']],
    ['--pid container:unasked img', ['SD135']],
    ['--pid container:j2 img', ['SD104']],
    ['--pid container:j1 img', ['SD135']],
    ['--pid container:loop1 img', []],
  ];
  it.each(rows)('%s → %j', async (line, expected) => {
    expect(await rulesOf(line, { facts: full({ engine }) })).toEqual(expected);
  });

  it('a chain deeper than safedock follows is refused, not passed', async () => {
    const f = await findingsFor('--pid container:j1 img', { facts: full({ engine }) });
    expect(f.find((x) => x.rule === 'SD135')?.detail).toContain('container j5 joins container "j6", more than 5');
  });

  it('names the container it goes through', async () => {
    const f = await findingsFor('--pid container:mid img', { facts: full({ engine }) });
    expect(f.find((x) => x.rule === 'SD104')?.detail).toBe(
      'PidMode is "container:mid": through container mid, which joins container hostpid, which runs with PidMode "host" (--pid host)',
    );
  });
});

describe('9. fail closed: what a rule cannot read refuses the run', () => {
  const rows: Row[] = [
    // writable-cgroups is judged (SD154, issue #15); a value ParseBool does not take is unread.
    ['--security-opt writable-cgroups=yes img', ['SD135']],
    ['--security-opt systempaths=Unconfined img', ['SD135']],
    ['--security-opt mask=/proc/kcore img', ['SD135']],
    ['--security-opt Seccomp=unconfined img', ['SD114']],
    ['--security-opt no-new-privileges=maybe img', ['SD135']],
    ['--mount type=bind,dst=/x img', ['SD135']],
    ['--mount type=volume,dst=/x,volume-opt=type=none,volume-opt=o=bind img', ['SD135']],
    ['--mount type=volume,dst=/x,volume-opt=type=unknownfs,volume-opt=device=x img', ['SD135']],
    ['--mount type=volume,dst=/x,volume-opt=Device=/dev/vda,volume-opt=type=ext4 img', ['SD135']],
    // --volume-driver also reaches the image's VOLUME paths.
    ['--volume-driver rexray img', ['SD136']],
  ];
  it.each(rows)('%s → %j', async (line, expected) => {
    expect(await rulesOf(line)).toEqual(expected);
  });
});

describe('10. loosening what the engine or the preset set is high', () => {
  const rows: Row[] = [
    ['--security-opt apparmor=unconfined img', ['SD115']],
    ['--security-opt apparmor:unconfined img', ['SD115']],
    ['--security-opt apparmor=Unconfined img', ['SD115']],
    ['--security-opt no-new-privileges=false img', ['SD117']],
    ['--security-opt no-new-privileges:false img', ['SD117']],
    ['--security-opt no-new-privileges=0 img', ['SD117']],
    ['--security-opt no-new-privileges=f img', ['SD117']],
    ['--security-opt no-new-privileges=FALSE img', ['SD117']],
    ['--security-opt no-new-privileges=False img', ['SD117']],
    // Values Go's ParseBool refuses: unreadable, refused (never read as "on").
    ['--security-opt no-new-privileges=no img', ['SD135']],
    ['--security-opt no-new-privileges=fAlse img', ['SD135']],
    ['--security-opt no-new-privileges=yes img', ['SD135']],
    ['--security-opt "no-new-privileges= true" img', ['SD135']],
    ['--security-opt no-new-privileges=true img', []],
    ['--security-opt no-new-privileges=1 img', []],
    ['--security-opt no-new-privileges img', []],
  ];
  it.each(rows)('%s → %j', async (line, expected) => {
    expect(await rulesOf(line)).toEqual(expected);
  });

  it('severities: unconfined AppArmor and no-new-privileges=false are high, a missing no-new-privileges medium', async () => {
    const of = async (line: string, rule: string) =>
      (await findingsFor(line, { preset: 'none' })).find((f) => f.rule === rule);
    expect((await of('--security-opt apparmor=unconfined img', 'SD115'))?.severity).toBe('high');
    expect((await of('--security-opt no-new-privileges=false img', 'SD117'))?.severity).toBe('high');
    expect((await of('img', 'SD117'))?.severity).toBe('medium');
  });
});

describe('devices that are the host itself are critical', () => {
  const severityOf = async (line: string, rule: string): Promise<string | undefined> =>
    (await findingsFor(line)).find((f) => f.rule === rule)?.severity;
  it.each([
    ['--device /dev/vda img', 'SD123', 'critical'],
    ['--device /dev/sda1:/dev/xvda img', 'SD123', 'critical'],
    ['--device=/dev/nvme0n1p2 img', 'SD123', 'critical'],
    ['--device /dev/mapper/root img', 'SD123', 'critical'],
    ['--device /dev/mem:r img', 'SD123', 'critical'],
    ['--device /dev/kmsg:r img', 'SD123', 'high'],
    ['--device /dev/fuse img', 'SD123', 'high'],
    ["--device-cgroup-rule 'b *:* rwm' img", 'SD124', 'critical'],
    ["--device-cgroup-rule 'a *:* rwm' img", 'SD124', 'critical'],
    ["--device-cgroup-rule 'c 1:1 r' img", 'SD124', 'critical'],
    ["--device-cgroup-rule 'c 10:200 rwm' img", 'SD124', 'high'],
  ])('%s: %s is %s', async (line, rule, severity) => {
    expect(await severityOf(line, rule)).toBe(severity);
  });
});
