/** Why a deployment document has no place for the settings of one client's `docker run`. */
export const CLIENT = {
  attach: { client: 'how one client attaches to the container; the deployment tool decides' },
  detach: { client: 'how one client waits for the container; the deployment tool starts it in the background' },
  quiet: { client: 'the pull output of one client' },
  sigProxy: { client: 'signal forwarding of one attached client' },
  detachKeys: { client: 'the detach keys of one attached client' },
  cidfile: { client: 'a file one client writes the container id to' },
  autoRemove: { client: 'the deployment tool removes its containers itself' },
} as const;

/** What to do instead of a setting the target has no place for, when nothing replaces it. */
export const RUN_IT_WITH_DOCKER = 'keep it with `safedock run` (or `safedock export --format args`) if you need it';

/** --stop-timeout -1: the engine waits for the container to stop, however long that takes. */
export const WAITS_FOREVER = {
  why: 'a stop timeout of -1 (wait until the container stops) has no duration to write',
  instead: 'give the longest wait you accept, e.g. --stop-timeout 3600',
} as const;
