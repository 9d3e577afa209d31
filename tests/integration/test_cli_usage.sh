#!/usr/bin/env bash
# Every error of the CLI's option parser, byte for byte: each command line of cli_usage.txt must
# give exactly the exit code and the one stderr line recorded there (nothing on stdout). Lines
# that parse must reach the interface ('nosuch0: no such interface'), so the file also proves
# which option spellings, values and argument orders are accepted.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"
bin=$FEEDSIEVE
require_root "without root, opening an interface fails differently"
ip link show nosuch0 >/dev/null 2>&1 && die "an interface nosuch0 exists here"
test_tmpdir work cli-usage

while IFS= read -r line; do
	[[ $line == '#'* ]] && continue
	if ! IFS= read -r want_rc || ! IFS= read -r want_err; then
		die "cli_usage.txt ends inside a case"
	fi
	eval "set -- $line"
	out=$(cd /tmp && "$bin" "$@" 2>"$work/err" </dev/null)
	rc=$?
	err=$(cat "$work/err")
	if [ "  rc=$rc" != "$want_rc" ] || [ "  $err" != "$want_err" ] || [ -n "$out" ]; then
		[ -z "$out" ] || err="$err (and on stdout: $out)"
		fail "feedsieve $line: exit $rc, stderr '$err'; want ${want_rc#  }, '${want_err#  }'"
	else
		ok
	fi
done <"$here/cli_usage.txt"
[ "$TEST_PASSED" -ge 150 ] || fail "only $TEST_PASSED cases passed; cli_usage.txt has at least 150"
finish "cli usage"
