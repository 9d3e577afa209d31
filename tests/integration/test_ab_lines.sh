#!/usr/bin/env bash
# In-kernel A/B line arbitration end to end. One channel is published twice, on two multicast
# groups (line A and line B, B lagging by 2 ms), with controlled faults: packets dropped on A only,
# on B only, on both (including the last message packet, which only the closing heartbeat
# reveals), duplicated on A, reordered on A, and dropped on A with B's copy 300 ms late (after the
# gap grace time). The application must see every message of its symbols exactly once and in
# order, exactly one gap event per run of messages no line brought, a recovery for the late
# ones, counters on both lines and on the channel that agree with the faults, and one stale event
# once the feed has stopped.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

LINE_A=239.1.2.1:26400
LINE_B=239.1.2.2:26400
NSYMS=50

netns_setup
test_tmpdir out ab
fs attach "$IF_RX" >/dev/null
fs group add "$IF_RX" "$LINE_A" --channel NDQ --line A
fs group add "$IF_RX" "$LINE_B" --channel NDQ --line B
mapfile -t syms < <(feed_symbols "$NSYMS")
subs=("${syms[0]}" "${syms[4]}" "${syms[9]}")
fs sub add "$IF_RX" "${subs[@]}"

"$FEEDGEN" --group "$LINE_A" --symbols "$NSYMS" --packets 1500 --rate 0 --seed 11 --no-send \
	--pcap "$out/feed.pcap" --log "$out/sent.json" 2>/dev/null
npkts=$(python3 -c "import sys; sys.path.insert(0, '$here'); from feedcheck import udp_payloads; print(len(udp_payloads('$out/feed.pcap')))")
closing=$((npkts - 2)) # the last message packet; the heartbeat follows it

consumer_start "$out/got.json" "$out/consume.err" --json --gap-grace-ms 20 --stale-ms 400

in_tx python3 "$here/abreplay.py" --pcap "$out/feed.pcap" --line-a "$LINE_A" --line-b "$LINE_B" \
	--source "$ADDR_TX" --rate 2000 --lag-ms 2 --late-ms 300 --plan "$out/plan.json" \
	--drop-a 100-109 --drop-b 200-209 --drop-both 300-302 700 "$closing" \
	--dup-a 400-404 --swap-a 500 510 --late-b 800-801
sleep 1 # longer than --stale-ms: the quiet channel must raise one stale event
consumer_stop
cat "$out/consume.err" >&2
stats_views "$out/stats.json" "$out/stats.prom"

python3 "$here/check_ab.py" --pcap "$out/feed.pcap" --plan "$out/plan.json" \
	--sent "$out/sent.json" --got "$out/got.json" --stats "$out/stats.json" --channel NDQ \
	--symbols "${subs[@]}"
# Last: without promtool it exits 77 (skipped), after the A/B checks above have run.
python3 "$here/check_prometheus.py" "$out/stats.prom" "$out/stats.json"
