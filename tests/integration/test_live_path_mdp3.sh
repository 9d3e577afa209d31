#!/usr/bin/env bash
# CME MDP 3.0 end to end: feedgen's incremental channel on lines A and B with seeded independent
# loss and a channel reset, and its instrument definitions on their own group, cross a veth pair
# into an interface where feedsieve filters them in XDP by SecurityID. Subscriptions are by name
# (learned from the definitions feed: an outright, a spread, a name with spaces) and by numeric
# SecurityID (no definition needed). The application must get every message that has a
# subscribed entry, with exactly its subscribed entries, each once and in order, every
# ChannelReset and AdminHeartbeat, and one gap event per run of packets both lines lost; packets
# without a subscribed entry are dropped in the driver and counted as filtered, never as gaps.
# Then `replay` of feedgen's capture with the same configuration prints what a loss-free live
# run would.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

LINE_A=239.79.1.1:14310
LINE_B=239.79.2.1:14310
DEFS=239.79.9.1:14390
NSYMS=60
FEED=(--proto mdp3 --group "$LINE_A" --line-b "$LINE_B" --definitions "$DEFS" --symbols "$NSYMS"
	--packets 1500 --reset-at 900 --loss-a 3 --loss-b 3 --seed 17)

netns_setup
test_tmpdir out mdp3
# Three instruments by name (an outright, a calendar spread, a name with spaces), one by id (the
# 20-character name). None is among the first five of the table, which fill the first packet of
# every definitions loop: that packet, MsgSeqNum 1, is filtered in the driver, and the consumer
# must still follow the channel into each new loop's session.
mapfile -t table < <("$FEEDGEN" --proto mdp3 --symbols "$NSYMS" --list-symbols)
names=("${table[5]#* }" "${table[12]#* }" "${table[8]#* }")
id=${table[15]%% *}
[[ ${names[2]} == *" "* ]] || die "feedgen's instrument 8 was expected to have a space: '${names[2]}'"

cat >"$out/cme.conf" <<EOF
interface $IF_RX
group $LINE_A proto mdp3 channel cme line A
group $LINE_B proto mdp3 channel cme line B
group $DEFS proto mdp3 channel defs definitions
symbols ${names[0]} ${names[1]} "${names[2]}"
ids $id
EOF
fs attach "$IF_RX" >/dev/null
fs apply "$out/cme.conf" >/dev/null
fs show "$IF_RX" >"$out/show.conf"
grep -F "proto mdp3" "$out/show.conf" >/dev/null || die "show does not name the protocol: $(cat "$out/show.conf")"

consumer_start "$out/got.json" "$out/consume.err" --json --gap-grace-ms 20
wait_joined "$LINE_A" && wait_joined "$LINE_B" && wait_joined "$DEFS" || die "groups not joined"
(send_feed_exec "${FEED[@]}" --rate 4000 --pcap "$out/feed.pcap" --log "$out/sent.json" \
	>/dev/null 2>"$out/feedgen.err") &
wait $! || die "feedgen: $(cat "$out/feedgen.err")"
sleep 0.5
consumer_stop
cat "$out/consume.err" >&2
fs stats "$IF_RX" --json >"$out/stats.json"

check() {
	python3 "$here/check_mdp3.py" --log "$out/sent.json" --channel "cme=$LINE_A" \
		--channel "defs=$DEFS" --ids "$id" --symbols "${names[@]}" "$@"
}
check --got "$out/got.json" && ok "live: entries checked against feedgen's log" || fail "live delivery"

# The kernel's view: the both-lost packets are the only losses; every received packet without a
# subscribed entry was filtered, none is counted twice.
python3 - "$out/stats.json" "$out/sent.json" "$LINE_A" <<'EOF' || fail "counters"
import json, sys
stats, log, line_a = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
pk = {}
for m in map(json.loads, open(log)):
    if m["group"] == line_a:
        pk[(m["seq"], m["sending_time"])] = m["lines"]
received = sum(1 for l in pk.values() if l)
chan = next(c for c in stats["channels"] if c["channel"] == "cme")
groups = chan["lines"]
assert len(groups) == 2, groups
first = sum(g["counters"]["frames_first"] for g in groups)
filtered = sum(g["counters"]["frames_filtered"] for g in groups)
delivered = sum(g["counters"]["frames_redirected"] for g in groups)
assert all(g.get("proto") == "mdp3" for g in groups), f"groups without proto mdp3: {groups}"
assert first == received, f"frames_first {first}, packets received on some line {received}"
assert filtered + delivered >= received and filtered > 0 and delivered > 0, (filtered, delivered)
print(f"ok: counters: {received} packets received, {filtered} filtered in XDP, {delivered} "
      f"redirected, first copies {first}")
EOF

# Offline: the same configuration over feedgen's capture (every packet once, no loss).
fs replay "$out/cme.conf" "$out/feed.pcap" --json >"$out/replay.json"
check --got "$out/replay.json" --all-received && ok "replay: entries checked against feedgen's log" ||
	fail "replay delivery"
finish live_path_mdp3
