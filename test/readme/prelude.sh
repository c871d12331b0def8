# Sourced first by each README section script (test/readme/readme-examples.test.ts), whose line N is
# README line N. Nothing here changes what the README's commands print; it records, in
# $READMETEST_DIR, what the test checks:
#   calls   one line per curl request: README line, curl's exit code, the file prefix holding its
#           response headers (.head) and what it printed (.body)
#   errors  one line per failing command: README line, exit code
# `set -u`: a variable a section uses without setting it (or that only another section sets) stops
# the section with "unbound variable" at its line.
set -uE
trap '__readmetest_rc=$?; printf "%s\t%s\n" "$LINENO" "$__readmetest_rc" >> "$READMETEST_DIR/errors"' ERR

curl() {
  local line=${BASH_LINENO[0]} out rc
  out=$(mktemp "$READMETEST_DIR/call.XXXXXX")
  command curl -D "$out.head" "$@" | tee "$out.body"
  rc=${PIPESTATUS[0]}
  printf '%s\t%s\t%s\n' "$line" "$rc" "$out" >> "$READMETEST_DIR/calls"
  return "$rc"
}

# A section's own server (a `readme-test: server` block after the first): the test rewrites that
# block's `npm start` line to start it in the background, in its own process group (setsid), on
# the port the test chose, logging to $READMETEST_DIR/server.log; this waits until it listens.
__readmetest_await_server() {
  echo "$1" > "$READMETEST_DIR/server.pid"
  local _
  for _ in $(seq 1 1200); do
    if grep -q 'Portcullis listening' "$READMETEST_DIR/server.log" 2>/dev/null; then return 0; fi
    if ! kill -0 "$1" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "the section's server did not start:" >&2
  tail -n 40 "$READMETEST_DIR/server.log" >&2
  return 1
}
