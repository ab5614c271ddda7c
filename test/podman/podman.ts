import { join } from 'node:path';

/** The socket scripts/podman.sh starts Podman's API on. */
export const PODMAN_SOCKET = join(process.env['SAFEDOCK_PODMAN_DIR'] ?? '/tmp/safedock-podman', 'podman.sock');
