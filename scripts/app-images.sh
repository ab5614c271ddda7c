#!/usr/bin/env bash
# Build real server images from Debian packages for the tests of `safedock learn` and the diagnosis:
# one debootstrap (bookworm, minbase) with nginx-light, apache2 and postgresql-15 installed, then one
# `docker import` per image with the metadata a Dockerfile would set.
#
#   bash scripts/app-images.sh [-q] [build]   build what is missing (default)
#   bash scripts/app-images.sh clean          remove the images (by label) and the cached rootfs
#
#   safedock-app-nginx:latest     nginx -g 'daemon off;' as root (nginx switches to www-data itself)
#   safedock-app-apache:latest    apache2ctl -D FOREGROUND as root (apache switches to www-data)
#   safedock-app-postgres:latest  postgres 15 as USER postgres, its data folder filled by the package
#
# The rootfs tarball is cached under $SAFEDOCK_CACHE (default /var/cache/safedock-test), named after a
# hash of the package list and this recipe, so a later run only imports it (seconds), and a run whose
# images already carry that hash does nothing. The first build needs debootstrap (installed from
# Debian when missing, as root) and Debian's mirror ($SAFEDOCK_DEBIAN_MIRROR); it takes about a minute.
# Every image carries the label safedock.app-image=<hash>, which `clean` and the tests use.
set -euo pipefail

suite=bookworm
mirror=${SAFEDOCK_DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache=${SAFEDOCK_CACHE:-/var/cache/safedock-test}
packages=(nginx-light apache2 postgresql-15)
label=safedock.app-image
quiet=0
action=build

log() { [[ $quiet -eq 1 ]] || printf 'app-images.sh: %s\n' "$*" >&2; }
die() { printf 'app-images.sh: ERROR: %s\n' "$*" >&2; exit 1; }

for a in "$@"; do
  case "$a" in
    -q|--quiet) quiet=1 ;;
    build|clean) action=$a ;;
    -h|--help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$a' (build, clean, -q)" ;;
  esac
done

command -v docker >/dev/null 2>&1 || die "docker CLI not found (bash scripts/engine.sh installs docker.io)"

# The image metadata, one docker import --change per line: NAME|CHANGE.
# postgres listens on every address so that a probe from outside the container reaches it.
metadata() {
  cat <<'EOF'
nginx|CMD ["nginx", "-g", "daemon off;"]
nginx|EXPOSE 80
apache|CMD ["apache2ctl", "-D", "FOREGROUND"]
apache|EXPOSE 80
postgres|USER postgres
postgres|WORKDIR /var/lib/postgresql
postgres|ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
postgres|CMD ["postgres", "-D", "/var/lib/postgresql/15/main", "-c", "config_file=/etc/postgresql/15/main/postgresql.conf", "-c", "listen_addresses=*"]
postgres|EXPOSE 5432
EOF
}
names=(nginx apache postgres)

# The cache key: what the rootfs and the images are made of (package list, suite, this recipe).
key=$( { printf '%s\n' "$suite" "${packages[@]}"; metadata; sed -n '/^rootfs()/,/^}/p' "${BASH_SOURCE[0]}"; } \
  | sha256sum | cut -c1-16)
tarball=$cache/apps-$key.tar

if [[ $action == clean ]]; then
  ids=$(docker image ls -q --filter "label=$label" | sort -u)
  # shellcheck disable=SC2086
  [[ -z "$ids" ]] || docker image rm -f $ids >/dev/null
  rm -f "$cache"/apps-*.tar
  log "removed the app images and the cached rootfs"
  exit 0
fi

current() { docker image inspect --format "{{index .Config.Labels \"$label\"}}" "safedock-app-$1:latest" 2>/dev/null || true; }
missing=()
for n in "${names[@]}"; do [[ "$(current "$n")" == "$key" ]] || missing+=("$n"); done
if [[ ${#missing[@]} -eq 0 ]]; then
  log "images up to date ($key)"
  exit 0
fi

# rootfs DIR: debootstrap minbase, then the packages through apt inside the chroot. A policy-rc.d
# that refuses every start keeps the packages' services from starting on the build machine.
rootfs() {
  local dir=$1
  debootstrap --variant=minbase "$suite" "$dir" "$mirror" >"$dir.log" 2>&1 \
    || { tail -n 30 "$dir.log" >&2; die "debootstrap $suite from $mirror failed (log above)"; }
  printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
  chmod 755 "$dir/usr/sbin/policy-rc.d"
  cp /etc/resolv.conf "$dir/etc/resolv.conf"
  chroot "$dir" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o Dpkg::Use-Pty=0 "${packages[@]}" >>"$dir.log" 2>&1 \
    || { tail -n 30 "$dir.log" >&2; die "apt-get install ${packages[*]} in the chroot failed (log above)"; }
  # What an image does not need: package caches and lists, documentation, translations; the
  # build machine's resolver (the engine mounts its own); the start blocker.
  chroot "$dir" apt-get clean
  rm -rf "$dir/var/lib/apt/lists/"* "$dir/usr/share/doc" "$dir/usr/share/man" "$dir/usr/share/locale/"* \
    "$dir/etc/resolv.conf" "$dir/usr/sbin/policy-rc.d"
}

if [[ ! -s "$tarball" ]]; then
  [[ $(id -u) -eq 0 ]] || die "building the rootfs needs root (debootstrap, chroot); run as root or fill $tarball"
  if ! command -v debootstrap >/dev/null 2>&1; then
    log "installing debootstrap"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 debootstrap; } >/dev/null \
      || die "apt-get install debootstrap failed"
  fi
  mkdir -p "$cache"
  work=$(mktemp -d "$cache/rootfs.XXXXXX")
  trap 'rm -rf "$work" "$work.log" "$tarball.part"' EXIT
  log "debootstrap $suite + ${packages[*]} (about a minute)"
  rootfs "$work/root"
  tar --numeric-owner -C "$work/root" -cf "$tarball.part" .
  mv "$tarball.part" "$tarball"
  rm -rf "$work" "$work.log"
  # Older tarballs are of another recipe: only the current one is kept.
  find "$cache" -maxdepth 1 -name 'apps-*.tar' ! -name "apps-$key.tar" -delete
fi

for n in "${missing[@]}"; do
  changes=(--change "LABEL $label=$key")
  while IFS='|' read -r name change; do
    [[ $name == "$n" ]] && changes+=(--change "$change")
  done < <(metadata)
  id=$(docker import "${changes[@]}" "$tarball" "safedock-app-$n:latest") || die "docker import of safedock-app-$n failed"
  log "safedock-app-$n ${id:7:12}"
done
