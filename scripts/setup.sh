#!/usr/bin/env bash
# Everything the whole test suite needs on a fresh Debian machine, as root; fast when it is there:
#   bash scripts/setup.sh && npm ci && npm test
# - a Docker engine answering on the local socket, and static busybox (scripts/engine.sh);
# - gcc and libc6-dev: the escape suite's probe and the tracer fixture are static C programs;
# - zsh and fish: the completion tests load safedock's scripts in each shell;
# - docker-compose (Debian's 1.29): the export and compose harden tests run it;
# - acl (setfacl): the trust tests give a file an access control list.
# (debootstrap, for the real-app images, is installed by scripts/app-images.sh when it builds them;
# Podman and rootless Docker by scripts/podman.sh and scripts/rootless.sh, for their own jobs.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/engine.sh

missing=()
if ! command -v gcc >/dev/null 2>&1 || [[ "$(gcc -print-file-name=libc.a)" != /* ]]; then missing+=(gcc libc6-dev); fi
command -v zsh >/dev/null 2>&1 || missing+=(zsh)
command -v fish >/dev/null 2>&1 || missing+=(fish)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v setfacl >/dev/null 2>&1 || missing+=(acl)
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup.sh: missing ${missing[*]}; install them (apt-get install ${missing[*]}) or run this as root" >&2
    exit 1
  fi
  echo "setup.sh: installing ${missing[*]} (apt-get)…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}" >/dev/null
fi
