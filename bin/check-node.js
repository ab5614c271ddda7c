// Refuses Node.js versions older than package.json's "engines" (>=20.17.0) with a clear message.
'use strict';
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 17)) {
  process.stderr.write(
    `safedock: Node.js ${process.versions.node} is too old; safedock needs Node.js 20.17 or newer.\n` +
      "Install a current Node.js (https://nodejs.org or your distribution's nodejs package) and try again.\n",
  );
  process.exit(125);
}
