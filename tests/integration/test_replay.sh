#!/usr/bin/env bash
# feedsieve replay: the real program on a capture, offline. feedgen sends a session live over a
# veth pair into 'feedsieve consume --json' and writes the same packets to a pcap; 'feedsieve
# replay' of the same CONFIG on that pcap must print exactly what consume printed, and its
# --stats must equal the live per-group and per-channel counters. feedgen's pcap records one
# line without loss, so the live run is one line without loss too: then nothing about the live
# run depends on timing, and the comparison is exact.
# Then: the same capture as microsecond pcap, pcapng and 802.1Q-tagged (written byte by byte by
# pcaptool.py) replays to the same output; -w writes exactly the delivered frames; and every bad
# input (capture missing, unreadable, of another link type, cut short, snapped; CONFIG bad or
# missing; no privileges) exits non-zero with one stderr line, nothing on stdout, no -w file.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

GROUP=239.1.1.1:26400
NSYMS=300
PACKETS=${PACKETS:-3000}
RATE=${RATE:-2000}
pcaptool() { python3 "$here/pcaptool.py" "$@"; }

netns_setup
test_tmpdir out replay
mapfile -t syms < <(feed_symbols "$NSYMS")
printf 'interface %s\ngroup %s\nsymbols %s %s %s\n' "$IF_RX" "$GROUP" "${syms[1]}" "${syms[6]}" \
	"${syms[3]}" >"$out/feed.conf"
in_rx "$FEEDSIEVE" apply "$out/feed.conf" >/dev/null

consumer_start "$out/live.json" "$out/consume.err" --json || die "consumer not ready"
in_tx "$FEEDGEN" --group "$GROUP" --iface "$IF_TX" --symbols "$NSYMS" --packets "$PACKETS" \
	--rate "$RATE" --seed 42 --pcap "$out/feed.pcap" 2>"$out/feedgen.err"
sleep 0.5 # let the last frames reach the consumer
consumer_stop
in_rx "$FEEDSIEVE" stats "$IF_RX" --json >"$out/live_stats.json"
cat "$out/consume.err" "$out/feedgen.err" >&2
# A frame the socket lost live is a gap there and not in the capture: no comparison then.
grep -q "the socket lost 0 frames" "$out/consume.err" || die "the live socket lost frames"
grep -q '"seq"' "$out/live.json" || die "consume delivered no message"

# 1. The same output as consume, line for line.
"$FEEDSIEVE" replay "$out/feed.conf" "$out/feed.pcap" --json >"$out/replay.json" \
	2>"$out/replay.err"
cat "$out/replay.err" >&2
if ! cmp -s "$out/live.json" "$out/replay.json"; then
	diff "$out/live.json" "$out/replay.json" | head -10
	die "replay printed something else than consume"
fi
echo "ok: replay printed the $(grep -c '' "$out/live.json") lines consume printed live"

# 2. The same capture in other forms: microsecond pcap, pcapng, VLAN-tagged (a CONFIG without an
# interface line, which replay does not need).
grep -v '^interface' "$out/feed.conf" >"$out/noif.conf"
for form in "us" "pcapng" "ns --vlan 100" "pcapng --vlan 4094"; do
	# shellcheck disable=SC2086 # FORM is words
	pcaptool convert "$out/feed.pcap" "$out/form.cap" $form
	"$FEEDSIEVE" replay "$out/noif.conf" "$out/form.cap" --json >"$out/form.json" 2>/dev/null
	cmp -s "$out/replay.json" "$out/form.json" || die "capture as '$form' replays differently"
done
echo "ok: the capture as microsecond pcap, pcapng and 802.1Q-tagged replays the same"
# Frames no XDP program sees live (a runt, one longer than a test run takes) are counted, not run.
pcaptool convert "$out/feed.pcap" "$out/odd.cap" ns --odd
"$FEEDSIEVE" replay "$out/feed.conf" "$out/odd.cap" --json >"$out/odd.json" 2>"$out/odd.err"
cmp -s "$out/replay.json" "$out/odd.json" || die "a runt and a jumbo frame changed the output"
grep -q ", 2 not run" "$out/odd.err" || die "runt and jumbo frame not counted: $(cat "$out/odd.err")"

# 3. -w and --stats: the delivered frames, and the counters the program kept live.
"$FEEDSIEVE" replay "$out/feed.conf" "$out/feed.pcap" --json --stats -w "$out/delivered.pcap" \
	>"$out/stats_run.json" 2>/dev/null
pcaptool read "$out/feed.pcap" >"$out/in.txt"
pcaptool read "$out/delivered.pcap" >"$out/delivered.txt"
python3 - "$out/stats_run.json" "$out/live_stats.json" "$out/in.txt" "$out/delivered.txt" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
events, stats = [json.loads(l) for l in lines[:-1]], json.loads(lines[-1])
live = json.load(open(sys.argv[2]))
for key in ("groups", "channels"):
    assert stats[key] == live[key], f"--stats {key} differ from the live counters:\n{stats[key]}\n{live[key]}"
inp = [l.split() for l in open(sys.argv[3])]
got = [l.split() for l in open(sys.argv[4])]
want = stats["global"]["frames_redirected"]
assert len(got) == want > 0, f"-w wrote {len(got)} frames, the program redirected {want}"
# Every written frame is an input record (time and bytes), in capture order.
it = iter(inp)
assert all(any(r == g for r in it) for g in got), "-w wrote a frame that is not in the capture"
# Each written frame brought a printed message or a heartbeat, and every printed message lies
# in a written frame (MoldUDP64: sequence number at byte 52, count at 60 of an untagged frame).
def span(hexframe):
    b = bytes.fromhex(hexframe)
    return int.from_bytes(b[52:60], "big"), int.from_bytes(b[60:62], "big")
seqs = {e["seq"] for e in events if "seq" in e}
spans = [span(g[3]) for g in got]
for s, n in spans:
    assert n == 0 or any(s <= q < s + n for q in seqs), f"frame at seq {s} delivered nothing"
assert all(any(s <= q < s + n for s, n in spans) for q in seqs), "a message outside -w frames"
print(f"ok: -w wrote the {len(got)} delivered frames; --stats equals the live group and channel counters")
PY

# 4. Bad input: non-zero exit, one stderr line, nothing on stdout, no -w file.
pcaptool convert "$out/feed.pcap" "$out/raw.cap" ns --linktype 101
pcaptool cut "$out/feed.pcap" "$out/cut.cap"
pcaptool convert "$out/feed.pcap" "$out/snap.cap" ns --snap 50
echo "group 10.1.1.1:26400" >"$out/bad.conf"
# bad_row DESCRIPTION PATTERN -- ARGS...
bad_row() {
	local desc=$1 pattern=$2 rc=0 lines
	shift 3
	rm -f "$out/w.pcap"
	"$@" -w "$out/w.pcap" >"$out/bad.out" 2>"$out/bad.err" || rc=$?
	lines=$(grep -c '' "$out/bad.err" || true)
	if [ "$rc" -eq 0 ]; then
		fail "$desc: exit 0"
	elif [ "$lines" -ne 1 ]; then
		fail "$desc: $lines stderr lines: $(cat "$out/bad.err")"
	elif ! grep -q -- "$pattern" "$out/bad.err"; then
		fail "$desc: stderr '$(cat "$out/bad.err")' lacks '$pattern'"
	elif [ -s "$out/bad.out" ] || [ -e "$out/w.pcap" ]; then
		fail "$desc: printed or wrote something"
	else
		ok
	fi
}
R=("$FEEDSIEVE" replay)
bad_row "missing capture" "No such file" -- "${R[@]}" "$out/feed.conf" "$out/none.pcap"
bad_row "capture is a directory" "Is a directory" -- "${R[@]}" "$out/feed.conf" "$out"
bad_row "capture is no capture" "unknown file format" -- "${R[@]}" "$out/feed.conf" "$out/feed.conf"
bad_row "raw IP link type" "not Ethernet" -- "${R[@]}" "$out/feed.conf" "$out/raw.cap"
bad_row "record cut short" "truncated" -- "${R[@]}" "$out/feed.conf" "$out/cut.cap"
bad_row "record snapped" "snap length" -- "${R[@]}" "$out/feed.conf" "$out/snap.cap"
bad_row "bad CONFIG" "not IPv4 multicast" -- "${R[@]}" "$out/bad.conf" "$out/feed.pcap"
bad_row "missing CONFIG" "cannot read" -- "${R[@]}" "$out/none.conf" "$out/feed.pcap"
bad_row "no capture argument" "usage" -- "${R[@]}" "$out/feed.conf"
bad_row "unknown option" "unknown" -- "${R[@]}" "$out/feed.conf" "$out/feed.pcap" --fast
# -w naming the capture itself: refused before anything is opened for writing; the capture stays.
cp "$out/feed.pcap" "$out/self.pcap"
expect_error_line 2 "being read" "-w is the capture" -- \
	"${R[@]}" "$out/feed.conf" "$out/self.pcap" -w "$out/self.pcap"
cmp -s "$out/feed.pcap" "$out/self.pcap" && ok || fail "-w emptied the capture it was reading"
if command -v setpriv >/dev/null; then
	chmod 755 "$out" && chmod 644 "$out/feed.conf" "$out/feed.pcap"
	bad_row "not privileged" "CAP_BPF" -- setpriv --reuid=65534 --regid=65534 --clear-groups \
		"${R[@]}" "$out/feed.conf" "$out/feed.pcap"
fi
[ "$TEST_FAILED" -eq 0 ] && echo "ok: every bad input exits non-zero with one line and prints nothing"
finish replay
