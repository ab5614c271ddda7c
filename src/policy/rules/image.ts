import { goAtoi, needsAccounts, parseGroup, resolveUser } from '../image-accounts.js';
import { originOf, q, type Check, type Hit, type RuleContext } from './context.js';

/** `name@algorithm:hex` (the digest may follow a tag: name:tag@sha256:…). */
const DIGEST = /@[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-f0-9]{32,}$/i;

/** SD132: the image is named by a tag that can move. */
const pinned: Check = ({ spec }) =>
  spec.image === '' || DIGEST.test(spec.image)
    ? []
    : [{ rule: 'SD132', detail: `${spec.image} is a tag, not a digest`, origin: 'user', item: spec.image }];

/** SD118: the user the process starts as, resolved against the image's account files when it names one. */
const user: Check = (ctx) => {
  const { spec, image, facts } = ctx;
  // `-u ""` is your flag choosing the image's user; otherwise the image's user applies by default.
  const emptied = originOf(ctx, 'user');
  const origin = spec.user !== '' ? emptied : emptied === 'default' ? 'image' : emptied;
  const given = emptied === 'default' ? 'no user given' : 'the user is empty';
  const effective = spec.user !== '' ? spec.user : image?.user;
  if (effective === undefined) {
    // Not inspected yet: an early judgement waits for the image.
    if (facts?.stage === 'early') return [];
    return [
      {
        rule: 'SD118',
        detail: `${given}: the image's default user applies and the image was not inspected (most images run as root)`,
        origin,
      },
    ];
  }
  const said =
    spec.user !== ''
      ? `User is "${spec.user}"`
      : effective === ''
        ? `${given}: the image names no user, so root`
        : `${given}: the image runs as "${effective}"`;
  const resolved = resolvedUser(ctx, effective);
  if (resolved === 'wait') return [];
  if (resolved !== undefined && 'error' in resolved)
    return [
      {
        rule: 'SD135',
        detail: `${said}: ${resolved.error}, so who the process runs as cannot be told (the engine would refuse to start it)`,
        origin,
        item: 'user',
      },
    ];
  if (resolved !== undefined) {
    if (resolved.uid !== 0) return [];
    const name = effective.split(':')[0] ?? '';
    const how =
      name === '' || goAtoi(name) !== undefined
        ? ', uid 0'
        : `, which the image's /etc/passwd maps to uid 0${resolved.matched === 'root' ? '' : ` (${q(resolved.matched ?? name)} is root under another name)`}`;
    return [{ rule: 'SD118', detail: `${said}${how}`, origin }];
  }
  const hits: Hit[] = [];
  if (isRootUser(effective)) hits.push({ rule: 'SD118', detail: spec.user !== '' ? `${said}, uid 0` : said, origin });
  if (facts?.stage === 'full' && typeof facts.accounts === 'string' && needsAccounts(effective, spec.groupAdd))
    hits.push({
      rule: 'SD135',
      detail: `${said}: the image's /etc/passwd and /etc/group could not be read (${facts.accounts}), so the uid and groups it names cannot be told`,
      origin,
      item: 'user',
    });
  return hits;
};

/**
 * The user resolved against the image's account files: undefined when they were not needed or
 * not read (the name alone is judged), 'wait' in an early judgement that needs them.
 */
function resolvedUser(ctx: RuleContext, effective: string): ReturnType<typeof resolveUser> | 'wait' | undefined {
  const accounts = ctx.facts?.accounts;
  if (accounts !== undefined && typeof accounts !== 'string')
    return resolveUser(effective, ctx.spec.groupAdd, accounts);
  const name = effective.split(':')[0] ?? '';
  // A numeric uid is one without any lookup; a name waits for the image's files.
  if (ctx.facts?.stage === 'early' && name !== '' && goAtoi(name) === undefined) return 'wait';
  return undefined;
}

/** SD138: groups that reach what root, the shadow file or the engine socket guard. */
const groups: Check = (ctx) => {
  const { spec, image, facts } = ctx;
  const effective = spec.user !== '' ? spec.user : image?.user;
  if (effective === undefined) return [];
  const resolved = resolvedUser(ctx, effective);
  if (resolved === 'wait' || (resolved !== undefined && 'error' in resolved)) return [];
  if (resolved?.uid === 0 || (resolved === undefined && isRootUser(effective))) return []; // root: SD118 says it
  const bad = privilegedGroups(ctx);
  const hits: Hit[] = [];
  const flag = (gid: number, how: string, origin: Hit['origin'], item: string, severity?: Hit['severity']): void => {
    const why = bad.get(gid);
    if (why !== undefined)
      hits.push({
        rule: 'SD138',
        detail: `${how} gives gid ${gid}, ${why}`,
        origin,
        item: `group:${item}`,
        ...(severity === undefined ? {} : { severity }),
      });
  };
  const groupPart = effective.split(':')[1] ?? '';
  const userOrigin = spec.user !== '' ? originOf(ctx, 'user') : 'image';
  if (resolved !== undefined) {
    // Root's group as the primary group nobody asked for (a uid the image does not list gets gid 0
    // from the engine, as with docker; some images give their user gid 0 on purpose) is reported,
    // in plans only (info): it opens only what root's group may write. Asked for (-u X:0) it is high.
    // The image's own USER X:0 is the same choice made by the image's author (images built to run
    // under any uid give it group 0 on purpose), so it is reported as the implicit one is.
    const implicit = (groupPart === '' || spec.user === '') && resolved.gid === 0;
    flag(
      resolved.gid,
      groupPart === ''
        ? `the primary group of ${q(effective)} in the image's /etc/passwd`
        : spec.user !== ''
          ? `-u ${effective}`
          : `the image's USER ${effective}`,
      userOrigin,
      String(resolved.gid),
      implicit ? 'info' : undefined,
    );
    for (const gid of resolved.memberOf)
      flag(
        gid,
        `the image's /etc/group, which lists ${q(resolved.matched ?? effective)} as a member,`,
        'image',
        String(gid),
      );
    for (const gid of resolved.added) flag(gid, `--group-add`, originOf(ctx, 'groupAdd'), String(gid));
    return hits;
  }
  const gid = goAtoi(groupPart);
  if (gid !== undefined) flag(gid, `-u ${effective}`, userOrigin, String(gid));
  for (const g of spec.groupAdd) {
    const n = goAtoi(g);
    if (n !== undefined) flag(n, `--group-add ${g}`, originOf(ctx, 'groupAdd'), g);
    else if (/^(?:root|shadow|docker|wheel|disk|sudo|adm)$/.test(g) && facts?.stage !== 'early')
      hits.push({
        rule: 'SD138',
        detail: `--group-add ${g}: a group of that name usually guards what root, the password hashes, the disks or the engine socket guard, and the image's /etc/group was not read`,
        origin: originOf(ctx, 'groupAdd'),
        item: `group:${g}`,
      });
  }
  return hits;
};

/** The gids this host and image reserve for root's group, the shadow file and the engine sockets. */
function privilegedGroups(ctx: RuleContext): Map<number, string> {
  const out = new Map<number, string>([[0, "root's group"]]);
  const { facts } = ctx;
  for (const s of facts?.host?.socketGroups ?? [])
    if (!out.has(s.gid)) out.set(s.gid, `the group that owns the engine socket ${s.socket}`);
  const socketGid = facts?.engine?.socketGid;
  if (socketGid !== undefined && !out.has(socketGid)) out.set(socketGid, "the group that owns the engine's socket");
  if (facts?.host?.shadowGid !== undefined && !out.has(facts.host.shadowGid))
    out.set(facts.host.shadowGid, "the host's shadow group (it reads the host's password hashes through any mount)");
  const accounts = facts?.accounts;
  if (accounts !== undefined && typeof accounts !== 'string' && accounts.group !== undefined) {
    for (const g of parseGroup(accounts.group))
      if (g.name === 'shadow' && !out.has(g.gid)) out.set(g.gid, "the image's shadow group (it reads /etc/shadow)");
  }
  return out;
}

/**
 * Whether a user spec starts the process as uid 0: the user part empty (`:100` keeps root), `root`,
 * or a number the engine parses as 0 (`0`, `00`, `+0`). A group does not change the uid.
 */
export function isRootUser(spec: string): boolean {
  const colon = spec.indexOf(':');
  const name = colon < 0 ? spec : spec.slice(0, colon);
  if (name === '' || name === 'root') return true;
  return /^[+-]?\d+$/.test(name) && Number(name) === 0;
}

/** SD118, SD132, SD138 (and SD135 for a user the image's files cannot resolve). */
export const imageChecks: readonly Check[] = [user, groups, pinned];
