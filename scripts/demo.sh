#!/usr/bin/env bash
# The README's first command: from a fresh checkout to a hardened container.
#
#   bash scripts/demo.sh            (as root on a fresh Debian machine)
#
# Installs the npm dependencies, builds safedock, makes sure a Docker engine runs
# (scripts/engine.sh: installs docker.io + busybox-static and starts dockerd when needed),
# builds the demo image locally (scripts/images.sh demo), then runs it with `safedock run`.
# Extra arguments go to `safedock run` before the image: bash scripts/demo.sh --user 1234
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

step "installing npm dependencies"
if [[ -f package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi

step "building safedock (npm run build)"
npm run --silent build

step "making sure a Docker engine answers (scripts/engine.sh)"
bash scripts/engine.sh

step "building the demo image safedock-demo (scripts/images.sh demo)"
bash scripts/images.sh demo

step "safedock run --rm $* safedock-demo"
exec ./bin/run.js run --rm "$@" safedock-demo
