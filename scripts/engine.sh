#!/usr/bin/env bash
# Make sure a Docker engine answers on the local unix socket, and that a static busybox is
# installed (the test and demo images are built from it).
#
#   bash scripts/engine.sh
#
# Idempotent and fast when everything is already there (one /_ping, one readelf).
# Socket: $DOCKER_HOST when it is unix://PATH, else /var/run/docker.sock.
# As root, installs what is missing from Debian's packages (docker.io, busybox-static) and
# starts dockerd in the background (log: $SAFEDOCK_DOCKERD_LOG, default /tmp/safedock-dockerd.log).
# Extra dockerd flags: $SAFEDOCK_DOCKERD_ARGS (word-split). Wait limit: $SAFEDOCK_ENGINE_WAIT (s, 60).
set -euo pipefail

log() { printf 'engine.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

default_sock=/var/run/docker.sock
sock=$default_sock
if [[ -n "${DOCKER_HOST:-}" ]]; then
  case "$DOCKER_HOST" in
    unix://*) sock=${DOCKER_HOST#unix://} ;;
    *) die "DOCKER_HOST=$DOCKER_HOST is not a unix:// socket; this script only manages a local engine" ;;
  esac
fi
busybox=${SAFEDOCK_BUSYBOX:-/bin/busybox}
wait_s=${SAFEDOCK_ENGINE_WAIT:-60}
is_root() { [[ $(id -u) -eq 0 ]]; }

# GET /_ping on the socket; 0 when the engine answers 200 "OK".
ping_engine() {
  [[ -S "$sock" ]] || return 1
  if command -v curl >/dev/null 2>&1; then
    [[ "$(curl -sS --max-time 3 --unix-socket "$sock" http://localhost/_ping 2>/dev/null)" == OK ]]
  else
    node -e '
      const r = require("http").get({ socketPath: process.argv[1], path: "/_ping", timeout: 3000 },
        (res) => process.exit(res.statusCode === 200 ? 0 : 1));
      r.on("timeout", () => process.exit(1)); r.on("error", () => process.exit(1));' "$sock"
  fi
}

# 0 when $1 is an executable ELF with no program interpreter (i.e. statically linked).
is_static() {
  local f=$1
  [[ -x "$f" ]] || return 1
  if command -v readelf >/dev/null 2>&1; then
    readelf -h "$f" >/dev/null 2>&1 || return 1
    ! readelf -lW "$f" 2>/dev/null | grep -q INTERP
  else
    node -e '
      const b = require("fs").readFileSync(process.argv[1]);
      if (b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2) process.exit(1); // ELF64 only
      const le = b[5] === 1, u16 = (o) => le ? b.readUInt16LE(o) : b.readUInt16BE(o);
      const u32 = (o) => le ? b.readUInt32LE(o) : b.readUInt32BE(o);
      const phoff = Number(le ? b.readBigUInt64LE(0x20) : b.readBigUInt64BE(0x20));
      for (let i = 0; i < u16(0x38); i++) if (u32(phoff + i * u16(0x36)) === 3) process.exit(1); // PT_INTERP
      process.exit(0);' "$f"
  fi
}

need_pkgs=()
if ! is_static "$busybox"; then
  if [[ "$busybox" == /bin/busybox ]]; then need_pkgs+=(busybox-static)
  else die "SAFEDOCK_BUSYBOX=$busybox is not a static executable"; fi
fi

engine_up=0
if ping_engine; then engine_up=1; fi

if [[ $engine_up -eq 0 ]] && ! command -v dockerd >/dev/null 2>&1; then need_pkgs+=(docker.io); fi
# dockerd needs cgroups; on a machine whose init mounted none, cgroupfs-mount mounts them.
no_cgroups=0
if [[ $engine_up -eq 0 ]] && ! grep -qE '^[^ ]+ [^ ]+ cgroup2? ' /proc/self/mounts 2>/dev/null; then
  no_cgroups=1
  command -v cgroupfs-mount >/dev/null 2>&1 || need_pkgs+=(cgroupfs-mount)
fi

if [[ ${#need_pkgs[@]} -gt 0 ]]; then
  if ! is_root; then
    die "missing: ${need_pkgs[*]}. Run as root, or: sudo apt-get install -y ${need_pkgs[*]}"
  fi
  command -v apt-get >/dev/null 2>&1 || die "missing: ${need_pkgs[*]}, and apt-get is not available to install them"
  log "installing ${need_pkgs[*]} (apt-get)…"
  export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
  apt_log=$(mktemp /tmp/safedock-apt.XXXXXX)
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 "${need_pkgs[@]}"; } </dev/null >"$apt_log" 2>&1; then
    tail -n 30 "$apt_log" >&2
    die "apt-get install ${need_pkgs[*]} failed (full log: $apt_log)"
  fi
  rm -f "$apt_log"
  is_static "$busybox" || die "$busybox is still not a static executable after installing busybox-static"
fi

if [[ $engine_up -eq 1 ]] || ping_engine; then
  exit 0
fi

# --- start dockerd ---------------------------------------------------------------------------
is_root || die "no engine answers on $sock and starting dockerd needs root (sudo bash scripts/engine.sh)"
command -v dockerd >/dev/null 2>&1 || die "dockerd not found after install"
if [[ $no_cgroups -eq 1 ]]; then
  log "no cgroup filesystem mounted: running cgroupfs-mount"
  cgroupfs-mount >&2 || log "cgroupfs-mount failed; dockerd may not start"
fi

dockerd_log=${SAFEDOCK_DOCKERD_LOG:-/tmp/safedock-dockerd.log}
args=()
if [[ "$sock" == "$default_sock" ]]; then
  pidfile=/var/run/docker.pid
else
  # An engine on a custom socket gets its own state so it can't clash with a default one. It runs
  # without a bridge network (--bridge none; containers get --network none semantics by default)...
  # but dockerd started with --bridge none DELETES an existing docker0, which belongs to the other
  # engine: refuse then, unless the caller names a bridge of their own.
  if [[ -e /sys/class/net/docker0 && " ${SAFEDOCK_DOCKERD_ARGS:-} " != *" --bridge"* && " ${SAFEDOCK_DOCKERD_ARGS:-} " != *" -b "* ]]; then
    die "a docker0 bridge exists (another engine's); a second dockerd on $sock would remove it. Stop that engine, use its socket, or set SAFEDOCK_DOCKERD_ARGS='--bridge=<an existing bridge of yours>'"
  fi
  state=/tmp/safedock-dockerd-$(printf '%s' "$sock" | cksum | cut -d' ' -f1)
  mkdir -p "$state"
  pidfile=$state/docker.pid
  args+=(-H "unix://$sock" --data-root "$state/data" --exec-root "$state/exec" --pidfile "$pidfile" --iptables=false)
  [[ " ${SAFEDOCK_DOCKERD_ARGS:-} " == *" --bridge"* || " ${SAFEDOCK_DOCKERD_ARGS:-} " == *" -b "* ]] || args+=(--bridge none)
  [[ -n "${SAFEDOCK_DOCKERD_LOG:-}" ]] || dockerd_log=$state/dockerd.log
fi
# shellcheck disable=SC2206
args+=(${SAFEDOCK_DOCKERD_ARGS:-})

# A dockerd that is still starting up: wait for it instead of starting a second one.
pid=""
if [[ -s "$pidfile" ]]; then
  p=$(cat "$pidfile" 2>/dev/null || true)
  if [[ "$p" =~ ^[0-9]+$ ]] && [[ "$(cat /proc/"$p"/comm 2>/dev/null || true)" == dockerd ]]; then
    pid=$p
    log "dockerd (pid $pid) is running but not answering yet; waiting"
  fi
fi

start_dockerd() {
  log "starting dockerd ${args[*]:-} (log: $dockerd_log)"
  mkdir -p "$(dirname "$dockerd_log")"
  # setsid + nohup: the daemon outlives this script and its terminal/session.
  setsid nohup dockerd "${args[@]}" </dev/null >>"$dockerd_log" 2>&1 &
  pid=$!
}

wait_engine() {
  local deadline=$((SECONDS + wait_s))
  while ((SECONDS < deadline)); do
    if ping_engine; then return 0; fi
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then return 2; fi
    sleep 0.25
  done
  return 1
}

if [[ -z "$pid" ]]; then
  : >"$dockerd_log" 2>/dev/null || true
  start_dockerd
fi

rc=0; wait_engine || rc=$?
if [[ $rc -eq 2 ]] && grep -qiE 'iptables|nat chain' "$dockerd_log" && [[ " ${args[*]:-} " != *" --iptables=false "* ]]; then
  # Sandboxes without netfilter: retry without iptables rules (containers still get a bridge).
  log "dockerd exited over iptables; retrying with --iptables=false"
  args+=(--iptables=false)
  start_dockerd
  rc=0; wait_engine || rc=$?
fi

if [[ $rc -ne 0 ]]; then
  if [[ $rc -eq 2 ]]; then log "dockerd exited before answering on $sock"
  else log "no answer from $sock after ${wait_s}s"; fi
  log "last lines of $dockerd_log:"
  tail -n 25 "$dockerd_log" >&2 || true
  die "could not start a Docker engine on $sock"
fi
log "engine ready on $sock ($(docker -H "unix://$sock" version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
