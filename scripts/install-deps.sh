#!/usr/bin/env bash
# install-deps.sh: installs the Debian 12 packages gqlsse needs to build and test.
# Runs apt-get as root (directly, or through sudo when not root).
# --bench also installs what `make benchmarks` compares with (nginx + nchan,
# bench/fanout/README.md); CI does not need them.
set -euo pipefail
bench=0
[ "${1:-}" = --bench ] && bench=1
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
packages=(
    # build
    build-essential autoconf automake libtool pkg-config
    libfcgi-dev libjson-c-dev libmemcached-dev libzmq3-dev
    libwslay-dev nettle-dev
    # tests
    libcmocka-dev clang libclang-rt-14-dev valgrind ca-certificates
    # integration tests: real web servers in front of gqlsse-fcgi
    lighttpd apache2 libapache2-mod-fcgid libfcgi-bin
    # single connection mode keeps its shared state in memcached
    memcached
)
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${packages[@]}"
# Node.js runs the graphql-js oracle in the differential tests; Debian's
# nodejs (18) is enough when the machine has none.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    $SUDO apt-get install -y -q --no-install-recommends nodejs npm
fi
