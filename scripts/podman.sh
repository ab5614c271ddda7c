#!/usr/bin/env bash
# Podman as a second engine for the tests: its Docker-compatible API on a socket of its own.
#
#   bash scripts/podman.sh start [IMAGE...]   start the API service (installing podman as root when missing)
#                                             and load the images from the Docker engine into it
#   bash scripts/podman.sh stop               stop the service this script started
#
# State, socket and log live in $SAFEDOCK_PODMAN_DIR (default /tmp/safedock-podman); the socket is
# $SAFEDOCK_PODMAN_DIR/podman.sock. `start` prints `socket PATH`, and `started PID` when it started
# the service (nothing when one already answered). Idempotent and quick when everything is there.
#
# Why a containers.conf of its own (CONTAINERS_CONF): Podman gives every container RLIMIT_NOFILE
# 1048576 and RLIMIT_NPROC pid_max by default, above what a sandbox may allow its processes, and
# the container then fails to start ("error setting rlimit type 7/6: operation not permitted").
# default_ulimits sets both to this machine's hard limits instead.
set -euo pipefail

log() { printf 'podman.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

dir=${SAFEDOCK_PODMAN_DIR:-/tmp/safedock-podman}
sock=$dir/podman.sock
conf=$dir/containers.conf
pidfile=$dir/service.pid
service_log=$dir/service.log

ping_podman() {
  [[ -S "$sock" ]] || return 1
  node -e '
    const r = require("http").get({ socketPath: process.argv[1], path: "/_ping", timeout: 3000 },
      (res) => process.exit(res.statusCode === 200 ? 0 : 1));
    r.on("timeout", () => process.exit(1)); r.on("error", () => process.exit(1));' "$sock"
}

write_conf() {
  local nofile nproc pid_max
  nofile=$(ulimit -Hn)
  nproc=$(ulimit -Hu)
  pid_max=$(cat /proc/sys/kernel/pid_max 2>/dev/null || echo "$nproc")
  # Podman lowers its own process limit to pid_max; a container may not exceed its parent's.
  if [[ "$nproc" == unlimited ]] || { [[ "$pid_max" =~ ^[0-9]+$ ]] && ((pid_max < nproc)); }; then nproc=$pid_max; fi
  [[ "$nofile" == unlimited ]] && nofile=1048576
  mkdir -p "$dir"
  printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n' "$nofile" "$nofile" "$nproc" "$nproc" >"$conf"
}

start() {
  if ! command -v podman >/dev/null 2>&1; then
    [[ $(id -u) -eq 0 ]] || die "podman is not installed; as root this script installs it (sudo apt-get install -y podman)"
    log "installing podman (apt-get)…"
    export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
    apt_log=$(mktemp /tmp/safedock-apt.XXXXXX)
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 podman; } </dev/null >"$apt_log" 2>&1; then
      tail -n 30 "$apt_log" >&2
      die "apt-get install podman failed (full log: $apt_log)"
    fi
    rm -f "$apt_log"
  fi
  write_conf
  export CONTAINERS_CONF=$conf
  if ! ping_podman; then
    rm -f "$sock"
    log "starting podman system service on unix://$sock ($(podman --version))"
    setsid nohup podman system service --time=0 "unix://$sock" </dev/null >"$service_log" 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 1 120); do ping_podman && break; sleep 0.25; done
    ping_podman || { tail -n 20 "$service_log" >&2; die "podman system service did not answer on $sock"; }
    echo "started $(cat "$pidfile")"
  fi
  echo "socket $sock"
  if [[ $# -gt 0 ]]; then
    command -v docker >/dev/null 2>&1 || die "loading images needs the docker CLI and engine (bash scripts/engine.sh)"
    # Podman names a loaded image localhost/NAME; a short name finds it.
    docker save "$@" | podman load -q >/dev/null || die "docker save $* | podman load failed"
  fi
  # A container must start: this is where a sandbox's limits show.
  if [[ $# -gt 0 ]]; then
    out=$(podman run --rm "$1" true 2>&1) || die "a test container does not start under podman: $out"
  fi
}

stop() {
  [[ -s "$pidfile" ]] || { log "no service started by this script"; return 0; }
  pid=$(cat "$pidfile")
  if [[ "$(cat /proc/"$pid"/comm 2>/dev/null || true)" == podman ]]; then kill "$pid"; fi
  rm -f "$pidfile" "$sock"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  *) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
