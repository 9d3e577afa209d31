#!/usr/bin/env bash
# Gap recovery soak (issue 13): one ITCH channel on two lines at RECOVERY_SOAK_RATE packets/s
# (default 10000, a rate the consumer sustains) for RECOVERY_SOAK_SECONDS (default 8; `make soak`
# runs 60), each line losing 1 % of packets independently, feedgen serving re-requests, the
# consumer with its default deadline. Must hold: no gap at all (every hole filled), every
# subscribed message delivered exactly once and in order, one recovery event per hole, the
# channel's recovery counters equal to the events and to the requests feedgen took. Prints the
# figures as one machine-readable line, "recovery-soak: {json}": holes, both-lost packets, the
# recovery latency p50/p99/max (the recovery events' ms), requests per recovered message.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

SECS=${RECOVERY_SOAK_SECONDS:-8}
RATE=${RECOVERY_SOAK_RATE:-10000}
LOSS=1
LINE_A=239.1.9.1:26400
LINE_B=239.1.9.2:26400
PORT=26800

netns_setup
test_tmpdir out recovery-soak
fs attach "$IF_RX" >/dev/null
fs group add "$IF_RX" "$LINE_A" --channel SOAKR --line A --retransmit "$ADDR_TX:$PORT"
fs group add "$IF_RX" "$LINE_B" --channel SOAKR --line B --retransmit "$ADDR_TX:$PORT"
mapfile -t syms < <(feed_symbols 500 | sed -n '1p;11p;101,108p')
fs sub add "$IF_RX" "${syms[@]}"

consumer_start "$out/got.json" "$out/consume.err" --json
in_tx "$FEEDGEN" --group "$LINE_A" --line-b "$LINE_B" --iface "$IF_TX" --symbols 500 \
	--duration "$SECS" --rate "$RATE" --seed 1313 --loss-a "$LOSS" --loss-b "$LOSS" \
	--serve-retransmit "$PORT" --serve-linger-ms 2000 \
	--log "$out/sent.json" --log-symbols "$(IFS=,; echo "${syms[*]}")" \
	--loss-log "$out/losses.json" 2>"$out/feedgen.err" || die "feedgen: $(cat "$out/feedgen.err")"
sleep 0.5
consumer_stop
cat "$out/feedgen.err" "$out/consume.err" >&2
fs stats "$IF_RX" --json >"$out/stats.json"

python3 "$here/check_recovery_soak.py" --sent "$out/sent.json" --losses "$out/losses.json" \
	--got "$out/got.json" --stats "$out/stats.json" --feedgen-err "$out/feedgen.err" \
	--channel SOAKR --seconds "$SECS" --rate "$RATE" --loss-pct "$LOSS"
