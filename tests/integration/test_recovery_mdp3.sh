#!/usr/bin/env bash
# CME MDP 3.0 per-instrument recovery end to end: feedgen's incremental channel on lines A and B,
# both losing packets at random (seeded), and its Market Recovery feed (the SnapshotFullRefresh
# loop, sent 20 ms after it was taken, as a loop over many instruments runs behind) on a snapshot
# group, cross a veth pair into an interface where feedsieve filters them by
# SecurityID. Several instruments are subscribed; the lost packets carry updates of some and not
# of others. The application must get (check_recovery_mdp3.py, against feedgen's log): per
# instrument every RptSeq once and in order, a snapshot standing in for exactly what was lost;
# messages of unaffected instruments in MsgSeqNum order right through the gaps (no stall); one
# gap event per run lost on both lines, listing only instruments whose updates it lost. The
# consumer joins the snapshot group only while an instrument waits: not before the feed, at some
# point during it, not after it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

LINE_A=239.79.1.1:14310
LINE_B=239.79.2.1:14310
SNAP=239.79.8.1:14380
NSYMS=20
PACKETS=4000
FEED=(--proto mdp3 --group "$LINE_A" --line-b "$LINE_B" --snapshot "$SNAP"
	--snapshot-interval-ms 5 --snapshot-lag 4 --symbols "$NSYMS" --max-msgs 1
	--packets "$PACKETS" --loss-a 8 --loss-b 8 --seed 23)

netns_setup
test_tmpdir out rec_mdp3
# Eight of the twenty instruments, by SecurityID.
mapfile -t table < <("$FEEDGEN" --proto mdp3 --symbols "$NSYMS" --list-symbols)
ids=()
for i in 1 3 5 8 11 13 16 19; do ids+=("${table[$i]%% *}"); done

cat >"$out/cme.conf" <<EOF
interface $IF_RX
group $LINE_A proto mdp3 channel cme line A
group $LINE_B proto mdp3 channel cme line B
group $SNAP proto mdp3 channel cme snapshot
ids ${ids[*]}
EOF
fs attach "$IF_RX" >/dev/null
fs apply "$out/cme.conf" >/dev/null || die "the configuration with a snapshot group was refused"
# feedgen's snapshot options: one stderr line and exit 2 for what does not fit.
fg_row() { expect_error_line 2 "$1" "feedgen: $2" -- "$FEEDGEN" --no-send --group "$LINE_A" "${@:3}"; }
fg_row "--snapshot needs --proto mdp3" "--snapshot on ITCH" --snapshot "$SNAP"
fg_row "--snapshot-lag needs --snapshot" "a lag without the loop" --proto mdp3 --snapshot-lag 2
fg_row "--snapshot-interval-ms must be 1..60000" "interval 0" --proto mdp3 --snapshot "$SNAP" \
	--snapshot-interval-ms 0
fg_row "--snapshot wants MULTICAST_ADDR:PORT" "a unicast snapshot group" --proto mdp3 \
	--snapshot 10.0.0.1:1

joined() { in_rx ip maddr show dev "$IF_RX" | grep -wF -- "${SNAP%:*}" >/dev/null; }

consumer_start "$out/got.json" "$out/consume.err" --json --gap-grace-ms 20
wait_joined "$LINE_A" && wait_joined "$LINE_B" || die "lines not joined"
sleep 0.3
! joined || fail "the snapshot group is joined before any instrument needs it"
# Watch the membership while the feed runs: one sample every 10 ms.
(while :; do
	if joined; then echo 1; else echo 0; fi
	sleep 0.01
done >"$out/joined.txt") &
watcher=$!
(send_feed_exec "${FEED[@]}" --rate 2000 --log "$out/sent.json" >/dev/null \
	2>"$out/feedgen.err") &
wait $! || die "feedgen: $(cat "$out/feedgen.err")"
sleep 0.5
kill "$watcher" && wait "$watcher" 2>/dev/null || true
joined && fail "the snapshot group is still joined after the feed ended" ||
	ok "the snapshot group is left when no instrument waits"
consumer_stop
cat "$out/consume.err" >&2
grep -q 1 "$out/joined.txt" && ok "the snapshot group was joined while instruments waited" ||
	fail "the snapshot group was never seen joined ($(wc -l <"$out/joined.txt") samples)"

python3 "$here/check_recovery_mdp3.py" --log "$out/sent.json" --got "$out/got.json" \
	--group "$LINE_A" --snapshot "$SNAP" --channel cme --ids "${ids[@]}" &&
	ok "per-instrument recovery checked against feedgen's log" || fail "per-instrument recovery"
finish recovery_mdp3
