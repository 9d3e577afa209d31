# shellcheck shell=bash
# The body of test_feedgen_nyse.sh and test_feedgen_pitch.sh, sourced after they set PROTO
# (nyse or pitch), FG_PROTO (feedgen's --proto), PORT and SHAPE_ARGS / WIRE_ARGS (their feedgen
# options). Without a network:
# - determinism: the same options give the same pcap, log and loss log byte for byte, another
#   seed another feed;
# - tests/integration/check_feedgen_np.py shapes: the pcap and the log agree packet by packet and
#   message by message, the loss log names exactly the packets the log says went out on one line
#   or none (and never one that must not be lost), and the packets have the promised shapes, on
#   a run long enough for several simulated seconds.
# On a real wire (veth, or the tap with NETNS_DRIVER=tap): a packet socket in the receiver
# namespace records every datagram; each line's group must have received exactly the packets the
# log says went out on that line, byte for byte as in the pcap.
here=$(cd "$(dirname "$0")" && pwd)
check="$here/check_feedgen_np.py"
LINE_A=239.79.1.1:$PORT LINE_B=239.79.2.1:$PORT
test_tmpdir out "feedgen_$PROTO"

gen() { # DIR SEED ARGS...
	local dir=$1 seed=$2
	shift 2
	mkdir -p "$dir"
	"$FEEDGEN" --proto "$FG_PROTO" --group "$LINE_A" --line-b "$LINE_B" --seed "$seed" \
		--loss-a 2 --loss-b 2 --rate 0 --no-send --pcap "$dir/f.pcap" --log "$dir/f.log" \
		--loss-log "$dir/loss.log" "$@" >/dev/null 2>"$dir/err" ||
		die "feedgen: $(cat "$dir/err")"
}

gen "$out/a" 11 "${SHAPE_ARGS[@]}"
gen "$out/b" 11 "${SHAPE_ARGS[@]}"
gen "$out/c" 12 "${SHAPE_ARGS[@]}"
for f in f.pcap f.log loss.log; do
	cmp -s "$out/a/$f" "$out/b/$f" || die "two runs with seed 11 differ in $f"
done
ok "the same options give the same pcap, log and loss log"
cmp -s "$out/a/f.pcap" "$out/c/f.pcap" && die "seeds 11 and 12 give the same pcap"
ok "another seed gives another feed"
python3 "$check" shapes "$PROTO" "$out/a/f.pcap" "$out/a/f.log" "$out/a/loss.log" \
	"${UNITS:-}" || die "feedgen --proto $FG_PROTO: capture, log and losses disagree"
ok "pcap, log and loss log agree; the packets have their shapes"

netns_setup || exit 1
(in_rx_exec python3 "$here/mcast_rx.py" "$IF_RX" "$out/rx.txt" "$out/rx.ready" 239.79) &
rx=$!
wait_for_line "$out/rx.ready" ready 5 || die "the receiver did not start"
(send_feed_exec --proto "$FG_PROTO" --group "$LINE_A" --line-b "$LINE_B" --loss-a 4 \
	--loss-b 4 --seed 9 --rate 2000 --pcap "$out/w.pcap" --log "$out/w.log" \
	"${WIRE_ARGS[@]}" >/dev/null 2>"$out/feedgen.err") &
wait $! || die "feedgen: $(cat "$out/feedgen.err")"
wait "$rx" || die "the receiver failed"
python3 "$check" wire "$PROTO" "$out/w.pcap" "$out/w.log" "$out/rx.txt" "$LINE_A" "$LINE_B" ||
	die "what the wire carried differs from feedgen's log"
ok "feedgen --proto $FG_PROTO: each line received exactly what the log says, byte for byte"
