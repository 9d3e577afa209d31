#!/usr/bin/env bash
# xdpdump captures on an interface feedsieve is attached to: it hooks fentry/fexit programs onto
# our XDP program, and the pcap it writes holds every frame feedgen sent to the group.
# Where the kernel refuses fentry/fexit programs (bpf(BPF_PROG_LOAD) returns EPERM before the
# verifier runs, as on the development VM; see the README), this test skips and says so.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

require_cmd xdpdump
netns_setup || exit 1
test_tmpdir out xdpdump
GROUP=239.78.0.1:26477 PACKETS=200

fs attach "$IF_RX" >/dev/null || die "attach"
fs group add "$IF_RX" "$GROUP" || die "group add"
(in_rx_exec timeout -s INT 8 xdpdump -i "$IF_RX" --use-pcap -w "$out/dump.pcap" \
	>"$out/xdpdump.log" 2>&1) &
dumper=$!
for _ in $(seq 50); do
	grep -q "listening on" "$out/xdpdump.log" && break
	kill -0 "$dumper" 2>/dev/null || break
	sleep 0.1
done
if ! grep -q "listening on" "$out/xdpdump.log"; then
	wait "$dumper"
	if grep -q "Can't load eBPF object: Operation not permitted" "$out/xdpdump.log"; then
		skip "xdpdump cannot load its fentry/fexit trace programs: this kernel refuses" \
			"every fentry/fexit/freplace program with EPERM ($(uname -r)); see README"
	fi
	die "xdpdump did not start: $(tail -3 "$out/xdpdump.log")"
fi
in_tx "$FEEDGEN" --group "$GROUP" --iface "$IF_TX" --symbols 20 --rate 1000 --packets "$PACKETS" \
	>/dev/null 2>&1 || die "feedgen"
wait "$dumper"

# Frames in the pcap sent to the group's UDP port: every datagram feedgen sent (feedgen adds a
# heartbeat after the last packet, so at least PACKETS).
python3 - "$out/dump.pcap" "${GROUP#*:}" "$PACKETS" <<'EOF'
import struct, sys
data, port, want = open(sys.argv[1], "rb").read(), int(sys.argv[2]), int(sys.argv[3])
magic = struct.unpack("<I", data[:4])[0]
if magic not in (0xA1B2C3D4, 0xA1B23C4D):
    sys.exit(f"FAIL: not a pcap file (magic {magic:#x})")
off, frames, ours = 24, 0, 0
while off + 16 <= len(data):
    caplen = struct.unpack("<I", data[off + 8:off + 12])[0]
    pkt = data[off + 16:off + 16 + caplen]
    off += 16 + caplen
    frames += 1
    if len(pkt) >= 38 and pkt[12:14] == b"\x08\x00" and pkt[23] == 17:
        ihl = (pkt[14] & 15) * 4
        if struct.unpack(">H", pkt[14 + ihl + 2:14 + ihl + 4])[0] == port:
            ours += 1
if ours < want:
    sys.exit(f"FAIL: xdpdump captured {ours} frames of the group ({frames} in all), want {want}")
print(f"xdpdump: {ours} frames of the group captured ({frames} in all)")
EOF
