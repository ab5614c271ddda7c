/**
 * The user and groups a container's process gets, resolved as the engine resolves them: the daemon
 * reads the image's /etc/passwd and /etc/group with runc's user package (GetExecUser and
 * GetAdditionalGroups). Its quirks decide who runs, so they are kept: the first entry of a name
 * wins, a field that is not a number reads as 0 (so `app:x:abc:…` is uid 0), a numeric user is
 * always a uid, `--group-add` matches a group's name before its number, and a user given without a
 * group gets the primary group and the memberships /etc/group lists for it.
 */

/**
 * An /etc/passwd line as runc reads it: ids as Go ints (`value`), and as the process gets them
 * (`uid`, `gid`): the engine hands them to the runtime as uint32, so 4294967296 becomes 0.
 */
export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  uidValue: bigint;
  gidValue: bigint;
}

/** An /etc/group line as runc reads it. */
export interface GroupEntry {
  name: string;
  gid: number;
  gidValue: bigint;
  members: string[];
}

/** The image's account files: undefined when the image has no such file. */
export interface ImageAccounts {
  passwd: string | undefined;
  group: string | undefined;
}

/** No account files: only numeric users resolve. */
export const NO_IMAGE_ACCOUNTS: ImageAccounts = { passwd: undefined, group: undefined };

/** A uid and its primary gid. */
export interface Ids {
  uid: number;
  gid: number;
}

/** Who the process runs as. */
export interface ResolvedUser {
  uid: number;
  gid: number;
  /** Supplementary groups from /etc/group (only for a user given without a group). */
  memberOf: number[];
  /** --group-add's groups. */
  added: number[];
  /** The passwd entry the user matched, if any. */
  matched?: string;
}

/** The largest id runc accepts where it checks (math.MaxInt32). */
const MAX_ID = 2n ** 31n - 1n;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/**
 * Go's strconv.Atoi as a 64-bit int: an optional sign and ASCII digits, clamped to int64 where Go
 * reports a range error (runc ignores that error and keeps the clamped value); undefined where
 * Go reports a syntax error.
 */
export function goAtoiBig(text: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const n = BigInt(text.startsWith('+') ? text.slice(1) : text);
  return n > INT64_MAX ? INT64_MAX : n < INT64_MIN ? INT64_MIN : n;
}

/** goAtoiBig as a number (exact for every id that matters: beyond 2^53 only the order counts). */
export function goAtoi(text: string): number | undefined {
  const n = goAtoiBig(text);
  return n === undefined ? undefined : Number(n);
}

/** The id the process gets: the engine converts runc's int to uint32. */
const asUint32 = (n: bigint): number => Number(BigInt.asUintN(32, n));

/** runc's field parse: a number that does not parse reads as 0 (conversion errors are ignored). */
const idField = (text: string | undefined): bigint => goAtoiBig(text ?? '') ?? 0n;

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

export function parsePasswd(text: string): PasswdEntry[] {
  return lines(text).map((line) => {
    const [name = '', , uid, gid] = line.split(':');
    const uidValue = idField(uid);
    const gidValue = idField(gid);
    return { name, uid: asUint32(uidValue), gid: asUint32(gidValue), uidValue, gidValue };
  });
}

export function parseGroup(text: string): GroupEntry[] {
  return lines(text).map((line) => {
    const [name = '', , gid, list] = line.split(':');
    const gidValue = idField(gid);
    return {
      name,
      gid: asUint32(gidValue),
      gidValue,
      members: list === undefined || list === '' ? [] : list.split(','),
    };
  });
}

/**
 * The uid, gid and groups a user spec (`-u`, or the image's USER) starts the process with, or the
 * reason the engine will refuse to start it.
 */
export function resolveUser(
  spec: string,
  groupAdd: readonly string[],
  accounts: ImageAccounts,
): ResolvedUser | { error: string } {
  // runc splits on ':' and reads the first two parts; more are ignored.
  const [userArg = '', groupArg = ''] = spec.split(':');
  const uidArg = goAtoiBig(userArg);
  const gidArg = goAtoiBig(groupArg);
  const passwd = accounts.passwd === undefined ? [] : parsePasswd(accounts.passwd);
  const groups = accounts.group === undefined ? [] : parseGroup(accounts.group);

  // No user: the first entry with uid 0 (the engine's default user is uid 0, gid 0).
  const match = passwd.find((u) =>
    userArg === '' ? u.uidValue === 0n : uidArg !== undefined ? u.uidValue === uidArg : u.name === userArg,
  );
  let uid = 0;
  let gid = 0;
  if (match !== undefined) {
    // An entry's ids are not range-checked: the engine truncates them to 32 bits.
    uid = match.uid;
    gid = match.gid;
  } else if (userArg !== '') {
    if (uidArg === undefined)
      return {
        error:
          accounts.passwd === undefined
            ? `the image has no /etc/passwd to look up user "${userArg}" in`
            : `the image's /etc/passwd has no user "${userArg}"`,
      };
    if (uidArg < 0n || uidArg > MAX_ID) return { error: `uid ${userArg} is out of range` };
    uid = Number(uidArg);
  }

  const memberOf: number[] = [];
  if (groupArg !== '') {
    const named = groups.find((g) => (gidArg !== undefined ? g.gidValue === gidArg : g.name === groupArg));
    if (named !== undefined) gid = named.gid;
    else if (gidArg === undefined)
      return {
        error:
          accounts.group === undefined
            ? `the image has no /etc/group to look up group "${groupArg}" in`
            : `the image's /etc/group has no group "${groupArg}"`,
      };
    else if (gidArg < 0n || gidArg > MAX_ID) return { error: `gid ${groupArg} is out of range` };
    else gid = Number(gidArg);
  } else if (match !== undefined) {
    for (const g of groups) if (g.members.includes(match.name)) memberOf.push(g.gid);
  }

  const added = additionalGroups(groupAdd, groups);
  if ('error' in added) return added;
  return { uid, gid, memberOf, added: added.gids, ...(match === undefined ? {} : { matched: match.name }) };
}

/** runc's GetAdditionalGroups: a group's name or its number as Itoa writes it, else a number. */
function additionalGroups(
  wanted: readonly string[],
  groups: readonly GroupEntry[],
): { gids: number[] } | { error: string } {
  const gids = new Set<number>();
  for (const ag of wanted) {
    // The first matching group whose gid is not taken yet; when every match is taken, runc falls
    // through to reading the value as a number (and refuses a name).
    const found = groups.find((g) => (g.name === ag || String(g.gidValue) === ag) && !gids.has(g.gid));
    if (found !== undefined) {
      gids.add(found.gid);
      continue;
    }
    const n = goAtoiBig(ag);
    if (n === undefined) return { error: `the image's /etc/group has no group "${ag}" (--group-add ${ag})` };
    if (n < 0n || n > MAX_ID) return { error: `--group-add ${ag} is out of range` };
    gids.add(Number(n));
  }
  return { gids: [...gids] };
}

/**
 * Whether judging a user spec needs the image's files. Root (no user, or uid 0) needs none: it
 * is root whatever the groups. A numeric uid with a numeric group and no --group-add is used as
 * it is; otherwise the files decide: a name's uid, the primary group and memberships of a user
 * given without a group, and --group-add, which matches a group's name first ("5" may be any gid).
 */
export function needsAccounts(spec: string, groupAdd: readonly string[]): boolean {
  const [userArg = '', groupArg = ''] = spec.split(':');
  const uid = goAtoiBig(userArg);
  if (userArg === '' || uid === 0n) return false;
  return uid === undefined || groupArg === '' || goAtoiBig(groupArg) === undefined || groupAdd.length > 0;
}

/** The uid and gid a user spec starts the process with, or undefined where the engine would refuse it. */
export function resolveIds(spec: string, accounts: ImageAccounts): Ids | undefined {
  const user = resolveUser(spec, [], accounts);
  return 'error' in user ? undefined : { uid: user.uid, gid: user.gid };
}

/** The image's first passwd entry with this uid, if any. */
export function accountOf(uid: number, accounts: ImageAccounts): PasswdEntry | undefined {
  return (accounts.passwd === undefined ? [] : parsePasswd(accounts.passwd)).find((u) => u.uid === uid);
}

/** The account name of a uid, for messages ("www-data"), or the number. */
export function userName(uid: number, accounts: ImageAccounts): string {
  return accountOf(uid, accounts)?.name ?? String(uid);
}
