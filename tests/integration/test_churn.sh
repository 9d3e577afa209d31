#!/usr/bin/env bash
# Live churn: one channel streams on two lines while a script adds and removes other symbols (of
# the same feed) and groups more than a thousand times a second through `feedsieve batch`, for
# CHURN_SECONDS (default 60). Every message of the ten symbols that stay subscribed must arrive
# exactly once and in order with no gap, nothing never subscribed may arrive, and the program's
# counters must add up per message (check_churn.py).
#   CHURN_SECONDS   how long (default 60)
#   CHURN_RATE      changes per second (default 1500)
#   FEED_RATE       packets per second per line (default 40000: what the consumer, printing
#                   every message of ~200 subscribed symbols, sustains here next to the churn)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

SECS=${CHURN_SECONDS:-60}
RATE=${CHURN_RATE:-1500}
FEED_RATE=${FEED_RATE:-40000}
LINE_A=239.1.5.1:26400
LINE_B=239.1.5.2:26400

netns_setup
test_tmpdir out churn
mapfile -t all < <(feed_symbols 500)
stay=("${all[@]:100:10}")
pool=("${all[@]:0:100}" "${all[@]:200:100}")
cat >"$out/churn.conf" <<EOC
interface $IF_RX
group $LINE_A channel CHURN line A
group $LINE_B channel CHURN line B
symbols ${stay[*]}
EOC
fs apply "$out/churn.conf" >/dev/null

consumer_start "$out/got.json" "$out/consume.err" --json --rx-ring 8192
(in_tx_exec "$FEEDGEN" --group "$LINE_A" --line-b "$LINE_B" --iface "$IF_TX" --symbols 500 \
	--duration "$((SECS + 2))" --rate "$FEED_RATE" --seed 5 --log "$out/sent.json" \
	--log-symbols "$(IFS=,; echo "${stay[*]}")" 2>"$out/feedgen.err") &
feeder=$!
sleep 1 # the directory first, then churn while the traffic streams
python3 "$here/churn_writer.py" --rate "$RATE" --seconds "$SECS" \
	--pool "$(IFS=,; echo "${pool[*]}")" 2>"$out/writer.err" |
	in_rx nice -n 10 "$FEEDSIEVE" batch "$IF_RX" >"$out/batch.out"
wait "$feeder"
sleep 1
consumer_stop
fs stats "$IF_RX" --json >"$out/stats.json"
cat "$out/writer.err" "$out/batch.out" "$out/feedgen.err" "$out/consume.err" >&2

python3 "$here/check_churn.py" --sent "$out/sent.json" --feedgen-err "$out/feedgen.err" \
	--got "$out/got.json" --stats "$out/stats.json" --batch-out "$out/batch.out" \
	--allowed "$(IFS=,; echo "${stay[*]},${pool[*]}")" --min-rate 1000
