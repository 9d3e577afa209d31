#!/usr/bin/env bash
# No leaks in the CLI and the consumer: the CLI built with AddressSanitizer/LeakSanitizer and
# UBSan (build/tests/feedsieve-san, 'make test-build' builds it) runs a whole scenario in the
# network namespaces, success and error paths: attach, group add/del, sub add/del, every list,
# stats in all formats, show/apply, a consumer (with its threads, UMEM and sockets) receiving
# traffic for a few seconds and stopped by SIGTERM, a consumer stopped by a detach, and detach.
# Any leak report, sanitizer error or unexpected exit code fails the test.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

SAN_CLI=$top/build/tests/feedsieve-san
[ -x "$SAN_CLI" ] || die "$SAN_CLI missing ('make test-build' builds it)"
export ASAN_OPTIONS=detect_leaks=1:exitcode=23:abort_on_error=0
export LSAN_OPTIONS=exitcode=23
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
GROUP=239.1.10.1:26400
netns_setup || exit 1
test_tmpdir tmp leaks
runs=0

# run RC ARGS...: the sanitized CLI in the receiver namespace exits RC and reports nothing.
run() {
	local want=$1 rc
	shift
	runs=$((runs + 1))
	in_rx "$SAN_CLI" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if grep -q -e 'Sanitizer' -e 'runtime error' "$tmp/err" || [ "$rc" -ne "$want" ]; then
		fail "feedsieve $*: exit $rc (want $want)"
		grep -m 30 -e "ERROR" -e "SUMMARY" -e "#[0-9]" -e "runtime error" -e "feedsieve" -e "nsenter" "$tmp/err"
	else
		ok
	fi
}

# The detector itself works here (LeakSanitizer needs to stop the process's threads): a program
# that leaks on purpose must be reported, in the receiver namespace like the CLI.
printf '#include <stdlib.h>\nvoid *volatile p;\nint main(void) { p = malloc(64); p = 0; return 0; }\n' >"$tmp/leak.c"
cc -fsanitize=address -g -o "$tmp/leak" "$tmp/leak.c" || die "cannot build the leak probe"
in_rx "$tmp/leak" 2>"$tmp/leak.err"
[ $? -eq 23 ] && grep -q "LeakSanitizer: detected memory leaks" "$tmp/leak.err" ||
	die "LeakSanitizer does not report a deliberate leak here: $(head -3 "$tmp/leak.err")"

run 0 attach "$IF_RX"
run 1 attach "$IF_RX"
run 0 group add "$IF_RX" "$GROUP"
run 0 group add "$IF_RX" 239.1.10.2:26400 --channel X --line A --feed 1
run 0 group add "$IF_RX" 239.1.10.3:26400 --channel X --line B --feed 1
run 1 group add "$IF_RX" 239.1.10.4:26400 --channel X --line A
run 2 group add "$IF_RX" 10.0.0.1:1
run 0 sub add "$IF_RX" AAPL MSFT NVDA QCOM
run 2 sub add "$IF_RX" TOOLONGSYMBOLNAME0123
run 1 sub del "$IF_RX" AAPL NOPE
run 0 sub del "$IF_RX" NVDA
run 0 group del "$IF_RX" 239.1.10.3:26400
run 0 group list "$IF_RX"
run 0 group list "$IF_RX" --json
run 0 sub list "$IF_RX" --json
run 0 directory "$IF_RX" --json
run 0 show "$IF_RX"
{
	echo "interface $IF_RX"
	echo "group $GROUP"
	echo "symbols AAPL MSFT QCOM TSLA"
} >"$tmp/conf"
run 0 apply "$tmp/conf" --dry-run
run 0 apply "$tmp/conf"
echo "bogus directive" >"$tmp/bad.conf"
run 2 apply "$tmp/bad.conf"
run 1 consume "$IF_RX" --queue 5
run 2 consume "$IF_RX" --rx-ring 1000

# A consumer receiving traffic, stopped by SIGTERM.
CONSUMER_CLI=$SAN_CLI CONSUMER_WAIT=20 consumer_start "$tmp/got.json" "$tmp/consume.err" --json ||
	fail "sanitized consumer not ready"
in_tx "$FEEDGEN" --group "$GROUP" --iface "$IF_TX" --symbols 50 --packets 3000 --rate 1500 \
	--seed 4 2>/dev/null
sleep 0.5
consumer_stop
rc=$?
runs=$((runs + 1))
msgs=$(delivered "$tmp/got.json")
if [ "$rc" -ne 0 ] || grep -q -e 'Sanitizer' -e 'runtime error' "$tmp/consume.err" || [ "$msgs" -eq 0 ]; then
	fail "consume: exit $rc, $msgs messages"
	grep -m 30 -e 'ERROR' -e 'SUMMARY' -e '#[0-9]' -e 'runtime error' "$tmp/consume.err"
fi
run 0 stats "$IF_RX"
run 0 stats "$IF_RX" --json
run 0 stats "$IF_RX" --prometheus
run 0 stats "$IF_RX" --symbols

# A consumer stopped by a detach (its error path), with --drop-caps and a count.
CONSUMER_CLI=$SAN_CLI CONSUMER_WAIT=20 consumer_start /dev/null "$tmp/c2.err" --drop-caps --count 1000000 ||
	fail "sanitized consumer with --drop-caps not ready"
run 0 detach "$IF_RX"
wait "$consumer"
rc=$?
runs=$((runs + 1))
if [ "$rc" -ne 1 ] || grep -q -e 'Sanitizer' -e 'runtime error' "$tmp/c2.err"; then
	fail "consume stopped by detach: exit $rc (want 1)"
	grep -m 30 -e 'ERROR' -e 'SUMMARY' -e '#[0-9]' -e 'runtime error' -e 'feedsieve:' "$tmp/c2.err"
fi
run 1 detach "$IF_RX"
run 1 stats "$IF_RX"
# Replay: a whole capture (its private program, pool and sequencer; -w and --stats), and a
# capture refused by its check.
"$FEEDGEN" --group "$GROUP" --symbols 20 --packets 300 --rate 0 --no-send --pcap "$tmp/feed.pcap" \
	2>/dev/null || fail "feedgen"
printf 'group %s all-symbols\n' "$GROUP" >"$tmp/replay.conf"
run 0 replay "$tmp/replay.conf" "$tmp/feed.pcap" --json --stats -w "$tmp/delivered.pcap"
head -c -10 "$tmp/feed.pcap" >"$tmp/cut.pcap"
run 2 replay "$tmp/replay.conf" "$tmp/cut.pcap"
echo "leaks: $runs sanitized runs ($msgs messages through the consumer)"
finish leaks
