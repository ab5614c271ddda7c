import { join } from 'node:path';

/** The socket scripts/rootless.sh starts the rootless engine on. */
export const ROOTLESS_SOCKET = join(process.env['SAFEDOCK_ROOTLESS_DIR'] ?? '/tmp/safedock-rootless', 'docker.sock');
