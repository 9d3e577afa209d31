#!/usr/bin/env bash
# feedsieve replay on two lines with faults. feedgen's own pcap holds line A only, so it cannot
# show what arbitration did live; a capture of what went on the wire can. One channel is sent on
# two groups (B 2 ms behind A) with packets dropped on A, on B and on both, duplicated and
# reordered on A, and late on B (after the gap grace time), into 'feedsieve consume --json',
# while dumpcap records the wire on the sender's veth (the order the receiver got them in; this
# kernel refuses xdpdump's fentry programs). 'feedsieve replay' of that capture must print what
# consume printed, gaps and recoveries included, and its --stats must equal the live group and
# channel counters. Both run with a 50 ms gap grace time. Replay measures it from the hole's
# arrival (capture time), a live consumer from when it looked, which on a loaded machine can be
# milliseconds later: with the default 5 ms, a B copy the sender's scheduling delayed to 5.4 ms
# was a gap in replay and none live (seen here). 50 ms keeps every copy far from its deadline:
# 2 ms (plus jitter) on time, 300 ms late.
# One thing stays timing-dependent, and is compared for what it means: a late copy that the
# program filters (no subscribed message) is found by the consumer's recovery scan, which runs
# once a millisecond of its clock. Two such copies 0.5 ms apart are one gap_recovered event or
# two depending on where that tick falls (seen here: [3579, 4) live, [3579, 2) and [3581, 2) in
# replay). So every other line must be identical and in the same order, and the recovered
# sequence numbers must be the same set; in the counters, gaps_recovered (the number of those
# events) is the one that may differ, msgs_recovered may not.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

require_cmd dumpcap
LINE_A=239.1.2.1:26400
LINE_B=239.1.2.2:26400
NSYMS=50
GRACE_MS=50

netns_setup
test_tmpdir out replay-ab
mapfile -t syms < <(feed_symbols "$NSYMS")
printf 'interface %s\ngroup %s channel NDQ line A\ngroup %s channel NDQ line B\nsymbols %s %s %s\n' \
	"$IF_RX" "$LINE_A" "$LINE_B" "${syms[0]}" "${syms[4]}" "${syms[9]}" >"$out/feed.conf"
in_rx "$FEEDSIEVE" apply "$out/feed.conf" >/dev/null
"$FEEDGEN" --group "$LINE_A" --symbols "$NSYMS" --packets 1500 --rate 0 --seed 11 --no-send \
	--pcap "$out/feed.pcap" 2>/dev/null
npkts=$(python3 -c "import sys; sys.path.insert(0, '$here'); from feedcheck import udp_payloads; print(len(udp_payloads('$out/feed.pcap')))")
closing=$((npkts - 2)) # the last message packet; the heartbeat follows it

consumer_start "$out/live.json" "$out/consume.err" --json --gap-grace-ms "$GRACE_MS" ||
	die "consumer not ready"
(in_tx_exec dumpcap -i "$IF_TX" -f udp -w "$out/wire.pcapng" >"$out/dumpcap.log" 2>&1) &
dumper=$!
wait_for_line "$out/dumpcap.log" Capturing 10

in_tx python3 "$here/abreplay.py" --pcap "$out/feed.pcap" --line-a "$LINE_A" --line-b "$LINE_B" \
	--source "$ADDR_TX" --rate 2000 --lag-ms 2 --late-ms 300 --plan "$out/plan.json" \
	--drop-a 100-109 --drop-b 200-209 --drop-both 300-302 700 "$closing" \
	--dup-a 400-404 --swap-a 500 510 --late-b 800-801
sleep 0.5 # the last frames reach the consumer and the capture; less than the stale time
consumer_stop
kill -INT "$dumper"
wait "$dumper" || true
in_rx "$FEEDSIEVE" stats "$IF_RX" --json >"$out/live_stats.json"
cat "$out/consume.err" >&2
grep -q "the socket lost 0 frames" "$out/consume.err" || die "the live socket lost frames"
grep -q '"gap"' "$out/live.json" || die "no gap live: the faults did not happen"
grep -q '"gap_recovered"' "$out/live.json" || die "no recovery live: the late copies did not come"

"$FEEDSIEVE" replay "$out/feed.conf" "$out/wire.pcapng" --json --stats --gap-grace-ms "$GRACE_MS" \
	>"$out/replay.out" 2>"$out/replay.err"
cat "$out/replay.err" >&2
head -n -1 "$out/replay.out" >"$out/replay.json"
grep -v '"gap_recovered"' "$out/live.json" >"$out/live.rest"
grep -v '"gap_recovered"' "$out/replay.json" >"$out/replay.rest"
if ! cmp -s "$out/live.rest" "$out/replay.rest"; then
	diff "$out/live.rest" "$out/replay.rest" | head -10
	die "replay of the wire printed something else than consume"
fi
python3 - "$out/replay.out" "$out/live_stats.json" "$out/live.json" "$out/replay.json" <<'PY'
import json, sys
def recovered(path):
    out = []
    for line in open(path):
        r = json.loads(line).get("gap_recovered")
        if r:
            out += range(r["from"], r["from"] + r["count"])
    assert len(out) == len(set(out)), f"{path}: a sequence number recovered twice"
    return sorted(out)
assert recovered(sys.argv[3]) == recovered(sys.argv[4]), "recovered different sequence numbers"
stats = json.loads(open(sys.argv[1]).read().splitlines()[-1])
live = json.load(open(sys.argv[2]))
for ch in stats["channels"] + live["channels"]:
    ch["events"].pop("gaps_recovered")
for key in ("groups", "channels"):
    assert stats[key] == live[key], f"--stats {key} differ from the live counters:\n{stats[key]}\n{live[key]}"
PY
echo "ok: replay of the wire printed the $(grep -c '' "$out/live.json") lines consume printed" \
	"($(grep -c '"gap"' "$out/live.json") gaps, $(grep -c '"gap_recovered"' "$out/live.json")" \
	"recoveries); --stats equals the live counters of both lines and the channel"
