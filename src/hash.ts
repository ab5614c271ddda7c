/**
 * Hashes and random names, with node:crypto loaded on first use: loading it costs every process
 * milliseconds and megabytes, and a plain `safedock run` needs none of it (only a named docker
 * context, Podman's profile files, a plan's profile digest and atomic writes do).
 */
function crypto(): typeof import('node:crypto') {
  return process.getBuiltinModule('node:crypto');
}

/** The SHA-256 of `data`, in lower-case hex. */
export function sha256Hex(data: string | Buffer): string {
  return crypto().createHash('sha256').update(data).digest('hex');
}

/** `bytes` random bytes in hex, for a temporary file's name. */
export function randomHex(bytes: number): string {
  return crypto().randomBytes(bytes).toString('hex');
}
