#!/usr/bin/env bash
# NYSE XDP Integrated Feed end to end: feedgen's channel on lines A and B with seeded independent
# loss, a refresh burst (DeliveryFlag 18-20), a retransmission packet (13) and a sequence reset
# (12), crosses a veth pair into an interface where feedsieve filters it in XDP by SymbolIndex,
# learned from the Symbol Index Mappings of the opening (subscriptions made before they arrive).
# Subscribed by name for the whole run: a name with an inner space ("BRK A"), the 11-character
# "ZVZZT PRA W", XOM and BAC, and BA by its SymbolIndex; JPM is subscribed at the start and removed live mid-run, "BRK B"
# added live mid-run. check_nyse_pitch.py checks every delivered message against feedgen's log:
#   - per channel, in order, exactly once with its seq/type/symbol_index/symbol: every control
#     message (1, 2, 31, 35) and every message of the whole-run symbols that some line brought;
#   - the live-changed symbols: only their messages, each at most once and in order; all of them
#     in packets scheduled at least MARGIN after the change returned (BRK B) or before it began
#     (JPM), none before the add began or after the removal returned (+/- MARGIN). Times are
#     measured from feedgen's launch, packet k being scheduled at k / RATE (feedgen sends on an
#     absolute schedule, never early);
#   - refresh and retransmission messages delivered on each line that brought them, marked, never
#     sequenced (the live list is exact without them) nor gaps;
#   - gap events exactly the runs no line brought (a packet lost on one line is never a gap, and
#     a packet without a subscribed message is filtered, never a gap);
#   - counters: frames_first = live packets received on some line, frames_out_of_band = copies of
#     refresh/retransmission packets, redirected + filtered adds up, filtered > 0.
# Then `replay` of feedgen's capture with the starting configuration prints exactly what a
# loss-free run without live changes would.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

LINE_A=239.80.1.1:11000
LINE_B=239.80.2.1:11000
RATE=2500
SEED=${FEED_SEED:-23} # another seed, or more loss, to explore: the checks stay exact
LOSS=${FEED_LOSS:-5}
MARGIN=300000000 # ns
FEED=(--proto nyse-xdp --group "$LINE_A" --line-b "$LINE_B" --symbols 40 --packets 5000
	--rate "$RATE" --refresh-at 1000 --retrans-at 2500 --reset-at 3500 --loss-a "$LOSS"
	--loss-b "$LOSS" --seed "$SEED")
whole=("BRK A" "ZVZZT PRA W" XOM BAC)
removed=JPM
added="BRK B"
by_id=1045 # BA's SymbolIndex: subscribed by number, delivered with the mapping's name

netns_setup
test_tmpdir out nyse
mapfile -t table < <("$FEEDGEN" --proto nyse-xdp --symbols 40 --list-symbols | sed 's/^[0-9]* //')
for s in "${whole[@]}" "$removed" "$added"; do
	printf '%s\n' "${table[@]}" | grep -xF -- "$s" >/dev/null || die "feedgen's table lacks '$s'"
done

cat >"$out/nyse.conf" <<EOF
interface $IF_RX
group $LINE_A proto nyse-xdp channel nyse line A
group $LINE_B proto nyse-xdp channel nyse line B
symbols "${whole[0]}" "${whole[1]}" ${whole[2]} ${whole[3]} $removed
ids $by_id
EOF
fs attach "$IF_RX" >/dev/null
fs apply "$out/nyse.conf" >/dev/null
fs show "$IF_RX" | grep -F "proto nyse-xdp" >/dev/null || die "show does not name the protocol"

consumer_start "$out/got.json" "$out/consume.err" --json --gap-grace-ms 20
wait_joined "$LINE_A" && wait_joined "$LINE_B" || die "groups not joined"
feed_launched
(send_feed_exec "${FEED[@]}" --pcap "$out/feed.pcap" --log "$out/sent.json" \
	>/dev/null 2>"$out/feedgen.err") &
feeder=$!
live_add_del 0.6 "$added" "$removed"
wait $feeder || die "feedgen: $(cat "$out/feedgen.err")"
sleep 0.5
consumer_stop
cat "$out/consume.err" "$out/feedgen.err" >&2
fs stats "$IF_RX" --json >"$out/stats.json"

check() {
	python3 "$here/check_nyse_pitch.py" --proto nyse-xdp --log "$out/sent.json" \
		--channel "nyse=$LINE_A" --rate "$RATE" --margin "$MARGIN" "$@"
}
check --got "$out/got.json" --stats "$out/stats.json" --symbols "${whole[@]}" --ids "$by_id" \
	--added "$added@$add_at" --removed "$removed@$del_at" &&
	ok "live: messages, marks, gaps and counters checked against feedgen's log" ||
	fail "live delivery"

# Offline: the starting configuration over feedgen's capture (every packet once, no loss).
fs replay "$out/nyse.conf" "$out/feed.pcap" --json >"$out/replay.json"
check --got "$out/replay.json" --all-received --symbols "${whole[@]}" "$removed" \
	--ids "$by_id" &&
	ok "replay: messages checked against feedgen's log" || fail "replay delivery"
finish live_path_nyse
