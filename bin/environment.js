'use strict';
/** Puts back the variables the shebang moved aside (see bin/run.js). */
function restoreEnvironment(env) {
  const moved = env.SAFEDOCK_NODE_EXTRA_CA_CERTS;
  if (moved === undefined) return;
  delete env.SAFEDOCK_NODE_EXTRA_CA_CERTS;
  if (moved !== '') env.NODE_EXTRA_CA_CERTS = moved;
}

module.exports = { restoreEnvironment };
