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
