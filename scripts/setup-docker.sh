#!/usr/bin/env bash
# Makes a Docker engine answer on this machine and builds the test image podmesh-test/busybox:1.
# Idempotent: installs Debian's docker.io and busybox-static only when absent, starts dockerd only when
# it is not running, imports the image only when it is missing. Exits non-zero with a message on failure.
set -euo pipefail

IMAGE=${PODMESH_TEST_IMAGE:-podmesh-test/busybox:1}
LOG=${DOCKERD_LOG:-/var/log/dockerd.log}

fail() { echo "setup-docker: $*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"; else return 1; fi; }

install_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v docker >/dev/null 2>&1 || missing+=(docker.io)
  [ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || missing+=(busybox-static)
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || fail "need ${missing[*]} but apt-get is not available; install Docker by hand"
  echo "setup-docker: installing ${missing[*]}" >&2
  as_root apt-get update -qq >/dev/null || fail "apt-get update failed (need root)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || fail "apt-get install ${missing[*]} failed"
}

start_dockerd() {
  docker info >/dev/null 2>&1 && return 0
  if ! pgrep -x dockerd >/dev/null 2>&1; then
    echo "setup-docker: starting dockerd (log: $LOG)" >&2
    as_root sh -c "nohup dockerd > '$LOG' 2>&1 &" || fail "could not start dockerd (need root)"
  fi
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  tail -n 20 "$LOG" >&2 2>/dev/null || true
  fail "dockerd did not answer within 30 s (see $LOG)"
}

busybox_path() {
  local b
  for b in /bin/busybox /usr/bin/busybox; do
    # Only a static busybox runs inside an image that has no libc.
    if [ -x "$b" ] && ! ldd "$b" >/dev/null 2>&1; then echo "$b"; return 0; fi
  done
  return 1
}

build_image() {
  docker image inspect "$IMAGE" >/dev/null 2>&1 && return 0
  local bb root
  bb=$(busybox_path) || fail "no static busybox found (apt-get install busybox-static)"
  root=$(mktemp -d)
  trap 'rm -rf "$root"' RETURN
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/www" "$root/proc" "$root/sys" "$root/dev"
  cp "$bb" "$root/bin/busybox"
  chroot "$root" /bin/busybox --install -s /bin 2>/dev/null \
    || for a in $("$bb" --list); do ln -sf busybox "$root/bin/$a"; done
  for a in httpd sh sleep nc wget; do [ -e "$root/bin/$a" ] || fail "busybox lacks the applet $a"; done
  echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
  echo 'root:x:0:' > "$root/etc/group"
  echo 'podmesh test image' > "$root/www/index.html"
  chmod 1777 "$root/tmp"
  echo "setup-docker: importing $IMAGE" >&2
  tar -C "$root" -c . | docker import \
    --change 'ENV PATH=/bin' --change 'CMD ["/bin/sh"]' - "$IMAGE" >/dev/null \
    || fail "docker import of $IMAGE failed"
}

install_packages
start_dockerd
build_image
echo "setup-docker: Docker $(docker version --format '{{.Server.Version}}') answers; image $IMAGE ready" >&2
