#!/usr/bin/env bash
# The whole path on real kernel parts: feedgen sends an ITCH/MoldUDP64 session as real multicast
# from one network namespace over a veth pair; feedsieve's XDP program on the other end filters it
# into an AF_XDP socket read by 'feedsieve consume'. While the feed runs, the CLI subscribes one
# more symbol and unsubscribes another. Every delivered message is checked against feedgen's own
# log: all messages of the symbols subscribed throughout, a complete tail of the one added, a
# complete head of the one removed, nothing else, nothing twice, and the counters add up.
# A second group, delivering all symbols and learning into another feed's directory, is added
# after the consumer started: the consumer must join it and deliver its every message.
# MODE=skb runs the same test with the program attached in generic (skb) mode; NETNS_DRIVER=tap on
# a tap interface (driver tun) instead of a veth, fed through the tap's file descriptor. A tap
# takes one writer at a time, so there group B's feed follows group A's instead of running
# alongside it. test_live_path_{skb,tap,tap_skb}.sh are the other cells of that matrix.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

GROUP=239.1.1.1:26400
GROUP_B=239.1.1.2:26401
MODE=${MODE:-native}
NSYMS=300
PACKETS=${PACKETS:-3000}
RATE=${RATE:-1000}

netns_setup
test_tmpdir out live
fs attach "$IF_RX" --mode "$MODE"
fs group add "$IF_RX" "$GROUP"

# Symbols by popularity rank (feedgen: symbol i has locate i+1, rank i).
mapfile -t syms < <(feed_symbols "$NSYMS")
always=("${syms[1]}" "${syms[6]}")
added=${syms[2]}
removed=${syms[3]}
fs sub add "$IF_RX" "${always[@]}" "$removed"

consumer_start "$out/got.json" "$out/consume.err" --json
wait_joined "$GROUP" 0 || die "consumer did not join $GROUP"
# The driver's XDP feature flags, for the record (docs/drivers.md). Without zero-copy AF_XDP in
# them, the consumer must have fallen back to copy mode rather than failed.
features=$(in_rx python3 "$top/tools/xdp_features.py" "$IF_RX") && echo "$features" >&2
if [ -n "${features:-}" ] && [[ $features != *xsk-zerocopy* ]]; then
	grep -q "ready (copy mode)" "$out/consume.err" ||
		die "$IF_RX has no zero-copy AF_XDP, yet the consumer is not in copy mode"
fi
fs group add "$IF_RX" "$GROUP_B" --all-symbols --feed 1
# the consumer re-reads the groups every second
wait_joined "$GROUP_B" 3 || die "consumer did not join $GROUP_B"

start_feed_b() {
	(send_feed_exec --group "$GROUP_B" --symbols 50 --packets 500 --rate 250 --seed 7 \
		--session FSGENB0001 --end-session --log "$out/sent_b.json" 2>"$out/feedgen_b.err") &
	feedgen_b=$!
}
(send_feed_exec --group "$GROUP" --symbols "$NSYMS" --packets "$PACKETS" --rate "$RATE" \
	--seed 42 --log "$out/sent.json" 2>"$out/feedgen.err") &
feedgen=$!
[ "$NETNS_DRIVER" = tap ] || start_feed_b
sleep 1
fs sub add "$IF_RX" "$added"
sleep 1
fs sub del "$IF_RX" "$removed"
wait "$feedgen"
[ "$NETNS_DRIVER" != tap ] || start_feed_b
wait "$feedgen_b"
sleep 0.5 # let the last frames reach the consumer
consumer_stop

fs stats "$IF_RX" --json >"$out/stats.json"
fs directory "$IF_RX" --json >"$out/directory.json"
fs sub list "$IF_RX" --json >"$out/subs.json"
cat "$out/consume.err" "$out/feedgen.err" "$out/feedgen_b.err" >&2

python3 "$here/check_delivery.py" --sent "$out/sent.json" --got "$out/got.json" \
	--stats "$out/stats.json" --packets "$(datagrams "$out/feedgen.err")" --group "$GROUP" \
	--always "${always[@]}" --added "$added" --removed "$removed"
python3 "$here/check_delivery.py" --sent "$out/sent_b.json" --got "$out/got.json" \
	--stats "$out/stats.json" --packets "$(datagrams "$out/feedgen_b.err")" --group "$GROUP_B" \
	--all-symbols

# The learned directory holds every symbol feedgen announced, with the right locates, and the
# subscriptions that ended the run are marked.
python3 - "$out/directory.json" "$out/subs.json" "$NSYMS" "${syms[@]:0:$NSYMS}" <<'PY'
import json, sys
directory = json.load(open(sys.argv[1]))
subs = json.load(open(sys.argv[2]))
n = int(sys.argv[3]); names = sys.argv[4:]
learned = {(e["locate"], e["symbol"]) for e in directory if e["feed"] == 0}
feed1 = {(e["locate"], e["symbol"]) for e in directory if e["feed"] == 1}
assert feed1 == {(i + 1, names[i]) for i in range(50)}, "feed 1 directory differs"
expected = {(i + 1, names[i]) for i in range(n)}
assert learned == expected, f"directory differs: {sorted(learned ^ expected)[:5]}"
marked = {e["symbol"] for e in directory if e["subscribed"] and e["feed"] == 0}
listed = {s["symbol"] for s in subs}
assert marked == listed, f"subscribed marks {marked} != subscriptions {listed}"
assert all(s["locates"] for s in subs), "a subscribed symbol has no learned locate"
print(f"ok: directory has {len(directory)} learned symbols; marks match {sorted(listed)}")
PY
