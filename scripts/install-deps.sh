#!/usr/bin/env bash
# Installs, from Debian's packages, the real components the tests start on loopback:
# PostgreSQL, Prometheus (+ promtool), amtool (Alertmanager's routing checks), Go (for `go tool pprof`), Chromium (SVG rendering checks),
# docker-compose v1 (validates docker-compose.yml), Node (k6 script syntax), wrk (benchmarks), Redis (the sample's v2 cache).
# Does nothing for what is already there; as non-root it only says what is missing.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }

ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
have prometheus || need+=(prometheus)
have promtool || need+=(prometheus)
have amtool || need+=(prometheus-alertmanager)
have go || need+=(golang-go)
have chromium || need+=(chromium)
have docker-compose || need+=(docker-compose)
have node || need+=(nodejs)
have wrk || need+=(wrk)
have redis-server || need+=(redis-server)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
have runuser || need+=(util-linux)

if [ ${#need[@]} -eq 0 ]; then
  echo "install-deps: everything is installed"
  exit 0
fi

# De-duplicate while keeping order.
mapfile -t need < <(printf '%s\n' "${need[@]}" | awk '!seen[$0]++')
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing Debian packages: ${need[*]}" >&2
  echo "install-deps: run as root, or: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi

echo "install-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# policy-rc.d keeps the packages from starting their own services: the tests start their own instances.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "install-deps: done"
