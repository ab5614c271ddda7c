/**
 * Users and groups as the image defines them (/etc/passwd, /etc/group), and a docker --user value
 * resolved to numbers the way the runtime resolves it. Pure.
 */

export interface Account {
  name: string;
  uid: number;
  gid: number;
}

export interface Accounts {
  users: readonly Account[];
  groups: ReadonlyArray<{ name: string; gid: number }>;
}

export const NO_ACCOUNTS: Accounts = { users: [], groups: [] };

/** Reads /etc/passwd and /etc/group text; malformed lines are skipped. */
export function parseAccounts(passwd: string, group: string): Accounts {
  const users: Account[] = [];
  for (const line of passwd.split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name && isId(uid) && isId(gid)) users.push({ name, uid: Number(uid), gid: Number(gid) });
  }
  const groups: Array<{ name: string; gid: number }> = [];
  for (const line of group.split('\n')) {
    const [name, , gid] = line.split(':');
    if (name && isId(gid)) groups.push({ name, gid: Number(gid) });
  }
  return { users, groups };
}

const isId = (s: string | undefined): s is string => s !== undefined && /^\d{1,10}$/.test(s);

export interface Ids {
  uid: number;
  gid: number;
}

/**
 * `user[:group]` (names or numbers) as numbers: a name must exist; a number need not, and then its
 * group is 0, as runc does. An empty value is root. Undefined when a name is not in the image.
 */
export function resolveUser(spec: string, accounts: Accounts): Ids | undefined {
  if (spec === '') return { uid: 0, gid: 0 };
  const [userPart = '', groupPart] = spec.split(':');
  const byName = accounts.users.find((u) => u.name === userPart);
  const byId = isId(userPart) ? accounts.users.find((u) => u.uid === Number(userPart)) : undefined;
  let uid: number;
  let gid: number;
  if (isId(userPart)) {
    uid = Number(userPart);
    gid = byId?.gid ?? 0;
  } else if (byName !== undefined) {
    ({ uid, gid } = byName);
  } else {
    return undefined;
  }
  if (groupPart !== undefined && groupPart !== '') {
    if (isId(groupPart)) gid = Number(groupPart);
    else {
      const group = accounts.groups.find((g) => g.name === groupPart);
      if (group === undefined) return undefined;
      gid = group.gid;
    }
  }
  return { uid, gid };
}

/** The account name of a uid, for messages ("www-data"), or the number itself. */
export function userName(uid: number, accounts: Accounts): string {
  return accounts.users.find((u) => u.uid === uid)?.name ?? String(uid);
}
