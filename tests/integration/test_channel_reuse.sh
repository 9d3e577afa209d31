#!/usr/bin/env bash
# A channel id given to a new channel while a consumer still holds state for its old one.
# Fresh channel ids are handed out round robin, so an id comes back only after 256 new channels;
# then its window starts empty, and a consumer that had followed the old channel must forget it
# (fs_chan_events.incarnation), even when the new stream uses the same MoldUDP64 session name and
# starts far below where the old one stopped. Every message of the new stream must arrive once.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/netns.sh
. "$here/../lib/netns.sh"

netns_setup || exit 1
tmp=$(mktemp -d /tmp/feedsieve-reuse.XXXXXX)
trap 'rm -rf "$tmp"; netns_cleanup' EXIT
fs() { in_rx "$FEEDSIEVE" "$@"; }
fail() { echo "FAIL: $*"; exit 1; }
OLD=239.1.11.1:26400
NEW=239.1.13.1:26400

chan_id() { # chan_id GROUP: the channel id the live bank gives GROUP
	local commits
	commits=$(bpftool -j map dump pinned "/sys/fs/bpf/feedsieve/$IF_RX/fs_bank" |
		python3 -c 'import json,sys; e=json.load(sys.stdin)[0]; print(e.get("formatted", e)["value"]["commits"])')
	bpftool -j map dump pinned "/sys/fs/bpf/feedsieve/$IF_RX/fs_groups_$((commits & 1))" | python3 -c "
import json, socket, struct, sys
for e in json.load(sys.stdin):
    e = e.get('formatted', e)
    k = e['key']
    if '%s:%d' % (socket.inet_ntoa(struct.pack('=I', k['addr'])), socket.ntohs(k['port'])) == '$1':
        print(e['value']['channel'])"
}
conf() { printf 'interface %s\ngroup %s channel %s all-symbols\n' "$IF_RX" "$1" "$2" >"$tmp/c.conf"; fs apply "$tmp/c.conf" >/dev/null; }

conf "$OLD" OLD || fail "apply OLD"
old_id=$(chan_id "$OLD")
(in_rx_exec "$FEEDSIEVE" consume "$IF_RX" --json >"$tmp/got.json" 2>"$tmp/consume.err") &
consumer=$!
wait_for_line "$tmp/consume.err" ready 10 || fail "consumer did not start"
in_tx "$FEEDGEN" --group "$OLD" --iface "$IF_TX" --symbols 20 --packets 300 --rate 20000 \
	--seed 1 2>/dev/null || fail "feedgen OLD"
sleep 0.5

# 255 more channels, one at a time, each replacing the last: the next fresh id is old_id again.
for i in $(seq 1 255); do
	conf "239.1.12.$((i % 250 + 1)):$((1000 + i))" "T$i" || fail "apply T$i"
done
conf "$NEW" NEW || fail "apply NEW"
new_id=$(chan_id "$NEW")
[ "$new_id" = "$old_id" ] || fail "channel NEW got id $new_id, not the reused $old_id"

# The same session name (feedgen's default), starting again at sequence 1 and running well past
# where the old stream stopped: neither the old position nor a gap up to the new stream's
# high-water mark may come from the consumer's memory of the old channel.
in_tx "$FEEDGEN" --group "$NEW" --iface "$IF_TX" --symbols 20 --packets 1500 --rate 20000 \
	--seed 2 --log "$tmp/sent.json" 2>/dev/null || fail "feedgen NEW"
sleep 1
kill -TERM "$consumer"
wait "$consumer"
python3 - "$tmp/sent.json" "$tmp/got.json" "$NEW" <<'PY' || exit 1
import json, sys
sent = [json.loads(l)["seq"] for l in open(sys.argv[1])]
got, gaps = [], []
for l in open(sys.argv[2]):
    m = json.loads(l)
    if m.get("group") == sys.argv[3] and "seq" in m and "type" in m:
        got.append(m["seq"])
    if "gap" in m:
        gaps.append(m["gap"])
if got != sent or gaps:
    print(f"FAIL: channel NEW (id reused): {len(got)} of {len(sent)} messages delivered, "
          f"in order {got == sorted(got)}, gaps {gaps[:3]}")
    sys.exit(1)
print(f"ok: channel id reused after 256 channels; all {len(sent)} messages of the new stream "
      f"(same session name, back at sequence 1, past the old one's end) delivered once and in "
      f"order, no gap event on any channel")
PY
