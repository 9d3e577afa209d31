#!/usr/bin/env bash
# Soak: one channel on two lines at the highest rate this machine sends (feedgen unpaced), for
# SOAK_SECONDS (default 60), with 0.5 % random loss on each line, ten mid-popularity symbols
# subscribed out of 500. Zero duplicates may be delivered and no subscribed message may be
# missing without a gap event. Gaps that are not exactly a run lost on both lines (possible only
# when the consumer is starved past the sequence window) are printed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

SECS=${SOAK_SECONDS:-60}
LINE_A=239.1.3.1:26400
LINE_B=239.1.3.2:26400

netns_setup
test_tmpdir out soak
fs attach "$IF_RX" >/dev/null
fs group add "$IF_RX" "$LINE_A" --channel SOAK --line A
fs group add "$IF_RX" "$LINE_B" --channel SOAK --line B
mapfile -t syms < <(feed_symbols 500 | sed -n '101,110p')
fs sub add "$IF_RX" "${syms[@]}"

consumer_start "$out/got.json" "$out/consume.err" --json
in_tx "$FEEDGEN" --group "$LINE_A" --line-b "$LINE_B" --iface "$IF_TX" --symbols 500 \
	--duration "$SECS" --rate 0 --seed 99 --loss-a 0.5 --loss-b 0.5 \
	--log "$out/sent.json" --log-symbols "$(IFS=,; echo "${syms[*]}")" \
	--loss-log "$out/losses.json" 2>"$out/feedgen.err"
sleep 1
consumer_stop
cat "$out/feedgen.err" "$out/consume.err" >&2
fs stats "$IF_RX" | sed -n '/^channel SOAK/,/^symbols/p' | head -12 >&2

python3 "$here/check_soak.py" --sent "$out/sent.json" --losses "$out/losses.json" \
	--got "$out/got.json" --consume-log "$out/consume.err"
