#!/usr/bin/env bash
# Installs the stock clients the client-session tests (test/clients/*.test.ts) drive, once, into
# caches keyed by what pins them, so CI and every engineer reuse one copy:
#   ~/.cache/portcullis/venv-clients-<sha of requirements.txt>   python-openstackclient 10.5.0,
#       python-manilaclient 6.3.0, manageiq-client 0.6.1 (pip, every dependency pinned)
#   ~/.cache/portcullis/to-client-v8.0.2-<sha of trafficops/>/to-session   the Traffic Ops v4 Go
#       client from apache/trafficcontrol v8.0.2 (module proxy, explicit version), built into a
#       small program (trafficops/main.go)
# Usage: setup.sh          install what is missing, then print PORTCULLIS_CLIENTS_VENV=... and
#                          PORTCULLIS_TO_SESSION=... lines
#        setup.sh --paths  print those lines only (no install; the tests use this)
# Any failure exits non-zero with the reason: a client that cannot be installed fails CI loudly.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache="${XDG_CACHE_HOME:-$HOME/.cache}/portcullis"
TO_VERSION=v8.0.2

sha() { sha256sum | cut -c1-12; }
venv="$cache/venv-clients-$(sha < "$here/requirements.txt")"
to_dir="$cache/to-client-${TO_VERSION}-$(cat "$here/trafficops/go.mod" "$here/trafficops/go.sum" "$here/trafficops/main.go" | sha)"
to_bin="$to_dir/to-session"

print_paths() {
  echo "PORTCULLIS_CLIENTS_VENV=$venv"
  echo "PORTCULLIS_TO_SESSION=$to_bin"
}
if [ "${1:-}" = "--paths" ]; then print_paths; exit 0; fi

mkdir -p "$cache"

# A venv is not relocatable (its scripts name their interpreter's path), so it is built in place;
# `.complete` is written last, and a directory without it is a failed build to redo.
install_venv() {
  [ -f "$venv/.complete" ] && return
  rm -rf "$venv"
  echo "setup.sh: creating $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  "$venv/bin/openstack" --version >&2
  "$venv/bin/python" -c 'import manageiq_client.api, manilaclient; print("manageiq-client and manilaclient import")' >&2
  touch "$venv/.complete"
}

build_to_session() {
  [ -x "$to_bin" ] && return
  echo "setup.sh: building the Traffic Ops ${TO_VERSION} client session into $to_bin" >&2
  mkdir -p "$to_dir"
  (
    cd "$here/trafficops"
    export GOTOOLCHAIN=local GOFLAGS=-mod=readonly
    go build -o "$to_bin.tmp" .
  )
  mv "$to_bin.tmp" "$to_bin"
}

# Several engineers (and CI) may run this at once: one installer at a time.
exec 9>"$cache/clients-setup.lock"
flock 9
install_venv
build_to_session
print_paths
