#!/usr/bin/env bash
# make demo: feedsieve end to end in two network namespaces joined by a veth pair.
# A synthetic Nasdaq TotalView-ITCH 5.0 session (500 symbols) is multicast into the receiver
# namespace; feedsieve keeps the messages of two symbols, drops everything else in the driver,
# and a busy-polling AF_XDP consumer prints what it receives. Everything is removed afterwards.
set -euo pipefail
# shellcheck source=../tests/lib/netns.sh
. "$(dirname "$0")/../tests/lib/netns.sh"

GROUP=239.1.1.1:26400
NSYMS=500
SYMBOLS=(AAPL QCOM)
SECONDS_TO_RUN=${DEMO_SECONDS:-4}
RATE=${DEMO_RATE:-10000}
out=$(mktemp -d /tmp/feedsieve-demo.XXXXXX)
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: needs root (network namespaces, XDP, AF_XDP)" >&2
	exit 1
fi
step "Two network namespaces, $NS_TX (exchange side) and $NS_RX (trading host), joined by a veth pair"
netns_setup
echo "sender $IF_TX $ADDR_TX  <-->  receiver $IF_RX $ADDR_RX"

step "Describe the desired state in a configuration file: the feed's multicast group, ${SYMBOLS[*]}"
cat >"$out/demo.conf" <<EOC
# feedsieve configuration of the demo's receiving interface
interface $IF_RX
group $GROUP
symbols ${SYMBOLS[*]}
EOC
cat "$out/demo.conf"

step "Apply it: attach the XDP filter to $IF_RX and make the configuration live, atomically"
show in_rx "$FEEDSIEVE" apply "$out/demo.conf"
show in_rx "$FEEDSIEVE" show "$IF_RX"

step "Start the AF_XDP consumer on RX queue 0 (busy-polling)"
(in_rx_exec "$FEEDSIEVE" consume "$IF_RX" --json >"$out/delivered.json" 2>"$out/consume.err") &
consumer=$!
wait_for_line "$out/consume.err" ready 10
cat "$out/consume.err"

step "Multicast a ${SECONDS_TO_RUN}-second ITCH 5.0 session over $NSYMS symbols at $RATE packets/s"
in_tx "$FEEDGEN" --group "$GROUP" --iface "$IF_TX" --symbols "$NSYMS" --duration "$SECONDS_TO_RUN" \
	--rate "$RATE" --seed 2024 --log "$out/sent.json"
sleep 0.5
kill -TERM "$consumer"
wait "$consumer" || true
cat "$out/consume.err" | tail -n 1

step "A few of the delivered messages (consume --json)"
head -n 5 "$out/delivered.json"

step "What the program learned and counted (read from the pinned maps)"
show in_rx "$FEEDSIEVE" sub list "$IF_RX"
in_rx "$FEEDSIEVE" stats "$IF_RX" --json >"$out/stats.json"
echo "(the same counters: bpftool map dump pinned /sys/fs/bpf/feedsieve/$IF_RX/fs_stats)"

step "Summary"
python3 - "$out/sent.json" "$out/delivered.json" "$out/stats.json" "${SYMBOLS[@]}" <<'PY'
import json, sys
sent = [json.loads(l) for l in open(sys.argv[1])]
got = [json.loads(l) for l in open(sys.argv[2]) if '"seq"' in l]
stats = json.load(open(sys.argv[3]))
symbols = set(sys.argv[4:])
want = {(m["session"], m["seq"]) for m in sent if m.get("symbol") in symbols}
have = {(m["session"], m["seq"]) for m in got}
others = [m for m in got if m.get("symbol") not in symbols]
g = stats["groups"][0]["counters"]
print(f"messages sent by the exchange:          {len(sent):>9}  "
      f"(in {g['frames_seen']} UDP datagrams, {len({m.get('symbol') for m in sent}) - 1} symbols)")
print(f"messages of {' and '.join(sorted(symbols))}:              {len(want):>9}")
print(f"messages delivered to the application:  {len(got):>9}  "
      f"({'all of them' if have == want else 'MISMATCH'}, {len(others)} of other symbols)")
print(f"datagrams dropped in the driver (XDP):  {g['frames_filtered']:>9}  "
      f"({100.0 * g['frames_filtered'] / max(g['frames_seen'], 1):.1f} % never reached the kernel stack)")
print(f"datagrams redirected to AF_XDP:         {g['frames_redirected']:>9}")
ok = have == want and not others
print("\ndemo: OK" if ok else "\ndemo: FAILED: delivered messages differ from what was sent")
sys.exit(0 if ok else 1)
PY
rm -rf "$out"
