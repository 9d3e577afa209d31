#!/usr/bin/env bash
# The whole path on real kernel parts: feedgen sends an ITCH/MoldUDP64 session as real multicast
# from one network namespace over a veth pair; feedsieve's XDP program on the other end filters it
# into an AF_XDP socket read by 'feedsieve consume'. While the feed runs, the CLI subscribes one
# more symbol and unsubscribes another. Every delivered message is checked against feedgen's own
# log: all messages of the symbols subscribed throughout, a complete tail of the one added, a
# complete head of the one removed, nothing else, nothing twice, and the counters add up.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
FEEDSIEVE=$top/build/feedsieve
FEEDGEN=$top/build/feedgen
# shellcheck source=../lib/netns.sh
. "$top/tests/lib/netns.sh"

GROUP=239.1.1.1:26400
NSYMS=300
PACKETS=${PACKETS:-3000}
RATE=${RATE:-1000}
out=$(mktemp -d /tmp/feedsieve-live.XXXXXX)

netns_setup
in_rx "$FEEDSIEVE" attach "$IF_RX" >/dev/null
in_rx "$FEEDSIEVE" group add "$IF_RX" "$GROUP"

# Symbols by popularity rank (feedgen: symbol i has locate i+1, rank i).
mapfile -t syms < <("$FEEDGEN" --list-symbols --symbols "$NSYMS" | awk '{print $2}')
always=("${syms[1]}" "${syms[6]}")
added=${syms[2]}
removed=${syms[3]}
in_rx "$FEEDSIEVE" sub add "$IF_RX" "${always[@]}" "$removed"

(in_rx_exec "$FEEDSIEVE" consume "$IF_RX" --json >"$out/got.json" 2>"$out/consume.err") &
consumer=$!
wait_for_line "$out/consume.err" ready 10

(in_tx_exec "$FEEDGEN" --group "$GROUP" --iface "$IF_TX" --symbols "$NSYMS" --packets "$PACKETS" \
	--rate "$RATE" --seed 42 --log "$out/sent.json" 2>"$out/feedgen.err") &
feedgen=$!
sleep 1
in_rx "$FEEDSIEVE" sub add "$IF_RX" "$added"
sleep 1
in_rx "$FEEDSIEVE" sub del "$IF_RX" "$removed"
wait "$feedgen"
sleep 0.5 # let the last frames reach the consumer
kill -TERM "$consumer"
wait "$consumer"

in_rx "$FEEDSIEVE" stats "$IF_RX" --json >"$out/stats.json"
in_rx "$FEEDSIEVE" directory "$IF_RX" --json >"$out/directory.json"
in_rx "$FEEDSIEVE" sub list "$IF_RX" --json >"$out/subs.json"
cat "$out/consume.err" "$out/feedgen.err" >&2
datagrams=$(sed -n 's/^feedgen: \([0-9]*\) packets.*/\1/p' "$out/feedgen.err")

python3 "$here/check_delivery.py" --sent "$out/sent.json" --got "$out/got.json" \
	--stats "$out/stats.json" --packets "$datagrams" \
	--always "${always[@]}" --added "$added" --removed "$removed"

# The learned directory holds every symbol feedgen announced, with the right locates, and the
# subscriptions that ended the run are marked.
python3 - "$out/directory.json" "$out/subs.json" "$NSYMS" "${syms[@]:0:$NSYMS}" <<'PY'
import json, sys
directory = json.load(open(sys.argv[1]))
subs = json.load(open(sys.argv[2]))
n = int(sys.argv[3]); names = sys.argv[4:]
learned = {(e["locate"], e["symbol"]) for e in directory}
expected = {(i + 1, names[i]) for i in range(n)}
assert learned == expected, f"directory differs: {sorted(learned ^ expected)[:5]}"
marked = {e["symbol"] for e in directory if e["subscribed"]}
listed = {s["symbol"] for s in subs}
assert marked == listed, f"subscribed marks {marked} != subscriptions {listed}"
assert all(s["locates"] for s in subs), "a subscribed symbol has no learned locate"
print(f"ok: directory has {len(directory)} learned symbols; marks match {sorted(listed)}")
PY
rm -rf "$out"
