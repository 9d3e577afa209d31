#!/usr/bin/env bash
# Gap recovery soak (issue 13): one ITCH channel on two lines at RECOVERY_SOAK_RATE packets/s
# (default 10000, a rate the consumer sustains) for RECOVERY_SOAK_SECONDS (default 8; `make soak`
# runs 60), each line losing 1 % of packets independently, feedgen serving re-requests, the
# consumer with its default deadline. Must hold: no gap at all (every hole filled), every
# subscribed message delivered exactly once and in order, one recovery event per hole, the
# channel's recovery counters equal to the events and to the requests feedgen took. Prints the
# figures as one machine-readable line, "recovery-soak: {json}": holes, both-lost packets, the
# recovery latency (the recovery events' ms, which run from when the hole was seen and so
# include the grace time) as p50/p90/p99/max over its number of samples, requests per recovered
# message, and the conditions: rate achieved, grace time and deadline, CPUs and load average.
#
# Samples: both lines lose a packet with probability LOSS^2 = 1e-4, so some rate * seconds / 10^4
# holes: about 60 at the default 10 000 packets/s over 60 s. A higher rate gives more, bounded by
# feedgen's re-request history, which keeps every message of the session in memory (measured:
# some 170 MB of feedgen's RSS per million packets), and by what the consumer sustains with
# holes waiting for their answers (on the 2-core test VM, under load, 25 000 packets/s lost
# frames in the socket: see docs/integrity.md, "Measured").
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
GRACE_MS=5	 # the consumer's defaults, spelled out so the figures can name them
DEADLINE_MS=1000

netns_setup
test_tmpdir out recovery-soak
fs attach "$IF_RX" >/dev/null
fs group add "$IF_RX" "$LINE_A" --channel SOAKR --line A --retransmit "$ADDR_TX:$PORT"
fs group add "$IF_RX" "$LINE_B" --channel SOAKR --line B --retransmit "$ADDR_TX:$PORT"
mapfile -t syms < <(feed_symbols 500 | sed -n '1p;11p;101,108p')
fs sub add "$IF_RX" "${syms[@]}"

read -r load_start _ </proc/loadavg
consumer_start "$out/got.json" "$out/consume.err" --json --gap-grace-ms "$GRACE_MS" \
	--recovery-deadline-ms "$DEADLINE_MS"
in_tx "$FEEDGEN" --group "$LINE_A" --line-b "$LINE_B" --iface "$IF_TX" --symbols 500 \
	--duration "$SECS" --rate "$RATE" --seed 1313 --loss-a "$LOSS" --loss-b "$LOSS" \
	--serve-retransmit "$PORT" --serve-linger-ms 2000 \
	--log "$out/sent.json" --log-symbols "$(IFS=,; echo "${syms[*]}")" \
	--loss-log "$out/losses.json" 2>"$out/feedgen.err" || die "feedgen: $(cat "$out/feedgen.err")"
read -r load_end _ </proc/loadavg
sleep 0.5
consumer_stop
cat "$out/feedgen.err" "$out/consume.err" >&2
fs stats "$IF_RX" --json >"$out/stats.json"

python3 "$here/check_recovery_soak.py" --sent "$out/sent.json" --losses "$out/losses.json" \
	--got "$out/got.json" --stats "$out/stats.json" --feedgen-err "$out/feedgen.err" \
	--channel SOAKR --seconds "$SECS" --rate "$RATE" --loss-pct "$LOSS" \
	--grace-ms "$GRACE_MS" --deadline-ms "$DEADLINE_MS" --load "$load_start" "$load_end"
