#!/usr/bin/env bash
# Make sure a local Docker registry (distribution) answers on http://127.0.0.1:5000, so the
# integration tests can exercise real pulls without the internet.
#
#   bash scripts/registry.sh          # start (or find) the registry; prints nothing when it is up
#   bash scripts/registry.sh stop     # stop the registry this script started (its pid file)
#                                     # and delete its storage (it only ever holds test images)
#
# Idempotent and fast when the registry already answers (one GET /v2/). Prints `started PID` on
# stdout when it started the registry (nothing when one was already answering), so a caller
# can stop at the end only what it started.
# As root, installs Debian's docker-registry package when the binary is missing
# (apt-get update only when the package is not known yet; noninteractive, quiet).
# The registry runs detached (setsid nohup), not through systemd, with a minimal config in
# $SAFEDOCK_REGISTRY_DIR (default /tmp/safedock-registry): filesystem storage under
# $SAFEDOCK_REGISTRY_DIR/data, http on 127.0.0.1:5000, log in $SAFEDOCK_REGISTRY_DIR/registry.log.
# The engine treats 127.0.0.0/8 registries as insecure by default, so plain http works for
# docker push/pull without any daemon configuration.
# Wait limit: $SAFEDOCK_REGISTRY_WAIT (s, 30).
set -euo pipefail

log() { printf 'registry.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

addr=127.0.0.1:5000
dir=${SAFEDOCK_REGISTRY_DIR:-/tmp/safedock-registry}
wait_s=${SAFEDOCK_REGISTRY_WAIT:-30}
pidfile=$dir/registry.pid
config=$dir/config.yml
reglog=$dir/registry.log
is_root() { [[ $(id -u) -eq 0 ]]; }

# GET /v2/ answers 200 (no auth) with a JSON body and the Docker-Distribution-Api-Version header.
ping_registry() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsS --max-time 2 -o /dev/null "http://$addr/v2/" 2>/dev/null
  else
    node -e '
      const r = require("http").get({ host: "127.0.0.1", port: 5000, path: "/v2/", timeout: 2000 },
        (res) => process.exit(res.statusCode === 200 ? 0 : 1));
      r.on("timeout", () => process.exit(1)); r.on("error", () => process.exit(1));'
  fi
}

our_pid() {
  [[ -s "$pidfile" ]] || return 1
  local p
  p=$(cat "$pidfile" 2>/dev/null || true)
  [[ "$p" =~ ^[0-9]+$ ]] && [[ "$(cat /proc/"$p"/comm 2>/dev/null || true)" == docker-registry* ]] && printf '%s\n' "$p"
}

if [[ "${1:-}" == stop ]]; then
  if p=$(our_pid); then
    kill "$p"
    for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    rm -f "$pidfile"
    rm -rf "$dir/data"
  fi
  exit 0
fi
[[ $# -eq 0 ]] || die "usage: bash scripts/registry.sh [stop]"

if ping_registry; then exit 0; fi

# --- install ---------------------------------------------------------------------------------
bin=$(command -v docker-registry || true)
if [[ -z "$bin" && -x /usr/bin/docker-registry ]]; then bin=/usr/bin/docker-registry; fi
if [[ -z "$bin" ]]; then
  is_root || die "docker-registry is not installed. Run as root, or: sudo apt-get install -y docker-registry"
  command -v apt-get >/dev/null 2>&1 || die "docker-registry is not installed and apt-get is not available to install it"
  log "installing docker-registry (apt-get)…"
  export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
  apt_log=$(mktemp /tmp/safedock-apt.XXXXXX)
  # The package's postinst may try to start the systemd/sysv service: forbid that, we run our own.
  policy=/usr/sbin/policy-rc.d
  added_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && added_policy=1
  fi
  install() { apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 docker-registry; }
  ok=1
  {
    # apt-get update only when the package is not in the lists yet (or the first install fails).
    if ! apt-cache show docker-registry >/dev/null 2>&1; then apt-get update -qq || true; fi
    install || { apt-get update -qq && install; } || ok=0
  } </dev/null >"$apt_log" 2>&1
  [[ $added_policy -eq 0 ]] || rm -f "$policy"
  if [[ $ok -eq 0 ]]; then
    tail -n 30 "$apt_log" >&2
    die "apt-get install docker-registry failed (full log: $apt_log)"
  fi
  rm -f "$apt_log"
  bin=/usr/bin/docker-registry
  [[ -x $bin ]] || die "$bin is missing after installing docker-registry"
fi

# The package may have started its own service on :5000 (when policy-rc.d was already there
# and allowed it); then it already answers.
if ping_registry; then exit 0; fi

# --- start -----------------------------------------------------------------------------------
mkdir -p "$dir/data"
pid=""
started_here=0
if p=$(our_pid); then
  pid=$p
  log "docker-registry (pid $pid) is running but not answering yet; waiting"
else
  cat >"$config" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: $addr
  secret: safedock-test-registry
EOF
  : >"$reglog"
  # setsid + nohup: the registry outlives this script and its session.
  setsid nohup "$bin" serve "$config" </dev/null >>"$reglog" 2>&1 &
  pid=$!
  started_here=1
  printf '%s\n' "$pid" >"$pidfile"
fi

deadline=$((SECONDS + wait_s))
while ((SECONDS < deadline)); do
  if ping_registry; then
    [[ $started_here -eq 0 ]] || printf 'started %s\n' "$pid"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    log "docker-registry exited before answering on http://$addr/v2/; last lines of $reglog:"
    tail -n 25 "$reglog" >&2 || true
    die "could not start a registry on $addr"
  fi
  sleep 0.2
done
log "no answer from http://$addr/v2/ after ${wait_s}s; last lines of $reglog:"
tail -n 25 "$reglog" >&2 || true
die "could not start a registry on $addr"
