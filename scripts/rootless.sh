#!/usr/bin/env bash
# Rootless Docker as a third engine for the tests: Debian's dockerd-rootless.sh run by a user of
# its own, on a socket of its own. Needs root (to make the user and, where needed, open /dev/net/tun).
#
#   bash scripts/rootless.sh start    start it (installing rootlesskit, slirp4netns and uidmap when
#                                     missing) and build the test images in it
#   bash scripts/rootless.sh stop     stop what start started, and put /dev/net/tun back as it was
#
# State, socket and log live in $SAFEDOCK_ROOTLESS_DIR (default /tmp/safedock-rootless); the
# socket is $SAFEDOCK_ROOTLESS_DIR/docker.sock. `start` prints `socket PATH`, and `started PID` when
# it started the engine. The user is $SAFEDOCK_ROOTLESS_USER (default safedock-rootless).
#
# /dev/net/tun: slirp4netns, the rootless network, opens it as the user. Linux creates it with
# mode 0666; a machine that ships it 0600 (this sandbox does) stops rootless Docker with
# "setting up tap tap0: … open: Permission denied". start then makes it 0666, and stop restores it.
set -euo pipefail

log() { printf 'rootless.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

dir=${SAFEDOCK_ROOTLESS_DIR:-/tmp/safedock-rootless}
user=${SAFEDOCK_ROOTLESS_USER:-safedock-rootless}
sock=$dir/docker.sock
pidfile=$dir/engine.pid
tunfile=$dir/tun-mode
engine_log=$dir/dockerd.log
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

[[ $(id -u) -eq 0 ]] || die "run as root: it makes the user that runs the rootless engine"

ping_engine() {
  [[ -S "$sock" ]] || return 1
  node -e '
    const r = require("http").get({ socketPath: process.argv[1], path: "/_ping", timeout: 3000 },
      (res) => process.exit(res.statusCode === 200 ? 0 : 1));
    r.on("timeout", () => process.exit(1)); r.on("error", () => process.exit(1));' "$sock"
}

start() {
  local need=()
  command -v rootlesskit >/dev/null 2>&1 || need+=(rootlesskit)
  command -v slirp4netns >/dev/null 2>&1 || need+=(slirp4netns)
  command -v newuidmap >/dev/null 2>&1 || need+=(uidmap)
  command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
  if [[ ${#need[@]} -gt 0 ]]; then
    log "installing ${need[*]} (apt-get)…"
    export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 "${need[@]}"; } </dev/null >/dev/null 2>&1 ||
      die "apt-get install ${need[*]} failed"
  fi
  local script=/usr/share/docker.io/contrib/dockerd-rootless.sh
  [[ -x "$script" ]] || die "$script not found (Debian's docker.io ships it)"
  id "$user" >/dev/null 2>&1 || useradd -m -s /bin/bash "$user"
  # Subordinate ids for the user namespace (useradd adds them on Debian; older setups may not).
  grep -q "^$user:" /etc/subuid || echo "$user:200000:65536" >>/etc/subuid
  grep -q "^$user:" /etc/subgid || echo "$user:200000:65536" >>/etc/subgid
  [[ -c /dev/net/tun ]] || die "/dev/net/tun is missing: slirp4netns (the rootless network) needs it"
  if [[ ! -e "$tunfile" ]]; then
    mkdir -p "$dir"
    stat -c %a /dev/net/tun >"$tunfile"
    [[ "$(cat "$tunfile")" == 666 ]] || { log "/dev/net/tun is mode $(cat "$tunfile"); making it 0666 as Linux creates it"; chmod 0666 /dev/net/tun; }
  fi
  mkdir -p "$dir"
  chown "$user" "$dir"
  chmod 0700 "$dir"
  if ! ping_engine; then
    log "starting rootless dockerd as $user on unix://$sock"
    runuser -u "$user" -- env -i HOME="$(getent passwd "$user" | cut -d: -f6)" USER="$user" \
      PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin XDG_RUNTIME_DIR="$dir" \
      "$script" --data-root "$dir/data" </dev/null >"$engine_log" 2>&1 &
    for _ in $(seq 1 240); do ping_engine && break; sleep 0.25; done
    ping_engine || { grep -v '^+' "$engine_log" | tail -n 20 >&2; die "rootless dockerd did not answer on $sock"; }
    # The script execs rootlesskit, the parent of the engine's namespaces: its pid is what stop ends.
    pgrep -u "$user" -f "^rootlesskit .* --data-root $dir/data\$" | head -n 1 >"$pidfile"
    [[ -s "$pidfile" ]] || die "the rootless engine answers but its rootlesskit process was not found"
    echo "started $(cat "$pidfile")"
  fi
  echo "socket $sock"
  DOCKER_HOST="unix://$sock" bash "$root/scripts/images.sh" -q test
}

stop() {
  if [[ -s "$pidfile" ]]; then
    pid=$(cat "$pidfile")
    # The script execs rootlesskit, which runs dockerd in its namespaces: ending it ends them.
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    rm -f "$pidfile"
  fi
  if [[ -s "$tunfile" ]]; then chmod "$(cat "$tunfile")" /dev/net/tun; rm -f "$tunfile"; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
