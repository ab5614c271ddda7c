/**
 * The user and groups a container's process gets, resolved as the engine resolves them: the daemon
 * reads the image's /etc/passwd and /etc/group with runc's user package (GetExecUser and
 * GetAdditionalGroups). Its quirks decide who runs, so they are kept: the first entry of a name
 * wins, a field that is not a number reads as 0 (so `app:x:abc:…` is uid 0), a numeric user is
 * always a uid, `--group-add` matches a group's name before its number, and a user given without a
 * group gets the primary group and the memberships /etc/group lists for it.
 */

/** An /etc/passwd line as runc reads it. */
export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
}

/** An /etc/group line as runc reads it. */
export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/** The image's account files: undefined when the image has no such file. */
export interface ImageAccounts {
  passwd: string | undefined;
  group: string | undefined;
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

/** The largest id runc accepts (math.MaxInt32). */
const MAX_ID = 2 ** 31 - 1;

/** Go's strconv.Atoi: an optional sign and ASCII digits; undefined where Go reports a syntax error. */
export function goAtoi(text: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const n = Number(text);
  // Beyond int64 Go clamps with a range error; the value still lies far outside MAX_ID.
  return Object.is(n, -0) ? 0 : n;
}

/** runc's field parse: a number that does not parse reads as 0 (conversion errors are ignored). */
const idField = (text: string | undefined): number => goAtoi(text ?? '') ?? 0;

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

export function parsePasswd(text: string): PasswdEntry[] {
  return lines(text).map((line) => {
    const [name = '', , uid, gid] = line.split(':');
    return { name, uid: idField(uid), gid: idField(gid) };
  });
}

export function parseGroup(text: string): GroupEntry[] {
  return lines(text).map((line) => {
    const [name = '', , gid, list] = line.split(':');
    return { name, gid: idField(gid), members: list === undefined || list === '' ? [] : list.split(',') };
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
  const uidArg = goAtoi(userArg);
  const gidArg = goAtoi(groupArg);
  const passwd = accounts.passwd === undefined ? [] : parsePasswd(accounts.passwd);
  const groups = accounts.group === undefined ? [] : parseGroup(accounts.group);

  // No user: the first entry with uid 0 (the engine's default user is uid 0, gid 0).
  const match = passwd.find((u) =>
    userArg === '' ? u.uid === 0 : uidArg !== undefined ? u.uid === uidArg : u.name === userArg,
  );
  let uid = 0;
  let gid = 0;
  if (match !== undefined) {
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
    if (uidArg < 0 || uidArg > MAX_ID) return { error: `uid ${userArg} is out of range` };
    uid = uidArg;
  }

  const memberOf: number[] = [];
  if (groupArg !== '') {
    const named = groups.find((g) => (gidArg !== undefined ? g.gid === gidArg : g.name === groupArg));
    if (named !== undefined) gid = named.gid;
    else if (gidArg === undefined)
      return {
        error:
          accounts.group === undefined
            ? `the image has no /etc/group to look up group "${groupArg}" in`
            : `the image's /etc/group has no group "${groupArg}"`,
      };
    else if (gidArg < 0 || gidArg > MAX_ID) return { error: `gid ${groupArg} is out of range` };
    else gid = gidArg;
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
    const found = groups.find((g) => (g.name === ag || String(g.gid) === ag) && !gids.has(g.gid));
    if (found !== undefined) {
      gids.add(found.gid);
      continue;
    }
    const n = goAtoi(ag);
    if (n === undefined) return { error: `the image's /etc/group has no group "${ag}" (--group-add ${ag})` };
    if (n < 0 || n > MAX_ID) return { error: `--group-add ${ag} is out of range` };
    gids.add(n);
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
  const uid = goAtoi(userArg);
  if (userArg === '' || uid === 0) return false;
  return uid === undefined || groupArg === '' || goAtoi(groupArg) === undefined || groupAdd.length > 0;
}
