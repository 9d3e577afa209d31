#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# feedgen --proto mdp3 on a real wire: the incremental channel on lines A and B with seeded loss
# and the instrument definitions on their own group, sent through the veth (or written into the
# tap with NETNS_DRIVER=tap). A packet socket in the receiver namespace records every datagram;
# each group must have received exactly the packets feedgen's log says went out on that line,
# byte for byte as in feedgen's pcap, and nothing else.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

netns_setup || exit 1
test_tmpdir out mdp3
LINE_A=239.78.1.1:14310 LINE_B=239.78.2.1:14310 DEFS=239.78.9.1:14390

# The receiver: every UDP datagram to 239.78.0.0/16 seen on the wire, as hex lines
# "dst:port payload", until the wire has been quiet for a second (mcast_rx.py).
(in_rx_exec python3 "$here/mcast_rx.py" "$IF_RX" "$out/rx.txt" "$out/rx.ready" 239.78) &
rx=$!
wait_for_line "$out/rx.ready" ready 5 || die "the receiver did not start"
(send_feed_exec --proto mdp3 --group "$LINE_A" --line-b "$LINE_B" --definitions "$DEFS" \
	--symbols 60 --packets 300 --reset-at 200 --loss-a 4 --loss-b 4 --seed 9 --rate 2000 \
	--pcap "$out/f.pcap" --log "$out/f.log" >/dev/null 2>"$out/feedgen.err") &
wait $! || die "feedgen: $(cat "$out/feedgen.err")"
wait "$rx" || die "the receiver failed"

python3 - "$out/rx.txt" "$out/f.pcap" "$out/f.log" "$LINE_A" "$LINE_B" "$DEFS" <<'EOF' ||
import json, struct, sys
rx_path, pcap_path, log_path, line_a, line_b, defs = sys.argv[1:]
# What went out: per packet (its group on line A, MsgSeqNum, SendingTime), the lines of the log.
lines = {}
for m in map(json.loads, open(log_path)):
    lines[(m["group"], m["seq"], m["sending_time"])] = m["lines"]
# Its bytes, from the pcap (every packet once, addressed to its line-A group).
data, off, sent = open(pcap_path, "rb").read(), 24, {}
while off < len(data):
    incl = struct.unpack("<I", data[off + 8:off + 12])[0]
    f = data[off + 16:off + 16 + incl]
    off += 16 + incl
    group = "%d.%d.%d.%d:%d" % (*f[30:34], struct.unpack(">H", f[36:38])[0])
    p = f[42:]
    seq, st = struct.unpack("<IQ", p[:12])
    sent[(group, seq, st)] = p
want = []
for key, p in sent.items():
    if key not in lines:
        sys.exit(f"FAIL: packet {key} is in the pcap, not in the log")
    where = lines[key]
    if "A" in where:
        want.append((key[0], p))
    if "B" in where:
        want.append((line_b if key[0] == line_a else None, p))
got = []
for l in open(rx_path):
    group, hexp = l.split()
    got.append((group, bytes.fromhex(hexp)))
lost = sum(1 for k, v in lines.items() if k[0] == line_a and v == "")
want.sort(), got.sort()
if got != want:
    extra = [x for x in got if x not in want][:2]
    missing = [x for x in want if x not in got][:2]
    sys.exit(f"FAIL: received {len(got)} datagrams, feedgen's log and pcap say {len(want)}; "
             f"unexpected {[(g, p[:12].hex()) for g, p in extra]}, "
             f"missing {[(g, p[:12].hex()) for g, p in missing]}")
per = {g: sum(1 for x in got if x[0] == g) for g in (line_a, line_b, defs)}
only_a = sum(1 for k, v in lines.items() if k[0] == line_a and v == "A")
only_b = sum(1 for k, v in lines.items() if k[0] == line_a and v == "B")
if not (per[line_a] and per[line_b] and per[defs] and only_a and only_b):
    sys.exit(f"FAIL: want traffic on every group and losses on each line: {per}, "
             f"A only {only_a}, B only {only_b}")
print(f"received {len(got)} datagrams (A {per[line_a]}, B {per[line_b]}, definitions "
      f"{per[defs]}), each as in feedgen's pcap on the lines its log names "
      f"({only_a} packets on A only, {only_b} on B only, {lost} on neither)")
EOF
	die "what the wire carried differs from feedgen's log"
ok "feedgen --proto mdp3: every group received exactly what the log says, byte for byte"
finish "feedgen mdp3"
