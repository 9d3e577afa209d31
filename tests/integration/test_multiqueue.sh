#!/usr/bin/env bash
# One consumer thread per RX queue, each pinned to its own CPU: a two-queue veth pair, two groups
# steered to queue 0 and queue 1 (the sender's CPU picks the queue through XPS), and
# 'consume --queues 0-1 --cpus 0-1'. Every message of both groups must be delivered, and the
# socket counters each thread publishes must show each queue's frames on its own socket.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs for two pinned consumer threads"
GROUP0=239.1.4.1:26400
GROUP1=239.1.4.2:26400

NETNS_QUEUES=2 netns_setup
test_tmpdir out mq
steer_tx_queue 0 1 # CPU 0 -> queue 0
steer_tx_queue 1 2 # CPU 1 -> queue 1
fs attach "$IF_RX" >/dev/null
fs group add "$IF_RX" "$GROUP0" --all-symbols
fs group add "$IF_RX" "$GROUP1" --all-symbols

CONSUMER_READY="queue 1: ready" consumer_start "$out/got.json" "$out/consume.err" --queues 0-1 \
	--cpus 0-1 --json
in_tx taskset -c 0 "$FEEDGEN" --group "$GROUP0" --iface "$IF_TX" --symbols 50 --packets 500 \
	--rate 2000 --log "$out/sent0.json" 2>"$out/feedgen0.err"
in_tx taskset -c 1 "$FEEDGEN" --group "$GROUP1" --iface "$IF_TX" --symbols 50 --packets 500 \
	--rate 2000 --session FSGENQ1 --log "$out/sent1.json" 2>"$out/feedgen1.err"
sleep 1.5 # the threads publish their socket counters every second
consumer_stop
cat "$out/consume.err" >&2
fs stats "$IF_RX" --json >"$out/stats.json"

for q in 0 1; do
	group=GROUP$q
	python3 "$here/check_delivery.py" --sent "$out/sent$q.json" --got "$out/got.json" \
		--stats "$out/stats.json" --packets "$(datagrams "$out/feedgen$q.err")" \
		--group "${!group}" --all-symbols
done
python3 - "$out/stats.json" "$(datagrams "$out/feedgen0.err")" "$(datagrams "$out/feedgen1.err")" <<'PY'
import json, sys
stats = json.load(open(sys.argv[1]))
want = [int(sys.argv[2]), int(sys.argv[3])]
socks = {s["queue"]: s["counters"] for s in stats["sockets"]}
for q in (0, 1):
    got = socks.get(q, {}).get("frames")
    assert got == want[q], f"socket of queue {q} took {got} frames, want {want[q]}"
    assert socks[q]["rx_ring_full"] == 0 and socks[q]["rx_dropped"] == 0, socks[q]
print(f"ok: queue 0 took {want[0]} frames and queue 1 {want[1]}, each on its own pinned thread")
PY
