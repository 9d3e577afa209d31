#!/usr/bin/env bash
# Gap recovery end to end (issue 13): four ITCH channels, each published on two lines by a feedgen
# that loses 12 % of packets on each line independently, so some ranges are lost on both, and
# serves MoldUDP64 re-requests from the sender namespace's unicast address. One consumer, with a
# recovery deadline, reads them all:
#   R1 default server, and a late live copy of every packet lost on both lines 400 ms later:
#      every hole is filled, no gap, the late copies are dropped as duplicates;
#   R2 slow server (answers 800 ms late, past the 300 ms deadline): every hole is a gap;
#   R3 partial server (3 messages per answer, and two refused ranges: the tail of one hole and
#      another whole hole): exactly the refused numbers are gaps;
#   R4 silent server: every hole is a gap.
# check_recovery.py derives what each channel must show from feedgen's logs alone (what was lost
# on both lines, which requests it took, which answers left in time) and compares the consumer's
# messages, recovery and gap events and the channel's counters with it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

NSYMS=50
PACKETS=1500
RATE=1000
LOSS=12
GRACE_MS=20
DEADLINE_MS=300
SLOW_MS=800
LATE_COPY_MS=400
LINGER_MS=1500
PORT_BASE=26600

netns_setup
test_tmpdir out recovery
fs attach "$IF_RX" >/dev/null
mapfile -t syms < <(feed_symbols "$NSYMS")
subs=("${syms[0]}" "${syms[2]}" "${syms[5]}")

# scenario N: channel RN on 239.1.6.N (A) and 239.1.7.N (B), server $ADDR_TX:PORT_BASE+N.
declare -A seed=([1]=5 [2]=1 [3]=3 [4]=2)
declare -A extra=(
	[1]="--late-copy-ms $LATE_COPY_MS"
	[2]="--retransmit-delay-ms $SLOW_MS"
	[3]="--retransmit-max-msgs 3"
	[4]="--retransmit-silent"
)
declare -A expect=([1]=filled [2]=unfilled [3]=mixed [4]=unfilled)
for n in 1 2 3 4; do
	for line in A B; do
		g=239.1.6.$n:26400
		[ $line = A ] || g=239.1.7.$n:26400
		fs group add "$IF_RX" "$g" --channel "R$n" --line "$line" \
			--retransmit "$ADDR_TX:$((PORT_BASE + n))" || die "group add $g --retransmit"
	done
done
fs sub add "$IF_RX" "${subs[@]}"

feed_args() { # N: the options of scenario N's feed, the same for the dry run and the real one
	echo --group "239.1.6.$1:26400" --line-b "239.1.7.$1:26400" --symbols "$NSYMS" \
		--packets "$PACKETS" --seed "${seed[$1]}" --loss-a "$LOSS" --loss-b "$LOSS"
}

# R3's refused ranges, from a dry run (losses depend on the seed, not on time): the second half
# of the first hole of 4 or more numbers (an answer must stop before it), and the whole next hole
# of any size after it (a request starting there gets nothing).
# shellcheck disable=SC2046 # word splitting of feed_args is meant
"$FEEDGEN" $(feed_args 3) --rate 0 --no-send --loss-log "$out/dry3.json" 2>/dev/null
mapfile -t refuse < <(python3 -c "
import json, sys
sys.path.insert(0, '$here')
from feedcheck import runs
both = set()
for l in open('$out/dry3.json'):
    e = json.loads(l)
    if e['lost'] == 'both':
        both.update(range(e['seq'], e['seq'] + e['count']))
holes = runs(both)
i = next(i for i, (f, c) in enumerate(holes) if c >= 4)
f, c = holes[i]
print(f'{f + c // 2}-{f + c - 1}')
f, c = holes[i + 1]
print(f'{f}-{f + c - 1}')
")
[ ${#refuse[@]} -eq 2 ] || die "no refused ranges from the dry run"
extra[3]+=" --retransmit-refuse ${refuse[0]} --retransmit-refuse ${refuse[1]}"

consumer_start "$out/got.json" "$out/consume.err" --json --gap-grace-ms "$GRACE_MS" \
	--recovery-deadline-ms "$DEADLINE_MS"
# The four feeds at once (4000 packets/s in all): the channels are independent.
pids=()
for n in 1 2 3 4; do
	# shellcheck disable=SC2046,SC2086 # word splitting of the options is meant
	(in_tx_exec "$FEEDGEN" $(feed_args $n) --iface "$IF_TX" --rate "$RATE" \
		--serve-retransmit $((PORT_BASE + n)) --serve-linger-ms "$LINGER_MS" ${extra[$n]} \
		--log "$out/sent$n.json" --loss-log "$out/loss$n.json" 2>"$out/feedgen$n.err") &
	pids+=($!)
done
for n in 1 2 3 4; do
	wait "${pids[$((n - 1))]}" || die "feedgen R$n: $(cat "$out/feedgen$n.err")"
done
sleep 0.5
consumer_stop
cat "$out/consume.err" "$out"/feedgen?.err >&2
stats_views "$out/stats.json" "$out/stats.prom"

for n in 1 2 3 4; do
	late=()
	[ $n -ne 1 ] || late=(--late-copies)
	if python3 "$here/check_recovery.py" --sent "$out/sent$n.json" --losses "$out/loss$n.json" \
		--feedgen-err "$out/feedgen$n.err" --got "$out/got.json" --stats "$out/stats.json" \
		--channel "R$n" --symbols "${subs[@]}" --deadline-ms "$DEADLINE_MS" \
		--grace-ms "$GRACE_MS" --expect "${expect[$n]}" "${late[@]}"; then
		ok
	else
		fail "channel R$n (${extra[$n]})"
	fi
done

# Every answer feedgen sent reached the program as a re-request response, and nothing else did.
answers=$(cat "$out"/loss?.json | grep -c '^{"served"' || true)
expect_eq "$(stats_get 's["global"]["frames_retransmitted"]')" "$answers" \
	"frames_retransmitted against the answers feedgen sent"
finish test_recovery
