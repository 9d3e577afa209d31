#!/usr/bin/env bash
# Gap recovery when an answer overlaps a live copy (issue 13, reviewer's finding 1): a hole of
# three packets, lost on both lines, is asked as one request; a live copy of the middle packet
# reaches the consumer after the request left and before the answer (the server answers 200 ms
# late; the channel's deadline is 1 s). The answer then brings the hole's first and last packets'
# numbers but not the middle ones, which the live copy claimed first: every subscribed message
# must still be delivered once, in order, those of the middle packet unmarked, the rest of the
# hole marked retransmitted, with one recovery event filling the whole hole and no gap.
# overlap_replay.py sends the feed and serves the re-requests (feedgen's --late-copy-ms repeats
# every lost packet after one delay, so the hole's first packet would always come back first);
# check_recovery_overlap.py checks the scenario happened as meant before judging the consumer.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

LINE_A=239.1.10.1:26400
LINE_B=239.1.10.2:26400
PORT=26900
NSYMS=10
HOLE=300-302 # pcap indices: three message packets in the middle of the session
GRACE_MS=20
DEADLINE_MS=1000
DELAY_MS=200

netns_setup
test_tmpdir out recovery-overlap
fs attach "$IF_RX" >/dev/null
fs group add "$IF_RX" "$LINE_A" --channel OVL --line A --retransmit "$ADDR_TX:$PORT"
fs group add "$IF_RX" "$LINE_B" --channel OVL --line B --retransmit "$ADDR_TX:$PORT"
# Every symbol: every message of the hole, the middle packet's included, is expected.
mapfile -t syms < <(feed_symbols "$NSYMS")
fs sub add "$IF_RX" "${syms[@]}"

"$FEEDGEN" --group "$LINE_A" --symbols "$NSYMS" --packets 600 --rate 0 --seed 13 --no-send \
	--pcap "$out/feed.pcap" --log "$out/sent.json" 2>/dev/null

consumer_start "$out/got.json" "$out/consume.err" --json --gap-grace-ms "$GRACE_MS" \
	--recovery-deadline-ms "$DEADLINE_MS"
in_tx python3 "$here/overlap_replay.py" --pcap "$out/feed.pcap" --line-a "$LINE_A" \
	--line-b "$LINE_B" --source "$ADDR_TX" --server "$ADDR_TX:$PORT" --rate 1000 \
	--hole "$HOLE" --delay-ms "$DELAY_MS" --plan "$out/plan.json" ||
	die "overlap_replay.py failed"
sleep 0.5
consumer_stop
cat "$out/consume.err" >&2
stats_views "$out/stats.json" "$out/stats.prom"

python3 "$here/check_recovery_overlap.py" --sent "$out/sent.json" --plan "$out/plan.json" \
	--got "$out/got.json" --stats "$out/stats.json" --channel OVL --symbols "${syms[@]}"
