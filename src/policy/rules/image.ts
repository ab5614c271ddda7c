import { originOf, type Check } from './context.js';

/** `name@algorithm:hex` (the digest may follow a tag: name:tag@sha256:…). */
const DIGEST = /@[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-f0-9]{32,}$/i;

/** SD132: the image is named by a tag that can move. */
const pinned: Check = ({ spec }) =>
  spec.image === '' || DIGEST.test(spec.image)
    ? []
    : [{ rule: 'SD132', detail: `${spec.image} is a tag, not a digest`, origin: 'user', item: spec.image }];

/** SD118: the user the process starts as. */
const user: Check = (ctx) => {
  const { spec, image } = ctx;
  if (spec.user !== '') {
    return isRootUser(spec.user)
      ? [{ rule: 'SD118', detail: `User is "${spec.user}", uid 0`, origin: originOf(ctx, 'user') }]
      : [];
  }
  // `-u ""` is your flag choosing the image's user; otherwise the image's user applies by default.
  const emptied = originOf(ctx, 'user');
  const origin = emptied === 'default' ? 'image' : emptied;
  const given = emptied === 'default' ? 'no user given' : 'the user is empty';
  if (image === undefined) {
    return [
      {
        rule: 'SD118',
        detail: `${given}: the image's default user applies and the image was not inspected (most images run as root)`,
        origin,
      },
    ];
  }
  if (!isRootUser(image.user)) return [];
  const said = image.user === '' ? 'names no user, so root' : `runs as "${image.user}"`;
  return [{ rule: 'SD118', detail: `${given}: the image ${said}`, origin }];
};

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

export const imageChecks: readonly Check[] = [user, pinned];
