#!/usr/bin/env bash
# A channel id given to a new channel while a consumer still holds state for its old one.
# Fresh channel ids are handed out round robin, so an id comes back only after 256 new channels;
# then its window starts empty, and a consumer that had followed the old channel must forget it
# (fs_chan_events.incarnation), even when the new stream uses the same MoldUDP64 session name and
# starts far below where the old one stopped. Every message of the new stream must arrive once.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

netns_setup || exit 1
test_tmpdir tmp reuse
OLD=239.1.11.1:26400
NEW=239.1.13.1:26400

conf() { printf 'interface %s\ngroup %s channel %s all-symbols\n' "$IF_RX" "$1" "$2" >"$tmp/c.conf"; fs apply "$tmp/c.conf" >/dev/null; }

conf "$OLD" OLD || die "apply OLD"
old_id=$(chan_id "$OLD")
consumer_start "$tmp/got.json" "$tmp/consume.err" --json || die "consumer did not start"
in_tx "$FEEDGEN" --group "$OLD" --iface "$IF_TX" --symbols 20 --packets 300 --rate 20000 \
	--seed 1 2>/dev/null || die "feedgen OLD"
sleep 0.5

# 255 more channels, one at a time, each replacing the last: the next fresh id is old_id again.
for i in $(seq 1 255); do
	conf "239.1.12.$((i % 250 + 1)):$((1000 + i))" "T$i" || die "apply T$i"
done
conf "$NEW" NEW || die "apply NEW"
new_id=$(chan_id "$NEW")
[ "$new_id" = "$old_id" ] || die "channel NEW got id $new_id, not the reused $old_id"

# The same session name (feedgen's default), starting again at sequence 1 and running well past
# where the old stream stopped: neither the old position nor a gap up to the new stream's
# high-water mark may come from the consumer's memory of the old channel.
in_tx "$FEEDGEN" --group "$NEW" --iface "$IF_TX" --symbols 20 --packets 1500 --rate 20000 \
	--seed 2 --log "$tmp/sent.json" 2>/dev/null || die "feedgen NEW"
sleep 1
consumer_stop
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
