#!/usr/bin/env bash
# Consumer faults, on real kernel parts (netns + veth, XDP, AF_XDP), each judged by what a user
# sees: delivered messages, gap events, counters, exit codes, one-line messages.
#  1. stall: the consumer is stopped (SIGSTOP) while the feed streams, then continued. The
#     socket's drops are counted exactly (redirected = taken + ring full + no buffer), delivery
#     resumes, and the gap events are exactly the sequence numbers lost. Run twice: RX ring full
#     (default rings) and fill ring empty (as many RX slots as buffers).
#  2. SIGKILL: the consumer is killed mid-stream; the attachment and subscriptions stay; a new
#     consumer resumes where the first stopped and reports exactly what it missed as gaps.
#  3. interface deleted under a running consumer: it exits non-zero with one clear line, within
#     seconds; detach removes the pins left behind; re-create + attach + consume work.
#  4. detach under a running consumer: it exits non-zero with one clear line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

GROUP=239.1.7.1:26400

netns_setup
test_tmpdir out faults

# stall NAME CONSUME_OPTS EXPECT_DROP
stall() {
	local name=$1 opts=$2 expect=$3 consumer feedgen
	fs attach "$IF_RX" >/dev/null
	fs group add "$IF_RX" "$GROUP" --all-symbols
	# shellcheck disable=SC2086
	consumer_start "$out/$name.json" "$out/$name.err" --json $opts
	(in_tx_exec "$FEEDGEN" --group "$GROUP" --iface "$IF_TX" --symbols 50 --packets 6000 \
		--rate 3000 --seed 11 --log "$out/$name.sent" 2>"$out/$name.feedgen") &
	feedgen=$!
	sleep 0.5
	kill -STOP "$consumer"
	sleep 0.7
	kill -CONT "$consumer"
	wait "$feedgen"
	sleep 0.5
	consumer_stop || die "$name: consumer exited $?"
	fs stats "$IF_RX" --json >"$out/$name.stats"
	cat "$out/$name.err" >&2
	python3 "$here/check_faults.py" stall --sent "$out/$name.sent" --got "$out/$name.json" \
		--stats "$out/$name.stats" --expect-drop "$expect"
	fs detach "$IF_RX" >/dev/null
}

echo "--- 1a. consumer stalled, RX ring full"
stall ring_full "--rx-ring 256" ring_full
echo "--- 1b. consumer stalled, fill ring empty"
stall fill_empty "--rx-ring 512 --fill-ring 512" fill_empty

echo "--- 2. consumer killed with SIGKILL, a new one resumes"
fs attach "$IF_RX" >/dev/null
fs group add "$IF_RX" "$GROUP"
mapfile -t syms < <(feed_symbols 100)
subs=("${syms[0]}" "${syms[5]}")
fs sub add "$IF_RX" "${subs[@]}"
consumer_start "$out/c1.json" "$out/c1.err" --json
c1=$consumer
(in_tx_exec "$FEEDGEN" --group "$GROUP" --iface "$IF_TX" --symbols 100 --packets 6000 \
	--rate 2000 --seed 5 --log "$out/resume.sent" --pcap "$out/resume.pcap" \
	2>"$out/resume.feedgen") &
feedgen=$!
sleep 1.2
kill -KILL "$c1"
wait "$c1" 2>/dev/null || true
before=$(fs sub list "$IF_RX" | awk '{print $1}')
[ "$(fs group list "$IF_RX" --json | grep -c "$GROUP")" -eq 1 ] || die "group gone after SIGKILL"
in_rx ip -d link show "$IF_RX" | grep 'prog/xdp' >/dev/null || die "program gone after SIGKILL"
sleep 0.5
consumer_start "$out/c2.json" "$out/c2.err" --json --gap-grace-ms 20
wait "$feedgen"
sleep 0.5
consumer_stop || die "consumer 2 exited $?"
[ "$before" = "$(fs sub list "$IF_RX" | awk '{print $1}')" ] && [ -n "$before" ] || die "subscriptions changed"
cat "$out/c2.err" >&2
python3 "$here/check_faults.py" resume --sent "$out/resume.sent" --pcap "$out/resume.pcap" \
	--got1 "$out/c1.json" --got2 "$out/c2.json" --symbols "${subs[@]}"

echo "--- 4. detach while consuming"
consumer_start /dev/null "$out/c3.err" --json
c3=$consumer
fs detach "$IF_RX" | grep detached >/dev/null || die "detach under a consumer"
rc=0
timeout 10 tail --pid="$c3" -f /dev/null || die "consumer still running 10 s after detach"
wait "$c3" || rc=$?
errs=$(grep -c '^feedsieve:' "$out/c3.err" || true)
[ "$rc" -eq 1 ] && [ "$errs" -eq 1 ] && grep -q "was detached" "$out/c3.err" ||
	die "detach under a consumer: exit $rc, $(cat "$out/c3.err")"
grep '^feedsieve:' "$out/c3.err"

echo "--- 3. interface deleted under a running consumer"
fs attach "$IF_RX" >/dev/null
fs group add "$IF_RX" "$GROUP" --all-symbols
consumer_start /dev/null "$out/c4.err" --json
c4=$consumer
in_rx ip link del "$IF_RX"
timeout 10 tail --pid="$c4" -f /dev/null || die "consumer still running 10 s after the interface went"
rc=0
wait "$c4" || rc=$?
errs=$(grep -c '^feedsieve:' "$out/c4.err" || true)
[ "$rc" -eq 1 ] && [ "$errs" -eq 1 ] && grep -q "interface went away" "$out/c4.err" ||
	die "interface deleted: exit $rc, $(cat "$out/c4.err")"
grep '^feedsieve:' "$out/c4.err"
[ -d "/sys/fs/bpf/feedsieve/$IF_RX" ] || die "pins vanished (expected them reported, then detached)"
msg=$(fs detach "$IF_RX")
echo "$msg"
grep -q "removed the pins" <<<"$msg" && [ ! -e "/sys/fs/bpf/feedsieve/$IF_RX" ] ||
	die "detach of the deleted interface: '$msg'"
netns_veth_add
fs attach "$IF_RX" >/dev/null || die "attach on the re-created interface"
fs group add "$IF_RX" "$GROUP" --all-symbols
consumer_start "$out/c5.json" "$out/c5.err" --json
in_tx "$FEEDGEN" --group "$GROUP" --iface "$IF_TX" --symbols 20 --packets 200 --rate 2000 \
	--seed 3 --log "$out/c5.sent" 2>/dev/null
sleep 0.5
consumer_stop
[ "$(delivered "$out/c5.json")" -eq "$(grep -c '' "$out/c5.sent")" ] ||
	die "re-created interface: $(delivered "$out/c5.json") of $(grep -c '' "$out/c5.sent") delivered"
echo "ok: re-created interface: attach and consume work, all $(grep -c '' "$out/c5.sent") messages delivered"
