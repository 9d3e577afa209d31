#!/usr/bin/env bash
# Every error of the CLI's option parser, byte for byte: each command line of cli_usage.txt must
# give exactly the exit code and the one stderr line recorded there (nothing on stdout). Lines
# that parse must reach the interface ('nosuch0: no such interface'), so the file also proves
# which option spellings, values and argument orders are accepted.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
bin=${FEEDSIEVE:-$top/build/feedsieve}
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: without root, opening an interface fails differently" >&2
	exit 77
fi
ip link show nosuch0 >/dev/null 2>&1 && { echo "FAIL: an interface nosuch0 exists here"; exit 1; }

passed=0 failed=0
while IFS= read -r line; do
	[[ $line == '#'* ]] && continue
	if ! IFS= read -r want_rc || ! IFS= read -r want_err; then
		echo "FAIL: cli_usage.txt ends inside a case"
		exit 1
	fi
	eval "set -- $line"
	out=$(cd /tmp && "$bin" "$@" 2>"${TMPDIR:-/tmp}/cli_usage.$$" </dev/null)
	rc=$?
	err=$(cat "${TMPDIR:-/tmp}/cli_usage.$$")
	if [ "  rc=$rc" != "$want_rc" ] || [ "  $err" != "$want_err" ] || [ -n "$out" ]; then
		[ -z "$out" ] || err="$err (and on stdout: $out)"
		echo "FAIL: feedsieve $line: exit $rc, stderr '$err'; want ${want_rc#  }, '${want_err#  }'"
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
done <"$here/cli_usage.txt"
rm -f "${TMPDIR:-/tmp}/cli_usage.$$"
echo "cli usage: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -ge 150 ]
