#!/usr/bin/env bash
# Build safedock's fixture images locally, with no registry: FROM scratch + a static busybox.
#
#   bash scripts/images.sh [all|demo|test|busybox|escape]...     (default: all)
#
#   busybox -> safedock-busybox:latest      base of the others (kept: it is the build cache)
#   demo    -> safedock-demo:latest         the README's demo (CMD reports uid/caps/nnp/seccomp/rootfs)
#   test    -> safedock-test:latest, safedock-test-nonroot:latest, safedock-test-tracer:latest   used by
#              the integration tests (the tracer compiles test/fixtures/images/tracer/tracer.c with gcc -static)
#   escape  -> safedock-escape:latest       the security suite's target (test/security); not in `all`:
#              it compiles test/fixtures/images/escape/*.c with `gcc -static` (gcc and libc6-dev)
#
# Dockerfiles live in test/fixtures/images/<name>/. Each build copies that folder and the busybox
# binary ($SAFEDOCK_BUSYBOX, default /bin/busybox; must be static) into a temporary context and runs
# the legacy builder (DOCKER_BUILDKIT=0). Idempotent: docker's layer cache makes a rebuild of
# unchanged inputs take a fraction of a second. Prints one line per image on stderr; with -q, nothing
# but errors. Needs a running engine (bash scripts/engine.sh) and the docker CLI.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fixtures=$root/test/fixtures/images
busybox=${SAFEDOCK_BUSYBOX:-/bin/busybox}
quiet=0

log() { [[ $quiet -eq 1 ]] || printf 'images.sh: %s\n' "$*" >&2; }
die() { printf 'images.sh: ERROR: %s\n' "$*" >&2; exit 1; }

targets=()
for a in "$@"; do
  case "$a" in
    -q|--quiet) quiet=1 ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    all|demo|test|busybox|escape) targets+=("$a") ;;
    *) die "unknown target '$a' (all, demo, test, busybox, escape)" ;;
  esac
done
[[ ${#targets[@]} -gt 0 ]] || targets=(all)

command -v docker >/dev/null 2>&1 || die "docker CLI not found (bash scripts/engine.sh installs docker.io)"
[[ -x "$busybox" ]] || die "$busybox not found (bash scripts/engine.sh installs busybox-static)"
if command -v readelf >/dev/null 2>&1; then
  readelf -lW "$busybox" 2>/dev/null | grep -q INTERP && die "$busybox is dynamically linked; a FROM scratch image needs a static one (apt-get install busybox-static)"
fi

tmp=$(mktemp -d /tmp/safedock-images.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# compile_static CTX SRC...: each test/fixtures/images/escape/NAME.c -> CTX/NAME, static.
compile_static() {
  local ctx=$1 src out
  shift
  command -v gcc >/dev/null 2>&1 || die "gcc not found: the escape and tracer images' programs are C compiled with gcc -static (apt-get install gcc libc6-dev; .ci/run installs them)"
  for src in "$@"; do
    out=$ctx/$(basename "$src" .c)
    if ! gcc -static -O2 -Wall -o "$out" "$src" 2>"$tmp/gcc.log"; then
      cat "$tmp/gcc.log" >&2
      die "gcc -static -O2 $src failed (a static build needs libc6-dev's libc.a)"
    fi
  done
}

built=" "
# build NAME TAG: build test/fixtures/images/NAME as TAG (once per invocation).
build() {
  local name=$1 tag=$2 ctx=$tmp/$1 out=$tmp/$1.log id
  [[ "$built" == *" $tag "* ]] && return 0
  [[ -f "$fixtures/$name/Dockerfile" ]] || die "no Dockerfile in $fixtures/$name"
  mkdir -p "$ctx"
  cp -pR "$fixtures/$name/." "$ctx/"
  cp -p "$busybox" "$ctx/busybox"
  if [[ $name == escape ]]; then compile_static "$ctx" "$fixtures/escape/probe.c" "$fixtures/escape/euid.c"; fi
  if [[ $name == tracer ]]; then compile_static "$ctx" "$fixtures/tracer/tracer.c"; fi
  # -q prints only the image id on stdout; the legacy builder's deprecation notice goes to stderr.
  if ! id=$(DOCKER_BUILDKIT=0 docker build -q --force-rm -t "$tag" "$ctx" 2>"$out"); then
    cat "$out" >&2
    die "building $tag from $fixtures/$name failed"
  fi
  built+="$tag "
  log "$tag ${id:7:12}"
}

for t in "${targets[@]}"; do
  case "$t" in
    busybox) build busybox safedock-busybox:latest ;;
    demo)    build busybox safedock-busybox:latest; build demo safedock-demo:latest ;;
    test)    build busybox safedock-busybox:latest; build test safedock-test:latest
             build test-nonroot safedock-test-nonroot:latest; build tracer safedock-test-tracer:latest ;;
    escape)  build busybox safedock-busybox:latest; build escape safedock-escape:latest ;;
    all)     build busybox safedock-busybox:latest; build demo safedock-demo:latest
             build test safedock-test:latest; build test-nonroot safedock-test-nonroot:latest ;;
  esac
done
